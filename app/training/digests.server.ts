import { and, asc, eq, isNotNull, isNull, lte } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { courses, memberships, organisationUnits, trainingCycles, trainingDigests, users } from "#db/schema";
import { db } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { sendOnce } from "~/email/send-once.server";
import { getEnv } from "~/env.server";
import { danishDate, isoWeek, shiftDays } from "~/i18n/dates";
import { formatDay, translator } from "~/i18n/i18n";
import { mailSwitchedOn } from "./mail-settings.server";
import { FIRST_REMINDER_DAYS } from "./reminders.server";

const t = translator("da");

const leader = alias(memberships, "leader");
const leaderUser = alias(users, "leader_user");

/**
 * For every leader with a unit, in municipalities that send the digest: the open current rounds
 * of the unit's people that are overdue or due within the reminder window, soonest first.
 */
function dueInLeadersUnits(today: string) {
  return db
    .select({
      organisationId: leader.organisationId,
      leaderId: leader.userId,
      leaderEmail: leaderUser.email,
      leaderName: leaderUser.name,
      unitName: organisationUnits.name,
      personName: users.name,
      courseTitle: courses.title,
      dueOn: trainingCycles.dueOn,
    })
    .from(leader)
    .innerJoin(leaderUser, and(eq(leaderUser.id, leader.userId), isNull(leaderUser.deactivatedAt)))
    .innerJoin(organisationUnits, eq(organisationUnits.id, leader.unitId))
    .innerJoin(
      memberships,
      and(
        eq(memberships.organisationId, leader.organisationId),
        eq(memberships.unitId, leader.unitId),
        isNull(memberships.unlistedAt),
      ),
    )
    .innerJoin(users, and(eq(users.id, memberships.userId), isNull(users.deactivatedAt)))
    .innerJoin(
      trainingCycles,
      and(
        eq(trainingCycles.organisationId, leader.organisationId),
        eq(trainingCycles.userId, memberships.userId),
        isNull(trainingCycles.endedAt),
        isNull(trainingCycles.completedOn),
        lte(trainingCycles.dueOn, shiftDays(today, FIRST_REMINDER_DAYS)),
      ),
    )
    .innerJoin(courses, eq(courses.id, trainingCycles.courseId))
    .where(
      and(eq(leader.role, "leader"), isNotNull(leader.unitId), mailSwitchedOn("leaderDigest", leader.organisationId)),
    )
    .orderBy(asc(leader.userId), asc(trainingCycles.dueOn), asc(users.name))
    .all();
}

type DigestRow = ReturnType<typeof dueInLeadersUnits>[number];

function digestLine(row: DigestRow, today: string) {
  const values = { name: row.personName, course: row.courseTitle, date: formatDay("da", row.dueOn) };
  return row.dueOn < today ? t("training.digest.overdueLine", values) : t("training.digest.dueLine", values);
}

export type DigestClaim = {
  kind: (typeof trainingDigests.$inferInsert)["kind"];
  organisationId: number;
  recipientUserId: number;
  period: string;
};

/**
 * A leader's weekly digest or an admin's monthly summary, sent once per recipient and period: the
 * training_digests row is the claim (see sendOnce), given back if the mail cannot go.
 */
export function sendDigestOnce(claim: DigestClaim, now: Date, send: () => Promise<void>) {
  return sendOnce({
    claim: () =>
      db
        .insert(trainingDigests)
        .values({ ...claim, sentAt: now })
        .onConflictDoNothing()
        .run().changes === 1,
    release: () =>
      db
        .delete(trainingDigests)
        .where(
          and(
            eq(trainingDigests.kind, claim.kind),
            eq(trainingDigests.organisationId, claim.organisationId),
            eq(trainingDigests.recipientUserId, claim.recipientUserId),
            eq(trainingDigests.period, claim.period),
          ),
        )
        .run(),
    send,
  });
}

export type SentDigest = { to: string; period: string; rounds: number };

/**
 * Tells each leader once per ISO week who in their unit is overdue or soon due, so they can follow
 * up; a week with nobody to mention sends nothing. The claim is a training_digests row per leader,
 * municipality and week, as the learner reminders' claims are.
 */
export async function sendLeaderDigests(now = new Date()): Promise<SentDigest[]> {
  const today = danishDate(now);
  const period = isoWeek(today);
  const byLeader = new Map<string, DigestRow[]>();
  for (const row of dueInLeadersUnits(today)) {
    const key = `${row.organisationId}:${row.leaderId}`;
    byLeader.set(key, [...(byLeader.get(key) ?? []), row]);
  }
  const sent: SentDigest[] = [];
  for (const rows of byLeader.values()) {
    const first = rows[0]!;
    const claim = {
      kind: "leaderWeekly" as const,
      organisationId: first.organisationId,
      recipientUserId: first.leaderId,
      period,
    };
    const values = {
      name: first.leaderName,
      unit: first.unitName,
      lines: rows.map((row) => `- ${digestLine(row, today)}`).join("\n"),
      link: `${getEnv().PUBLIC_URL}/leder/obligatorisk/overblik`,
    };
    const delivered = await sendDigestOnce(claim, now, () =>
      sendEmail({
        to: first.leaderEmail,
        subject: t("training.digest.subject", values),
        text: t("training.digest.body", values),
      }),
    );
    if (delivered) sent.push({ to: first.leaderEmail, period, rounds: rows.length });
  }
  return sent;
}
