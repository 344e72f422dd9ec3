import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { MIN_GROUP } from "~/feedback/forms";
import { FeedbackReports, ReportFilterForm } from "~/feedback/report-view";
import { feedbackReport, parseReportFilters, reportFilterOptions } from "~/feedback/reports.server";
import { pageTitle, useT } from "~/i18n/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "feedback.dashboard.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  const filters = parseReportFilters(request);
  const viewer = { kind: "owner" } as const;
  return json(
    { filters, options: reportFilterOptions(viewer), reports: feedbackReport(viewer, filters) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function FeedbackDashboard() {
  const t = useT();
  const { search } = useLocation();
  const { filters, options, reports } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("feedback.dashboard.title")}</h1>
      <p className="lead">{t("feedback.dashboard.intro", { min: MIN_GROUP })}</p>
      <p>{t("feedback.dashboard.smallGroups", { min: MIN_GROUP })}</p>
      <ReportFilterForm options={options} filters={filters} />
      <p className="button-row feedback-export">
        <a href={`/ejer/feedback/svar.csv${search}`} className="button button--secondary" download>
          {t("feedback.dashboard.csv")}
        </a>
        <span className="field__hint">{t("feedback.dashboard.csvHint", { min: MIN_GROUP })}</span>
      </p>
      <FeedbackReports reports={reports} />
    </div>
  );
}
