import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOwner } from "~/auth/session.server";
import { professionLabels } from "~/feedback/professions";
import { feedbackExport, parseReportFilters } from "~/feedback/reports.server";
import { getTranslator } from "~/i18n/language.server";
import { toCsv } from "~/utils/csv.server";
import { privateFileHeaders } from "~/utils/http.server";

/** The responses the dashboard's filters select, one row per answer; see feedbackExport for what anonymity leaves out. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  const filters = parseReportFilters(request);
  const t = await getTranslator(request);
  const rows = feedbackExport(filters).map((row) => [
    row.courseTitle,
    t(row.audience === "leader" ? "feedback.audience.leader" : "feedback.audience.staff"),
    row.organisationName,
    row.profession ? t(professionLabels[row.profession]) : t("feedback.report.professionUnknown"),
    row.month,
    row.name,
    row.email,
    row.responseNumber,
    row.question,
    row.answer,
  ]);
  const csv = toCsv(
    [
      t("feedback.csv.course"),
      t("feedback.report.audience"),
      t("feedback.report.organisation"),
      t("feedback.report.profession"),
      t("feedback.report.month"),
      t("feedback.csv.name"),
      t("signIn.email"),
      t("feedback.csv.response"),
      t("feedback.csv.question"),
      t("feedback.csv.answer"),
    ],
    rows,
  );
  return new Response(csv, { headers: privateFileHeaders("text/csv; charset=utf-8", "feedback-svar.csv") });
}
