import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { ComplianceOverview } from "~/components/compliance-overview";
import { OrganisationSwitcher } from "~/components/organisation-switcher";
import { pageTitle, useT } from "~/i18n/i18n";
import { administeredOrganisations } from "~/licensing/overview.server";
import { peopleScope } from "~/licensing/people.server";
import { recordAccess } from "~/privacy/access-log.server";
import { complianceOverview } from "~/training/compliance.server";
import { invariantResponse } from "~/utils/http.server";
import { remindAction } from "./remind-action.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "compliance.admin.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** The admin's overview of one of their municipalities (the first unless ?organisation= names another). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const search = new URL(request.url).searchParams;
  const organisations = administeredOrganisations(user);
  const requested = search.get("organisation");
  const organisationId = requested ? Number(requested) : organisations[0]?.id;
  const scope = organisationId ? peopleScope(user, organisationId, null) : null;
  // A leader of a unit there gets a scope too, but this page is the admin's: only their own municipalities.
  invariantResponse(scope && scope.unitId === null, "notFound.organisation", { status: 404 });
  // The one write a loader may make: the access log notes that named people's training was shown.
  recordAccess({ viewerId: user.id, organisationId: scope.organisationId, action: "viewPeople" });
  return json(
    { organisations, ...complianceOverview(scope, search.get("kursus")) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  return remindAction(await requireAdmin(request), request);
}

export default function AdminCompliance() {
  const t = useT();
  const { organisations, scope, summary, overdue, courseId } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/administration/obligatorisk">{t("compliance.admin.back")}</Link>
      </p>
      <h1>{t("compliance.admin.title")}</h1>
      <p className="lead">{t("compliance.admin.intro", { organisation: scope.organisationName })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={scope.organisationId}
        label={t("compliance.admin.organisations")}
      />
      <ComplianceOverview
        organisationId={scope.organisationId}
        heading={t("compliance.admin.heading", { organisation: scope.organisationName })}
        summary={summary}
        overdue={overdue}
        courseId={courseId}
        perUnit
      />
    </div>
  );
}
