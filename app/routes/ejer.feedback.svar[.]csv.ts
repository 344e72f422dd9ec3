import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOwner } from "~/auth/session.server";
import { professionLabels } from "~/feedback/professions";
import { feedbackExport, parseReportFilters } from "~/feedback/reports.server";
import { getTranslator } from "~/i18n/language.server";
import { recordAccess } from "~/privacy/access-log.server";
import { toCsv } from "~/utils/csv.server";
import { privateFileHeaders } from "~/utils/http.server";

/** The responses the dashboard's filters select, one row per answer; see feedbackExport for what anonymity leaves out. */
export async function loader({ request }: LoaderFunctionArgs) {
  const owner = await requireOwner(request);
  const filters = parseReportFilters(request);
  const t = await getTranslator(request);
  const exported = feedbackExport(filters);
  // The one write a loader may make: each municipality whose people are named in the file has it in its access log.
  for (const organisationId of new Set(exported.filter((row) => row.email !== "").map((row) => row.organisationId)))
    recordAccess({ viewerId: owner.id, organisationId, action: "exportFeedback", format: "csv" });
  const rows = exported.map((row) => [
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
