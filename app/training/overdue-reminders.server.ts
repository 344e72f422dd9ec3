import { and, eq, isNull } from "drizzle-orm";
import { courses, memberships, trainingCycles, users } from "#db/schema";
import { consumeAllowance, refundAllowance } from "~/auth/rate-limits.server";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { danishDate } from "~/i18n/dates";
import { formatDay, translator } from "~/i18n/i18n";
import { peopleScope } from "~/licensing/people.server";
import { filmLink } from "./film-links.server";

export type RemindResult =
  | { status: "notFound" }
  | { status: "notOverdue" | "remindedToday" | "mailFailed" | "reminded"; name: string; organisationId: number };

/**
 * "Send påmindelse" beside one overdue person: found only within what the user may see (an admin's
 * municipality, a leader's own unit), so anyone else's round is answered as not found. It shares
 * the one-a-day reminder allowance with "remind those who have not started", so a person is never
 * mailed twice in a day by two buttons or two admins. The mail is in Danish, as the platform's
 * mails to staff are.
 */
export async function remindOverdue(
  user: Pick<SessionUser, "id">,
  cycleId: number,
  now = new Date(),
): Promise<RemindResult> {
  const organisation = db
    .select({ id: trainingCycles.organisationId })
    .from(trainingCycles)
    .where(eq(trainingCycles.id, cycleId))
    .get();
  const scope = organisation ? peopleScope(user, organisation.id, null) : null;
  if (!scope) return { status: "notFound" };
  const round = db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      courseId: trainingCycles.courseId,
      courseTitle: courses.title,
      courseSlug: courses.slug,
      dueOn: trainingCycles.dueOn,
      completedOn: trainingCycles.completedOn,
    })
    .from(trainingCycles)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, trainingCycles.userId), eq(memberships.organisationId, trainingCycles.organisationId)),
    )
    .innerJoin(users, eq(users.id, trainingCycles.userId))
    .innerJoin(courses, eq(courses.id, trainingCycles.courseId))
    .where(
      and(
        eq(trainingCycles.id, cycleId),
        eq(trainingCycles.organisationId, scope.organisationId),
        isNull(trainingCycles.endedAt),
        isNull(memberships.unlistedAt),
        scope.unitId === null ? undefined : eq(memberships.unitId, scope.unitId),
      ),
    )
    .get();
  if (!round) return { status: "notFound" };
  const found = { name: round.name, organisationId: scope.organisationId };
  const today = danishDate(now);
  const stillOverdue = round.completedOn === null && round.dueOn < today;
  if (!stillOverdue) return { status: "notOverdue", ...found };
  if (!(await consumeAllowance("reminderMail", round.email))) return { status: "remindedToday", ...found };
  const t = translator("da");
  try {
    await sendEmail({
      to: round.email,
      subject: t("compliance.remindMail.subject", { course: round.courseTitle }),
      text: t("compliance.remindMail.body", {
        name: round.name,
        course: round.courseTitle,
        date: formatDay("da", round.dueOn),
        organisation: scope.organisationName,
        link: filmLink(round),
      }),
    });
  } catch (error) {
    // The allowance was not used up by a mail that never went, so the button works again at once.
    await refundAllowance("reminderMail", round.email);
    console.error("En påmindelse om en overskredet frist kunne ikke sendes:", error);
    return { status: "mailFailed", ...found };
  }
  return { status: "reminded", ...found };
}
