import { and, eq, isNull, lte, notExists, sql } from "drizzle-orm";
import {
  courses,
  trainingAssignments,
  trainingCycles,
  trainingReminders,
  type trainingReminderSteps,
  users,
} from "#db/schema";
import { db } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { sendOnce } from "~/email/send-once.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { formatDay, translator } from "~/i18n/i18n";
import { holdsActiveSeat } from "~/licensing/access.server";
import { filmLinks } from "./film-links.server";
import { mailSwitchedOn } from "./mail-settings.server";
import { daysLeft } from "./states";

export type ReminderStep = (typeof trainingReminderSteps)[number];

/** The first reminder goes this many days before the due day. */
export const FIRST_REMINDER_DAYS = 14;

// There is no per-user language, so mails are in Danish, as the billing notices are.
const t = translator("da");

/**
 * The one step due today for a round due on `dueOn`: overdue once the day has passed, else the
 * nearest of 1, 7 and 14 days before. Only this step is sent, so a step the job missed (the server
 * was down that week) is not sent late on top of the next one.
 */
function currentStep(today: string) {
  return sql<ReminderStep>`case
    when ${trainingCycles.dueOn} < ${today} then 'overdue'
    when ${trainingCycles.dueOn} <= ${shiftDays(today, 1)} then 'due1'
    when ${trainingCycles.dueOn} <= ${shiftDays(today, 7)} then 'due7'
    else 'due14' end`;
}

/**
 * The open current rounds whose step due today has not been sent: people who are not
 * deactivated, hold an active seat for the course in the round's municipality, under an
 * assignment still in force, in a municipality that sends learner reminders.
 */
function remindersDue(today: string) {
  const step = currentStep(today);
  return db
    .select({
      cycleId: trainingCycles.id,
      step,
      userId: trainingCycles.userId,
      email: users.email,
      name: users.name,
      courseId: trainingCycles.courseId,
      courseSlug: courses.slug,
      courseTitle: courses.title,
      dueOn: trainingCycles.dueOn,
    })
    .from(trainingCycles)
    .innerJoin(users, eq(users.id, trainingCycles.userId))
    .innerJoin(courses, eq(courses.id, trainingCycles.courseId))
    .innerJoin(
      trainingAssignments,
      and(eq(trainingAssignments.id, trainingCycles.assignmentId), isNull(trainingAssignments.removedAt)),
    )
    .where(
      and(
        isNull(trainingCycles.endedAt),
        isNull(trainingCycles.completedOn),
        lte(trainingCycles.dueOn, shiftDays(today, FIRST_REMINDER_DAYS)),
        isNull(users.deactivatedAt),
        holdsActiveSeat(trainingCycles, today),
        mailSwitchedOn("learnerReminders", trainingCycles.organisationId),
        notExists(
          db
            .select({ one: sql`1` })
            .from(trainingReminders)
            .where(and(eq(trainingReminders.cycleId, trainingCycles.id), eq(trainingReminders.step, step))),
        ),
      ),
    )
    .all();
}

export type SentReminder = { to: string; step: ReminderStep; cycleId: number; subject: string };

/**
 * Reminds people of a mandatory course coming due: 14, 7 and 1 day before, and once when it is
 * overdue, each at most once per round, with a link straight to the film they are up to. What is
 * due is worked out from the database on every run, so restarts and overlapping runs are harmless;
 * the claim in training_reminders is what makes "once" hold with several processes.
 */
export async function sendLearnerReminders(now = new Date()): Promise<SentReminder[]> {
  const today = danishDate(now);
  const due = remindersDue(today);
  const links = filmLinks(due);
  const sent: SentReminder[] = [];
  for (const reminder of due) {
    const values = {
      name: reminder.name,
      course: reminder.courseTitle,
      date: formatDay("da", reminder.dueOn),
      days: daysLeft(reminder.dueOn, today),
      link: links.get(`${reminder.userId}:${reminder.courseId}`) ?? "",
    };
    const subject = t(`training.reminder.${reminder.step}.subject`, values);
    const claim = { cycleId: reminder.cycleId, step: reminder.step };
    const delivered = await sendOnce({
      claim: () =>
        db
          .insert(trainingReminders)
          .values({ ...claim, sentAt: now })
          .onConflictDoNothing()
          .run().changes === 1,
      release: () =>
        db
          .delete(trainingReminders)
          .where(and(eq(trainingReminders.cycleId, claim.cycleId), eq(trainingReminders.step, claim.step)))
          .run(),
      send: () =>
        sendEmail({ to: reminder.email, subject, text: t(`training.reminder.${reminder.step}.body`, values) }),
    });
    if (delivered) sent.push({ to: reminder.email, step: reminder.step, cycleId: reminder.cycleId, subject });
  }
  return sent;
}
