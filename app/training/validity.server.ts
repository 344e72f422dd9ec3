import { and, eq, isNotNull, isNull, min } from "drizzle-orm";
import { trainingAssignments, trainingCycles } from "#db/schema";
import { db } from "~/db.server";
import { periodEnd } from "~/licensing/periods";

/**
 * The last day a completion counts under a recurring assignment: a whole number of months from the
 * completion day, by the rule licence periods follow (completed 2 March 2027, 24 months: valid to
 * and including 1 March 2029). Null for an assignment that is done once.
 */
export function roundExpiry(completedOn: string, assignment: { recurrenceMonths: number | null }): string | null {
  return assignment.recurrenceMonths == null ? null : periodEnd(completedOn, assignment.recurrenceMonths);
}

/**
 * How long a certificate issued now is valid: until the completion must be refreshed under the
 * recurring assignment that governs the person's current round of the course; null when none does.
 * Covered by several municipalities' rules, the shortest recurrence decides. Only reads, so the
 * learning domain can ask it without knowing anything else of training.
 */
export function certificateValidity(userId: number, courseId: number, completedOn: string): string | null {
  const governing = db
    .select({ recurrenceMonths: min(trainingAssignments.recurrenceMonths) })
    .from(trainingCycles)
    .innerJoin(trainingAssignments, eq(trainingAssignments.id, trainingCycles.assignmentId))
    .where(
      and(
        eq(trainingCycles.userId, userId),
        eq(trainingCycles.courseId, courseId),
        isNull(trainingCycles.endedAt),
        isNull(trainingAssignments.removedAt),
        isNotNull(trainingAssignments.recurrenceMonths),
      ),
    )
    .get();
  return roundExpiry(completedOn, { recurrenceMonths: governing?.recurrenceMonths ?? null });
}
