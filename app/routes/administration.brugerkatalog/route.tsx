import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { pageTitle, useT } from "~/i18n/i18n";
import { administeredOrganisations } from "~/licensing/overview.server";
import { directoryForAdmin, setGroupUnit } from "~/scim/directory.server";
import { groupFormId, groupUnitSchema, issueTokenSchema, revokeTokenSchema } from "~/scim/forms";
import { issueScimToken, revokeScimToken } from "~/scim/tokens.server";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { GroupUnits } from "./group-units";
import { TokenSection, tokenFormId } from "./token-section";
import { OrganisationSwitcher } from "~/components/organisation-switcher";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "scim.admin.title") }];

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) =>
  actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const organisations = administeredOrganisations(user);
  const requested = new URL(request.url).searchParams.get("organisation");
  const organisationId = requested ? Number(requested) : organisations[0]?.id;
  const page = organisationId ? directoryForAdmin(user, organisationId) : null;
  invariantResponse(page, "notFound.organisation", { status: 404 });
  return json({ ...page, organisations }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = { issue: issueTokenSchema, revoke: revokeTokenSchema, groupUnit: groupUnitSchema } as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  // Every field here is one the page wrote (ids, a select's options): anything else is not from it.
  invariantResponse(submission.status === "success", "error.unreadableForm");
  const value = submission.value;

  if (value.intent === "issue") {
    const token = issueScimToken(user, value.organisationId);
    invariantResponse(token !== "forbidden", "notFound.organisation", { status: 404 });
    // The token is in this one answer only; it is stored as its hash.
    return replyToForm(tokenFormId, null, { notice: "scim.admin.tokenIssued", data: { token } });
  }
  if (value.intent === "revoke") {
    invariantResponse(revokeScimToken(user, value.organisationId) !== "forbidden", "notFound.organisation", {
      status: 404,
    });
    return replyToForm(tokenFormId, null, { notice: "scim.admin.tokenRevoked" });
  }

  const formId = groupFormId(value.groupId);
  const unitId = value.unitId === "none" ? null : value.unitId;
  const outcome = setGroupUnit(user, value.organisationId, value.groupId, unitId);
  invariantResponse(outcome !== "forbidden", "notFound.organisation", { status: 404 });
  if (outcome === "unknownGroup")
    return replyToForm(formId, submission, { refusal: "scim.admin.groupGone", status: 404 });
  if (outcome === "unknownUnit") return replyToForm(formId, submission, { refusal: "scim.admin.unitGone" });
  return replyToForm(formId, submission, { notice: "scim.admin.groupSaved" });
}

export type DirectoryPage = ReturnType<typeof useLoaderData<typeof loader>>;

export default function DirectoryPage() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const { organisation, organisations } = page;
  return (
    <div className="page">
      <h1>{t("scim.admin.title")}</h1>
      <p className="lead">{t("scim.admin.intro", { organisation: organisation.name })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("scim.admin.organisations")}
      />
      <section className="card">
        <h2>{t("scim.admin.urlHeading")}</h2>
        <p>{t("scim.admin.urlIntro")}</p>
        <p>
          <code className="copyable">{page.baseUrl}</code>
        </p>
      </section>
      <TokenSection page={page} />
      <section className="card">
        <h2>{t("scim.admin.peopleHeading")}</h2>
        <p>{t("scim.admin.peopleCounts", { provisioned: page.provisioned, deactivated: page.deactivated })}</p>
      </section>
      <GroupUnits page={page} />
    </div>
  );
}
