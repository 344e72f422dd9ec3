/**
 * Where a person stands on one round of a mandatory course; shared by the server (overviews, CSV,
 * mails) and the pages, which show `training.state.<state>`.
 */
export const trainingStates = [
  "notStarted",
  "inProgress",
  "overdue",
  "refresh",
  "completedOnTime",
  "completedLate",
] as const;
export type TrainingState = (typeof trainingStates)[number];

/** What a state is judged from: a current round (training_cycles row) and today's Danish date. */
export type CycleFacts = {
  dueOn: string;
  completedOn: string | null;
  startedAt: Date | null;
  refresher: boolean;
};

/**
 * A completed round is on time when it was completed no later than its due day (dates compared as
 * YYYY-MM-DD text, as licence periods are). An open round past its due day is overdue, also a
 * refresher; before that, a refresher says "Skal genopfriskes" until the person starts it again.
 */
export function cycleState(cycle: CycleFacts, today: string): TrainingState {
  if (cycle.completedOn !== null) return cycle.completedOn <= cycle.dueOn ? "completedOnTime" : "completedLate";
  if (cycle.dueOn < today) return "overdue";
  if (cycle.startedAt !== null) return "inProgress";
  return cycle.refresher ? "refresh" : "notStarted";
}

/** Days from today to the due day: 0 on the day itself, negative once it has passed. */
export function daysLeft(dueOn: string, today: string): number {
  return Math.round((Date.parse(`${dueOn}T12:00:00Z`) - Date.parse(`${today}T12:00:00Z`)) / 86_400_000);
}

/** The text of a state in the dictionaries. */
export const stateKey = (state: TrainingState) => `training.state.${state}` as const;
