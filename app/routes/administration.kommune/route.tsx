import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
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
import { administeredOrganisations } from "~/licensing/overview.server";
import type { Notice } from "~/utils/form-reply";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { DetailsForm } from "./details-form";
import { EanNumbers } from "./ean-numbers";
import { Units } from "./units";

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
    case "unitHasAssignments":
      return replyToForm(formId, submission, { refusal: "training.error.unitHasAssignments" });
  }
}

export type Organisation = ReturnType<typeof useLoaderData<typeof loader>>["organisation"];

export default function MunicipalityPage() {
  const t = useT();
  const { organisation } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("org.title")}</h1>
      <p className="lead">{t("org.intro", { organisation: organisation.name })}</p>
      <DetailsForm organisation={organisation} />
      <EanNumbers organisation={organisation} />
      <Units organisation={organisation} />
    </div>
  );
}
