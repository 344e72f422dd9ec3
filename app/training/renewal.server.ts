import { and, eq, isNotNull, isNull, lt, TransactionRollbackError } from "drizzle-orm";
import { trainingAssignments, trainingCycles, users } from "#db/schema";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { holdsActiveSeat } from "~/licensing/access.server";
import { restartCourse } from "./restart.server";

/**
 * The current rounds whose completion has expired and must be refreshed: completed, expired before
 * today, governed by a recurring assignment that still stands, and the person still active with a
 * seat that gives the course in the round's municipality today. A round that no longer meets this
 * is left as it is; the sync withdraws what no assignment covers.
 */
function expiredRounds(today: string) {
  return db
    .select({
      id: trainingCycles.id,
      organisationId: trainingCycles.organisationId,
      userId: trainingCycles.userId,
      courseId: trainingCycles.courseId,
      number: trainingCycles.number,
      assignmentId: trainingCycles.assignmentId,
      expiresOn: trainingCycles.expiresOn,
      refreshDueDays: trainingAssignments.refreshDueDays,
    })
    .from(trainingCycles)
    .innerJoin(trainingAssignments, eq(trainingAssignments.id, trainingCycles.assignmentId))
    .innerJoin(users, eq(users.id, trainingCycles.userId))
    .where(
      and(
        isNull(trainingCycles.endedAt),
        isNotNull(trainingCycles.completedOn),
        lt(trainingCycles.expiresOn, today),
        isNull(trainingAssignments.removedAt),
        isNotNull(trainingAssignments.recurrenceMonths),
        isNull(users.deactivatedAt),
        holdsActiveSeat(
          {
            userId: trainingCycles.userId,
            organisationId: trainingCycles.organisationId,
            courseId: trainingCycles.courseId,
          },
          today,
        ),
      ),
    )
    .all();
}

type ExpiredRound = ReturnType<typeof expiredRounds>[number];

/**
 * Ends the expired round and opens the refresher in its place, with the course started again: all
 * in one transaction, so a person is never left without a current round or with an unrestarted
 * one. The refresher opens the day after the completion expired and is due refreshDueDays later.
 * Only the process whose UPDATE ends the round goes on, so two processes renew it once.
 */
function renewRound(round: ExpiredRound, now: Date): boolean {
  const openedOn = shiftDays(round.expiresOn!, 1);
  try {
    return db.transaction(
      (tx) => {
        const ended = tx
          .update(trainingCycles)
          .set({ endedAt: now, endReason: "renewed" })
          .where(and(eq(trainingCycles.id, round.id), isNull(trainingCycles.endedAt)))
          .run();
        if (ended.changes !== 1) return false;
        const refresher = tx
          .insert(trainingCycles)
          .values({
            organisationId: round.organisationId,
            userId: round.userId,
            courseId: round.courseId,
            number: round.number + 1,
            refresher: true,
            assignmentId: round.assignmentId,
            openedOn,
            dueOn: shiftDays(openedOn, round.refreshDueDays),
          })
          .onConflictDoNothing()
          .returning({ id: trainingCycles.id })
          .get();
        // Another current round appeared meanwhile: leave everything as it was rather than half of it.
        if (!refresher) tx.rollback();
        if (!restartCourse(tx, round.userId, round.courseId, refresher!.id, now)) tx.rollback();
        return true;
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (error instanceof TransactionRollbackError) return false;
    throw error;
  }
}

/**
 * Opens a refresher round for every completion that has expired by today (Danish time), with the
 * person's course started from the beginning. Safe to run again and from two processes at once.
 * Returns how many rounds it renewed.
 */
export function renewExpiredCycles(now = new Date()): number {
  let renewed = 0;
  for (const round of expiredRounds(danishDate(now))) {
    if (renewRound(round, now)) renewed += 1;
  }
  return renewed;
}
