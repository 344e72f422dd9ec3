import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { unitKinds } from "#db/schema";
import { Field, SelectField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OrganisationFields } from "~/components/organisation-fields";
import { pageTitle, useT } from "~/i18n/i18n";
import {
  addEanSchema,
  addUnitSchema,
  organisationDetailsSchema,
  removeEanSchema,
  removeUnitSchema,
  setUnitSchema,
} from "~/licensing/organisation-forms";
import {
  addEanLocation,
  addUnit,
  organisationForAdmin,
  removeEanLocation,
  removeUnit,
  setMemberUnit,
  updateOrganisationDetails,
  type ChangeResult,
} from "~/licensing/organisation.server";
import { administeredOrganisations, requireAdmin } from "~/licensing/overview.server";
import { useFormReply, type Notice } from "~/utils/form-reply";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { validateForm } from "~/utils/form-schema";
import { ScrollingTable } from "~/components/scrolling-table";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "org.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const requested = new URL(request.url).searchParams.get("organisation");
  const organisationId = requested ? Number(requested) : administeredOrganisations(user)[0]?.id;
  const organisation = organisationId ? organisationForAdmin(user, organisationId) : null;
  invariantResponse(organisation, "notFound.organisation", { status: 404 });
  return json({ organisation }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = {
  details: organisationDetailsSchema,
  addEan: addEanSchema,
  removeEan: removeEanSchema,
  addUnit: addUnitSchema,
  removeUnit: removeUnitSchema,
  setUnit: setUnitSchema,
} as const;

/**
 * The form each reply belongs to. A removed EAN number's or unit's row is gone once the page
 * reloads, so what happened to one is said above its list.
 */
function formIdOf(intent: keyof typeof schemas, form: FormData) {
  const formIds = {
    details: "organisation-details",
    addEan: "add-ean",
    removeEan: "eans",
    addUnit: "add-unit",
    removeUnit: "units",
    setUnit: `member-${String(form.get("userId"))}`,
  };
  return formIds[intent];
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const formId = formIdOf(intent, form);
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") {
    // Removing and moving send only ids the page wrote; only the other forms have fields to type in.
    invariantResponse(intent === "details" || intent === "addEan" || intent === "addUnit", "error.unreadableForm");
    return replyToForm(formId, submission);
  }

  const value = submission.value;
  let outcome: ChangeResult;
  let notice: Notice;
  switch (value.intent) {
    case "details":
      outcome = updateOrganisationDetails(user, value.organisationId, value);
      notice = { key: "org.saved" };
      break;
    case "addEan":
      outcome = addEanLocation(user, value.organisationId, value.ean, value.label);
      notice = { key: "org.eanAdded", values: { ean: value.ean } };
      break;
    case "removeEan":
      outcome = removeEanLocation(user, value.organisationId, value.ean);
      notice = { key: "org.eanRemoved", values: { ean: value.ean } };
      break;
    case "addUnit":
      outcome = addUnit(user, value.organisationId, value.name, value.kind);
      notice = { key: "org.unitAdded", values: { unit: value.name } };
      break;
    case "removeUnit":
      outcome = removeUnit(user, value.organisationId, value.unitId);
      notice = { key: "org.unitRemoved" };
      break;
    case "setUnit":
      outcome = setMemberUnit(user, value.organisationId, value.userId, value.unitId);
      notice = { key: "org.memberSaved" };
      break;
  }
  // Another municipality is answered as if it did not exist.
  invariantResponse(outcome !== "forbidden", "notFound.organisation", { status: 404 });
  switch (outcome) {
    case "saved":
      return replyToForm(formId, submission, { notice, resetForm: value.intent !== "details" });
    case "cvrTaken":
      return replyToForm(formId, submission, { fieldErrors: { cvr: ["order.cvrTaken"] }, status: 409 });
    case "eanTaken":
      return replyToForm(formId, submission, { fieldErrors: { ean: ["order.eanTaken"] }, status: 409 });
    case "duplicate":
      // Said beside what is already there: the EAN number, or the unit's name.
      return replyToForm(formId, submission, {
        fieldErrors: { [value.intent === "addEan" ? "ean" : "name"]: ["org.duplicate"] },
        status: 409,
      });
    case "lastEan":
      return replyToForm(formId, submission, { refusal: "org.lastEan" });
    case "unitGone":
      return replyToForm(formId, submission, { refusal: "org.unitGone" });
    case "notMember":
      return replyToForm(formId, submission, { refusal: "org.notMember" });
  }
}

type Organisation = ReturnType<typeof useLoaderData<typeof loader>>["organisation"];

const useReply = (formId: string) => useFormReply<typeof action>(formId);

