import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { OrganisationSwitcher } from "~/components/organisation-switcher";
import { MIN_GROUP } from "~/feedback/forms";
import { ReportFilterForm } from "~/feedback/report-view";
import { parseReportFilters } from "~/feedback/reports.server";
import { pageTitle, useT } from "~/i18n/i18n";
import { requestedOrganisation } from "~/licensing/overview.server";
import { MeasurementReportView } from "~/measurement/report-view";
import { measurementReportPage } from "~/measurement/report.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "measurementReport.adminTitle") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation, organisations } = requestedOrganisation(user, request);
  const page = measurementReportPage({ kind: "admin", organisationId: organisation.id }, parseReportFilters(request));
  return json({ ...page, organisation, organisations }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function AdminMeasurementReport() {
  const t = useT();
  const { search } = useLocation();
  const { courses, filters, report, organisation, organisations } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/administration">{t("feedback.admin.back")}</Link>
      </p>
      <h1>{t("measurementReport.adminTitle")}</h1>
      <p className="lead">{t("measurementReport.adminIntro", { organisation: organisation.name })}</p>
      <p>{t("measurementReport.smallGroups", { min: MIN_GROUP })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("feedback.admin.organisations")}
      />
      {report ? (
        <>
          <ReportFilterForm
            options={{ courses, organisations: [] }}
            filters={filters}
            organisationId={organisation.id}
            courseRequired
          />
          <p className="button-row feedback-export">
            <a
              href={`/administration/maaling/tal.csv${search || `?organisation=${organisation.id}`}`}
              className="button button--secondary"
              download
            >
              {t("measurementReport.figuresCsv")}
            </a>
          </p>
          <MeasurementReportView report={report} />
        </>
      ) : (
        <p className="notice">{t("measurementReport.noMeasurements")}</p>
      )}
    </div>
  );
}
