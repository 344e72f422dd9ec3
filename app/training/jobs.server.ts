import { runScheduledBackup } from "~/backup/schedule.server";
import { sendMeasurementFollowUps } from "~/measurement/follow-ups.server";
import { closeExpiredMeetings } from "~/meetings/presenting.server";
import { runPrivacyPurge } from "~/privacy/purge.server";
import { unlistLapsedMembers } from "~/privacy/unlisting.server";
import { syncTrainingCycles } from "./cycles.server";
import { sendLeaderDigests } from "./digests.server";
import { sendLearnerReminders } from "./reminders.server";
import { renewExpiredCycles } from "./renewal.server";
import { sendAdminSummaries } from "./summaries.server";

const INTERVAL_MS = 5 * 60 * 1000;

/**
 * One step of the training job. Each works out what is due from the database alone and is safe
 * to repeat or to run in two processes at once; what it returns is what it did, for the CLI.
 */
export type TrainingJobStep = {
  name: string;
  run: (now: Date) => unknown;
  /**
   * Deletes by age, so it runs only as of the real time: run as of a moment moved forward (the
   * CLI's --now, which the browser tests use) it would delete sessions and mail still in use.
   */
  realClockOnly?: true;
};

/** In this order: reminders and digests read the rounds the steps before them opened or closed. */
const trainingJobSteps: readonly TrainingJobStep[] = [
  // A staff meeting left open past its time may credit a film that completes someone's round.
  { name: "closeExpiredMeetings", run: closeExpiredMeetings },
  // Who is listed as staff is settled before the digests and summaries below read it.
  { name: "unlistLapsedMembers", run: unlistLapsedMembers },
  { name: "syncRounds", run: (now) => syncTrainingCycles(now) },
  { name: "renewExpired", run: renewExpiredCycles },
  { name: "learnerReminders", run: sendLearnerReminders },
  { name: "leaderDigests", run: sendLeaderDigests },
  { name: "adminSummaries", run: sendAdminSummaries },
  // Follow-ups read the certificates the completion hook issued; nothing above depends on them.
  { name: "measurementFollowUps", run: sendMeasurementFollowUps },
  // Once a night from 02:00 Danish time; every other round it only finds the night already claimed.
  { name: "privacyPurge", run: runPrivacyPurge, realClockOnly: true },
  // Once per BACKUP_INTERVAL_MINUTES slot; last, so the copy holds what the steps above wrote. Named
  // and pruned by time, a backup as of a moved clock would sort among (and delete) the real ones.
  { name: "databaseBackup", run: (now) => runScheduledBackup(now), realClockOnly: true },
];

export type TrainingJobOutcome = { step: string; result: unknown };

/**
 * Runs every step once, in order, with the same moment; nothing in memory decides what is due.
 * `clockMoved`: `now` is not the real time, so the steps that delete by age are left out.
 */
export async function runTrainingJobs(
  now = new Date(),
  { clockMoved = false }: { clockMoved?: boolean } = {},
): Promise<TrainingJobOutcome[]> {
  const outcomes: TrainingJobOutcome[] = [];
  for (const step of trainingJobSteps) {
    if (clockMoved && step.realClockOnly) continue;
    outcomes.push({ step: step.name, result: await step.run(now) });
  }
  return outcomes;
}

const globalForJobs = globalThis as unknown as { rettidigTrainingJobs?: NodeJS.Timeout };

/** Runs the training job every five minutes in this server process; once, however often the module is loaded. */
export function startTrainingJobs() {
  if (globalForJobs.rettidigTrainingJobs) return;
  const run = () =>
    runTrainingJobs().catch((error: unknown) => console.error("Jobbet for obligatoriske kurser fejlede:", error));
  globalForJobs.rettidigTrainingJobs = setInterval(run, INTERVAL_MS);
  globalForJobs.rettidigTrainingJobs.unref();
  setTimeout(run, 10_000).unref();
}