function DetailsForm({ organisation }: { organisation: Organisation }) {
  const t = useT();
  const reply = useReply("organisation-details");
  const [form, fields] = useForm({
    id: "organisation-details",
    lastResult: reply?.result,
    defaultValue: { ...organisation.details, organisationId: String(organisation.id), intent: "details" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, organisationDetailsSchema),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <h2>{t("order.buyerHeading")}</h2>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="details" />
      <input type="hidden" name="organisationId" value={organisation.id} />
      <OrganisationFields fields={fields} />
      <div>
        <button type="submit" className="button">
          {t("org.save")}
        </button>
      </div>
    </Form>
  );
}

function AddEanForm({ organisationId }: { organisationId: number }) {
  const t = useT();
  const reply = useReply("add-ean");
  const [form, fields] = useForm({
    id: "add-ean",
    lastResult: reply?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, addEanSchema),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <h3>{t("org.addEan")}</h3>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="addEan" />
      <input type="hidden" name="organisationId" value={organisationId} />
      <Field field={fields.ean} label={t("org.ean")} hint={t("order.eanHint")} type="text" />
      <Field field={fields.label} label={t("org.eanLabel")} type="text" />
      <div>
        <button type="submit" className="button button--secondary">
          {t("org.addEanSubmit")}
        </button>
      </div>
    </Form>
  );
}

function AddUnitForm({ organisationId }: { organisationId: number }) {
  const t = useT();
  const reply = useReply("add-unit");
  const [form, fields] = useForm({
    id: "add-unit",
    lastResult: reply?.result,
    defaultValue: { kind: "institution" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, addUnitSchema),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <h3>{t("org.addUnit")}</h3>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="addUnit" />
      <input type="hidden" name="organisationId" value={organisationId} />
      <Field field={fields.name} label={t("org.unitName")} type="text" />
      <SelectField
        field={fields.kind}
        label={t("org.unitKind")}
        options={unitKinds.map((kind) => ({ value: kind, label: t(`org.kind.${kind}`) }))}
      />
      <div>
        <button type="submit" className="button button--secondary">
          {t("org.addUnitSubmit")}
        </button>
      </div>
    </Form>
  );
}

/** One person's unit: a select and a save button in their row, and what the last save was told. */
function MemberUnitForm({
  organisation,
  member,
}: {
  organisation: Organisation;
  member: Organisation["members"][number];
}) {
  const t = useT();
  return (
    <>
      <FormMessage formId={`member-${member.userId}`} />
      <Form method="post" className="filter-form">
        <input type="hidden" name="intent" value="setUnit" />
        <input type="hidden" name="organisationId" value={organisation.id} />
        <input type="hidden" name="userId" value={member.userId} />
        <label htmlFor={`member-unit-${member.userId}`} className="visually-hidden">
          {t("org.unitFor", { name: member.name })}
        </label>
        <select
          id={`member-unit-${member.userId}`}
          name="unitId"
          defaultValue={member.unitId ? String(member.unitId) : ""}
        >
          <option value="">{t("org.noUnit")}</option>
          {organisation.units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {unit.name}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="button button--secondary"
          aria-label={t("org.saveUnitFor", { name: member.name })}
        >
          {t("org.save")}
        </button>
      </Form>
    </>
  );
}

export default function MunicipalityPage() {
  const t = useT();
  const { organisation } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("org.title")}</h1>
      <p className="lead">{t("org.intro", { organisation: organisation.name })}</p>
      <DetailsForm organisation={organisation} />

      <section className="card admin-licence" aria-labelledby="eans-heading">
        <h2 id="eans-heading">{t("org.eansHeading")}</h2>
        <FormMessage formId="eans" />
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("org.ean")}</th>
              <th scope="col">{t("org.eanLabel")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("admin.column.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {organisation.eans.map((location) => (
              <tr key={location.ean}>
                <td>{location.ean}</td>
                <td>{location.label}</td>
                <td>
                  {organisation.eans.length > 1 ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="removeEan" />
                      <input type="hidden" name="organisationId" value={organisation.id} />
                      <input type="hidden" name="ean" value={location.ean} />
                      <button
                        type="submit"
                        className="link-button"
                        aria-label={t("org.removeEanFor", { ean: location.ean })}
                      >
                        {t("org.remove")}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <AddEanForm organisationId={organisation.id} />
      </section>

      <section className="card admin-licence" aria-labelledby="units-heading">
        <h2 id="units-heading">{t("org.unitsHeading")}</h2>
        <p>{t("org.unitsIntro")}</p>
        <FormMessage formId="units" />
        {organisation.units.length === 0 ? <p>{t("org.unitsNone")}</p> : null}
        <ul>
          {organisation.units.map((unit) => (
            <li key={unit.id}>
              {unit.name} ({t(`org.kind.${unit.kind}`)}){" "}
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="removeUnit" />
                <input type="hidden" name="organisationId" value={organisation.id} />
                <input type="hidden" name="unitId" value={unit.id} />
                <button type="submit" className="link-button" aria-label={t("org.removeUnitFor", { unit: unit.name })}>
                  {t("org.remove")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <AddUnitForm organisationId={organisation.id} />

        <h3>{t("org.membersHeading")}</h3>
        <ScrollingTable label={t("org.membersHeading")}>
          <thead>
            <tr>
              <th scope="col">{t("admin.column.person")}</th>
              <th scope="col">{t("admin.column.unit")}</th>
            </tr>
          </thead>
          <tbody>
            {organisation.members.map((member) => (
              <tr key={member.userId}>
                <td>
                  {member.name}
                  <br />
                  <span className="course-card__meta email">{member.email}</span>
                </td>
                <td>
                  <MemberUnitForm organisation={organisation} member={member} />
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      </section>
    </div>
  );
}
