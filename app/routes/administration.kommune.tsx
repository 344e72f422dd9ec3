import { parseWithZod } from "@conform-to/zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { unitKinds } from "#db/schema";
import { Field } from "~/components/field";
import { OrganisationFields } from "~/components/organisation-fields";
import type { MessageKey } from "~/i18n/da";
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
import { formIntent, invariantResponse, parseSubmission, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "org.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const requested = new URL(request.url).searchParams.get("organisation");
  const organisationId = requested ? Number(requested) : administeredOrganisations(user)[0]?.id;
  const organisation = organisationId ? organisationForAdmin(user, organisationId) : null;
  invariantResponse(organisation, "Kommunen findes ikke.", { status: 404 });
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

const refusals: Record<Exclude<ChangeResult, "saved" | "forbidden">, { field: string; message: MessageKey }> = {
  cvrTaken: { field: "cvr", message: "order.cvrTaken" },
  eanTaken: { field: "ean", message: "order.eanTaken" },
  duplicate: { field: "", message: "org.duplicate" },
  lastEan: { field: "", message: "org.lastEan" },
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") return json({ intent, result: submission.reply(), saved: false }, { status: 400 });

  const value = submission.value;
  let outcome: ChangeResult;
  switch (value.intent) {
    case "details":
      outcome = updateOrganisationDetails(user, value.organisationId, value);
      break;
    case "addEan":
      outcome = addEanLocation(user, value.organisationId, value.ean, value.label);
      break;
    case "removeEan":
      outcome = removeEanLocation(user, value.organisationId, value.ean);
      break;
    case "addUnit":
      outcome = addUnit(user, value.organisationId, value.name, value.kind);
      break;
    case "removeUnit":
      outcome = removeUnit(user, value.organisationId, value.unitId);
      break;
    case "setUnit":
      outcome = setMemberUnit(user, value.organisationId, value.userId, value.unitId);
      break;
  }
  invariantResponse(outcome !== "forbidden", "Kommunen findes ikke.", { status: 404 });
  if (outcome !== "saved") {
    const refusal = refusals[outcome];
    const reply = refusal.field ? submission.reply({ fieldErrors: { [refusal.field]: [refusal.message] } }) : submission.reply({ formErrors: [refusal.message] });
    return json({ intent, result: reply, saved: false }, { status: 409 });
  }
  return json({ intent, result: submission.reply({ resetForm: value.intent !== "details" }), saved: true });
}

type Organisation = ReturnType<typeof useLoaderData<typeof loader>>["organisation"];

function DetailsForm({ organisation }: { organisation: Organisation }) {
  const t = useT();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "organisation-details",
    lastResult: data?.intent === "details" ? data.result : undefined,
    defaultValue: { ...organisation.details, organisationId: String(organisation.id), intent: "details" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: organisationDetailsSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <h2>{t("order.buyerHeading")}</h2>
      {data?.intent === "details" && data.saved ? (
        <p className="notice" role="status">
          {t("org.saved")}
        </p>
      ) : null}
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
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "add-ean",
    lastResult: data?.intent === "addEan" ? data.result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addEanSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <h3>{t("org.addEan")}</h3>
      {form.errors ? <p className="field__error">{form.errors.map((e) => t(e as MessageKey)).join(" ")}</p> : null}
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
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "add-unit",
    lastResult: data?.intent === "addUnit" ? data.result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addUnitSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <h3>{t("org.addUnit")}</h3>
      {form.errors ? <p className="field__error">{form.errors.map((e) => t(e as MessageKey)).join(" ")}</p> : null}
      <input type="hidden" name="intent" value="addUnit" />
      <input type="hidden" name="organisationId" value={organisationId} />
      <Field field={fields.name} label={t("org.unitName")} type="text" />
      <div className="field">
        <label htmlFor="unit-kind">{t("org.unitKind")}</label>
        <select id="unit-kind" name="kind" defaultValue="institution">
          {unitKinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`org.kind.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <button type="submit" className="button button--secondary">
          {t("org.addUnitSubmit")}
        </button>
      </div>
    </Form>
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
                      <button type="submit" className="link-button" aria-label={t("org.removeEanFor", { ean: location.ean })}>
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
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("org.membersHeading")}>
          <table className="table">
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
                    <Form method="post" className="filter-form">
                      <input type="hidden" name="intent" value="setUnit" />
                      <input type="hidden" name="organisationId" value={organisation.id} />
                      <input type="hidden" name="userId" value={member.userId} />
                      <label htmlFor={`member-unit-${member.userId}`} className="visually-hidden">
                        {t("org.unitFor", { name: member.name })}
                      </label>
                      <select id={`member-unit-${member.userId}`} name="unitId" defaultValue={member.unitId ? String(member.unitId) : ""}>
                        <option value="">{t("org.noUnit")}</option>
                        {organisation.units.map((unit) => (
                          <option key={unit.id} value={unit.id}>
                            {unit.name}
                          </option>
                        ))}
                      </select>
                      <button type="submit" className="button button--secondary" aria-label={t("org.saveUnitFor", { name: member.name })}>
                        {t("org.save")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
