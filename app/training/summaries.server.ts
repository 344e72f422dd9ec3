import { and, eq, isNull } from "drizzle-orm";
import { memberships, organisations, trainingCycles, users } from "#db/schema";
import { db } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { getEnv } from "~/env.server";
import { danishDate } from "~/i18n/dates";
import { intlLocale, translator } from "~/i18n/i18n";
import { complianceSummary, type ComplianceSummary } from "./compliance.server";
import { sendDigestOnce } from "./digests.server";
import { mailSwitchedOn } from "./mail-settings.server";

// Summaries go to admins' work addresses, often shared mailboxes, and are written in Danish.
const t = translator("da");

/** Municipalities with current rounds whose admins get the monthly summary (no settings row: all mails on). */
function summarisedMunicipalities() {
  return db
    .selectDistinct({ id: organisations.id, name: organisations.name })
    .from(trainingCycles)
    .innerJoin(organisations, eq(organisations.id, trainingCycles.organisationId))
    .where(and(isNull(trainingCycles.endedAt), mailSwitchedOn("adminSummary", organisations.id)))
    .all();
}

function summaryText(organisationId: number, organisationName: string, summary: ComplianceSummary) {
  const lines = summary.courses.map(({ title, counts }) =>
    t("compliance.summaryMail.course", {
      course: title,
      assigned: counts.assigned,
      onTime: counts.completedOnTime,
      late: counts.completedLate,
      inProgress: counts.inProgress,
      overdue: counts.overdue,
      notStarted: counts.notStarted + counts.refresh,
    }),
  );
  return t("compliance.summaryMail.body", {
    organisation: organisationName,
    courses: lines.join("\n"),
    link: `${getEnv().PUBLIC_URL}/administration/obligatorisk/overblik?organisation=${organisationId}`,
  });
}

/**
 * Once a month, each admin of a municipality with mandatory courses gets the counts per course and a
 * link to the overview. The claim (a training_digests row for the month) is taken before the mail
 * goes, so two processes send it once; a failed mail gives the claim back for the next run. Claims
 * and mails are separate steps, never one transaction: a mail cannot be rolled back.
 */
export async function sendAdminSummaries(now = new Date()): Promise<{ sent: number }> {
  const period = danishDate(now).slice(0, 7);
  const month = new Intl.DateTimeFormat(intlLocale("da"), { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${period}-15T12:00:00Z`),
  );
  let sent = 0;
  for (const organisation of summarisedMunicipalities()) {
    const admins = db
      .select({ id: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organisationId, organisation.id), eq(memberships.role, "admin")))
      .all();
    if (admins.length === 0) continue;
    const scope = { organisationId: organisation.id, organisationName: organisation.name, unitId: null };
    const text = summaryText(organisation.id, organisation.name, complianceSummary(scope, {}, now));
    for (const admin of admins) {
      const claim = {
        kind: "adminMonthly" as const,
        organisationId: organisation.id,
        recipientUserId: admin.id,
        period,
      };
      const delivered = await sendDigestOnce(claim, now, () =>
        sendEmail({ to: admin.email, subject: t("compliance.summaryMail.subject", { month }), text }),
      );
      if (delivered) sent += 1;
    }
  }
  return { sent };
}
