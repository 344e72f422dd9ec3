import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOwner } from "~/auth/session.server";
import { parseReportFilters } from "~/feedback/reports.server";
import { getTranslator } from "~/i18n/language.server";
import { figuresCsv } from "~/measurement/report-export.server";
import { measurementReportPage } from "~/measurement/report.server";
import { invariantResponse, privateFileHeaders } from "~/utils/http.server";

/** The figures the owner's report shows for the chosen course and filters, one row per figure. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  const { report } = measurementReportPage({ kind: "owner" }, parseReportFilters(request));
  invariantResponse(report, "measurementReport.noMeasurements", { status: 404 });
  const csv = figuresCsv(report, await getTranslator(request));
  return new Response(csv, {
    headers: privateFileHeaders("text/csv; charset=utf-8", `maaling-tal-kursus-${report.courseId}.csv`),
  });
}
