import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOwner } from "~/auth/session.server";
import { parseReportFilters } from "~/feedback/reports.server";
import { getTranslator } from "~/i18n/language.server";
import { pairedRowsCsv } from "~/measurement/report-export.server";
import { measurementReportPage } from "~/measurement/report.server";
import { invariantResponse, privateFileHeaders } from "~/utils/http.server";

/** The owner's anonymous paired rows for the chosen course and filters; see pairedRowsCsv for what is left out. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  const filters = parseReportFilters(request);
  const { report } = measurementReportPage({ kind: "owner" }, filters);
  invariantResponse(report, "measurementReport.noMeasurements", { status: 404 });
  const csv = pairedRowsCsv(report.measurementId, filters, await getTranslator(request));
  return new Response(csv, {
    headers: privateFileHeaders("text/csv; charset=utf-8", `maaling-par-kursus-${report.courseId}.csv`),
  });
}
