import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MIN_GROUP } from "~/feedback/forms";
import { FeedbackReports, ReportFilterForm } from "~/feedback/report-view";
import { feedbackReport, parseReportFilters, reportFilterOptions } from "~/feedback/reports.server";
import { pageTitle, useT } from "~/i18n/i18n";
import { requireAdmin } from "~/auth/session.server";
import { requestedOrganisation } from "~/licensing/overview.server";
import { OrganisationSwitcher } from "~/components/organisation-switcher";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "feedback.admin.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation, organisations } = requestedOrganisation(user, request);
  const filters = parseReportFilters(request);
  const viewer = { kind: "admin", organisationId: organisation.id } as const;
  return json(
    {
      organisation,
      organisations,
      filters,
      options: reportFilterOptions(viewer),
      reports: feedbackReport(viewer, filters),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function AdminFeedback() {
  const t = useT();
  const { organisation, organisations, filters, options, reports } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/administration">{t("feedback.admin.back")}</Link>
      </p>
      <h1>{t("feedback.admin.title")}</h1>
      <p className="lead">{t("feedback.admin.intro", { organisation: organisation.name, min: MIN_GROUP })}</p>
      <p>{t("feedback.admin.smallGroups", { min: MIN_GROUP })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("feedback.admin.organisations")}
      />
      <ReportFilterForm options={options} filters={filters} organisationId={organisation.id} />
      <FeedbackReports reports={reports} />
    </div>
  );
}
