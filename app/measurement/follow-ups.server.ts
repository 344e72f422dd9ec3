import { and, eq, isNotNull, isNull, lte, notExists, sql } from "drizzle-orm";
import {
  certificates,
  courses,
  measurementFollowUps,
  measurementItems,
  measurementSubmissions,
  measurements,
  memberships,
  users,
  type MeasurementAudience,
} from "#db/schema";
import { db } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { sendOnce } from "~/email/send-once.server";
import { getEnv } from "~/env.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import type { MessageKey } from "~/i18n/da";
import { translator } from "~/i18n/i18n";
import { courseSeat } from "~/licensing/access.server";
import { audienceOf, followUpDueOn } from "./answers.server";
import { measurementHref } from "./forms";

/** The reminder goes this many days after the invitation, once, to those who have not answered or skipped. */
export const REMINDER_AFTER_DAYS = 7;

type FollowUpMoment = "followUp" | "leaderFollowUp";
type MailStep = "invite" | "remind";

const mailTexts: Record<FollowUpMoment, Record<MailStep, { subject: MessageKey; body: MessageKey }>> = {
  followUp: {
    invite: { subject: "measurement.mail.followUpSubject", body: "measurement.mail.followUpBody" },
    remind: { subject: "measurement.mail.followUpReminderSubject", body: "measurement.mail.followUpReminderBody" },
  },
  leaderFollowUp: {
    invite: { subject: "measurement.mail.leaderSubject", body: "measurement.mail.leaderBody" },
    remind: { subject: "measurement.mail.leaderReminderSubject", body: "measurement.mail.leaderReminderBody" },
  },
};

// There is no per-user language, so mails are in Danish, as the training reminders are.
const t = translator("da");

/** Measurements switched on that ask this audience anything. */
function activeWithItems(audience: MeasurementAudience) {
  return db
    .select({ id: measurements.id, courseId: measurements.courseId, followUpWeeks: measurements.followUpWeeks })
    .from(measurements)
    .where(
      and(
        eq(measurements.active, true),
        sql`exists (select 1 from ${measurementItems} where ${measurementItems.measurementId} = ${measurements.id} and ${measurementItems.audience} = ${audience})`,
      ),
    )
    .all();
}

/** The person has neither answered nor skipped the follow-up the row is about. */
const notYetDone = notExists(
  db
    .select({ one: sql`1` })
    .from(measurementSubmissions)
    .where(
      and(
        eq(measurementSubmissions.measurementId, measurementFollowUps.measurementId),
        eq(measurementSubmissions.userId, measurementFollowUps.userId),
        eq(measurementSubmissions.moment, measurementFollowUps.moment),
      ),
    ),
);

const notListed = (moment: FollowUpMoment, measurementId: number, userId: Parameters<typeof eq>[0]) =>
  notExists(
    db
      .select({ one: sql`1` })
      .from(measurementFollowUps)
      .where(
        and(
          eq(measurementFollowUps.measurementId, measurementId),
          eq(measurementFollowUps.userId, userId),
          eq(measurementFollowUps.moment, moment),
        ),
      ),
  );

/** The people each measurement might owe a follow-up: staff who completed the course, leaders with a unit. */
function candidates(
  moment: FollowUpMoment,
  measurement: { id: number; courseId: number; followUpWeeks: number },
  today: string,
) {
  if (moment === "followUp") {
    return db
      .selectDistinct({ userId: certificates.userId })
      .from(certificates)
      .innerJoin(users, eq(users.id, certificates.userId))
      .where(
        and(
          eq(certificates.courseId, measurement.courseId),
          eq(certificates.round, 0),
          // Only those whose follow-up can have fallen due, so the job does not look at everyone every run.
          lte(certificates.completedOn, shiftDays(today, -7 * measurement.followUpWeeks)),
          isNull(users.deactivatedAt),
          notListed(moment, measurement.id, certificates.userId),
        ),
      )
      .all()
      .flatMap((row) => (row.userId == null ? [] : [row.userId]));
  }
  return db
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.role, "leader"),
        isNotNull(memberships.unitId),
        isNull(users.deactivatedAt),
        notListed(moment, measurement.id, memberships.userId),
      ),
    )
    .all()
    .map((row) => row.userId);
}

/**
 * Lists everyone whose follow-up has fallen due and is not listed yet, by the same rule the
 * follow-up page uses (followUpDueOn), with the municipality of the seat that gives them the course.
 */
