import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { MIN_GROUP } from "~/feedback/forms";
import { ReportFilterForm } from "~/feedback/report-view";
import { parseReportFilters, reportFilterOptions } from "~/feedback/reports.server";
import { pageTitle, useT } from "~/i18n/i18n";
import { MeasurementReportView } from "~/measurement/report-view";
import { measurementReportPage } from "~/measurement/report.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "measurementReport.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  const viewer = { kind: "owner" } as const;
  const page = measurementReportPage(viewer, parseReportFilters(request));
  return json(
    { ...page, organisations: reportFilterOptions(viewer).organisations },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function OwnerMeasurementReport() {
  const t = useT();
  const { search } = useLocation();
  const { courses, organisations, filters, report } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("measurementReport.title")}</h1>
      <p className="lead">{t("measurementReport.intro")}</p>
      <p>{t("measurementReport.smallGroups", { min: MIN_GROUP })}</p>
      {report ? (
        <>
          <ReportFilterForm options={{ courses, organisations }} filters={filters} courseRequired />
          <p className="button-row feedback-export">
            <a href={`/ejer/maaling/tal.csv${search}`} className="button button--secondary" download>
              {t("measurementReport.figuresCsv")}
            </a>
            <a href={`/ejer/maaling/par.csv${search}`} className="button button--secondary" download>
              {t("measurementReport.pairsCsv")}
            </a>
            <span className="field__hint">{t("measurementReport.pairsCsvHint", { min: MIN_GROUP })}</span>
          </p>
          <MeasurementReportView report={report} />
        </>
      ) : (
        <p className="notice">{t("measurementReport.noMeasurements")}</p>
      )}
    </div>
  );
}
