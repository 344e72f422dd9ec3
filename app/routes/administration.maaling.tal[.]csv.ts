import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth/session.server";
import { parseReportFilters } from "~/feedback/reports.server";
import { getTranslator } from "~/i18n/language.server";
import { requestedOrganisation } from "~/licensing/overview.server";
import { figuresCsv } from "~/measurement/report-export.server";
import { measurementReportPage } from "~/measurement/report.server";
import { invariantResponse, privateFileHeaders } from "~/utils/http.server";

/** The figures of the admin's report as a CSV file: their own municipality only, as on the page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation } = requestedOrganisation(user, request);
  const viewer = { kind: "admin", organisationId: organisation.id } as const;
  const { report } = measurementReportPage(viewer, parseReportFilters(request));
  invariantResponse(report, "measurementReport.noMeasurements", { status: 404 });
  const csv = figuresCsv(report, await getTranslator(request));
  const name = `maaling-tal-kursus-${report.courseId}-kommune-${organisation.id}.csv`;
  return new Response(csv, { headers: privateFileHeaders("text/csv; charset=utf-8", name) });
}