function listDueFollowUps(today: string, now: Date) {
  let listed = 0;
  for (const moment of ["followUp", "leaderFollowUp"] as const) {
    for (const measurement of activeWithItems(audienceOf(moment))) {
      for (const userId of candidates(moment, measurement, today)) {
        const seat = courseSeat(userId, measurement.courseId, now);
        if (!seat) continue;
        const dueOn = followUpDueOn(moment, userId, measurement.courseId, seat, measurement.followUpWeeks);
        if (dueOn == null || dueOn > today) continue;
        listed += db
          .insert(measurementFollowUps)
          .values({ measurementId: measurement.id, userId, moment, organisationId: seat.organisationId, dueOn })
          .onConflictDoNothing()
          .run().changes;
      }
    }
  }
  return listed;
}

/** Listed follow-ups whose mail of this step is owed today: still switched on, not answered or skipped, the person active. */
function mailsOwed(step: MailStep, today: string, now: Date) {
  const stepDue =
    step === "invite"
      ? and(isNull(measurementFollowUps.invitedAt), lte(measurementFollowUps.dueOn, today))
      : and(
          isNull(measurementFollowUps.remindedAt),
          lte(measurementFollowUps.invitedAt, new Date(now.getTime() - REMINDER_AFTER_DAYS * 24 * 60 * 60 * 1000)),
        );
  return db
    .select({
      measurementId: measurementFollowUps.measurementId,
      userId: measurementFollowUps.userId,
      moment: measurementFollowUps.moment,
      courseId: courses.id,
      courseSlug: courses.slug,
      courseTitle: courses.title,
      followUpWeeks: measurements.followUpWeeks,
      email: users.email,
      name: users.name,
    })
    .from(measurementFollowUps)
    .innerJoin(measurements, eq(measurements.id, measurementFollowUps.measurementId))
    .innerJoin(courses, eq(courses.id, measurements.courseId))
    .innerJoin(users, eq(users.id, measurementFollowUps.userId))
    .where(and(stepDue, eq(measurements.active, true), isNull(users.deactivatedAt), notYetDone))
    .all()
    .filter((row) => courseSeat(row.userId, row.courseId, now) != null);
}

/** Claims the step's mail for one follow-up: true for the one process whose UPDATE changed the row. */
function claim(step: MailStep, key: { measurementId: number; userId: number; moment: string }, now: Date | null) {
  const column = step === "invite" ? measurementFollowUps.invitedAt : measurementFollowUps.remindedAt;
  const set = step === "invite" ? { invitedAt: now } : { remindedAt: now };
  return db
    .update(measurementFollowUps)
    .set(set)
    .where(
      and(
        eq(measurementFollowUps.measurementId, key.measurementId),
        eq(measurementFollowUps.userId, key.userId),
        sql`${measurementFollowUps.moment} = ${key.moment}`,
        now ? isNull(column) : isNotNull(column),
      ),
    )
    .run().changes;
}

export type SentFollowUpMail = { to: string; moment: FollowUpMoment; step: MailStep; subject: string };

/**
 * The training job's step for measurements: lists the follow-ups that have fallen due, invites
 * each on the due day with a direct link to the follow-up, and reminds once a week later those
 * who have neither answered nor skipped. Each mail is claimed by one UPDATE before it is sent and
 * sent outside any transaction, so two processes running the job send it once; a mail that
 * cannot be sent gives its claim back for the next run.
 */
export async function sendMeasurementFollowUps(now = new Date()) {
  const today = danishDate(now);
  const listed = listDueFollowUps(today, now);
  const sent: SentFollowUpMail[] = [];
  for (const step of ["invite", "remind"] as const) {
    for (const row of mailsOwed(step, today, now)) {
      const moment = row.moment as FollowUpMoment;
      const values = {
        name: row.name,
        course: row.courseTitle,
        weeks: row.followUpWeeks,
        link: `${getEnv().PUBLIC_URL}${measurementHref(row.courseSlug, moment)}`,
      };
      const texts = mailTexts[moment][step];
      const subject = t(texts.subject, values);
      const delivered = await sendOnce({
        claim: () => claim(step, row, now) === 1,
        release: () => void claim(step, row, null),
        send: () => sendEmail({ to: row.email, subject, text: t(texts.body, values) }),
      });
      if (delivered) sent.push({ to: row.email, moment, step, subject });
    }
  }
  return { listed, sent };
}
