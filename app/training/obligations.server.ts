import { and, eq, isNull } from "drizzle-orm";
import { trainingCycles } from "#db/schema";
import { db } from "~/db.server";
import { danishDate } from "~/i18n/dates";
import { cycleState, daysLeft, type TrainingState } from "./states";

export type Obligation = {
  courseId: number;
  dueOn: string;
  state: TrainingState;
  /** Negative once the due day has passed. */
  daysLeft: number;
  completedOn: string | null;
};

/** Open and overdue rounds first, overdue before the rest, then by due date; completed rounds last. */
function obligationOrder(a: Obligation, b: Obligation): number {
  const rank = (o: Obligation) => (o.state === "overdue" ? 0 : o.completedOn === null ? 1 : 2);
  return rank(a) - rank(b) || a.dueOn.localeCompare(b.dueOn) || a.courseId - b.courseId;
}

/**
 * The person's mandatory courses, in the order "Mine kurser" shows them, from their current rounds.
 * Read only: a page that shows them writes nothing. Made mandatory by two municipalities, a course
 * shows the earlier due date.
 */
export function learnerObligations(userId: number, now = new Date()): Obligation[] {
  const today = danishDate(now);
  const byCourse = new Map<number, Obligation>();
  const rounds = db
    .select({
      courseId: trainingCycles.courseId,
      dueOn: trainingCycles.dueOn,
      completedOn: trainingCycles.completedOn,
      startedAt: trainingCycles.startedAt,
      refresher: trainingCycles.refresher,
    })
    .from(trainingCycles)
    .where(and(eq(trainingCycles.userId, userId), isNull(trainingCycles.endedAt)))
    .all();
  for (const round of rounds) {
    const obligation: Obligation = {
      courseId: round.courseId,
      dueOn: round.dueOn,
      state: cycleState(round, today),
      daysLeft: daysLeft(round.dueOn, today),
      completedOn: round.completedOn,
    };
    const known = byCourse.get(round.courseId);
    if (!known || obligationOrder(obligation, known) < 0) byCourse.set(round.courseId, obligation);
  }
  return [...byCourse.values()].sort(obligationOrder);
}
