/**
 * npm run training:run -- [--now=2027-02-22T07:00:00Z]
 * Runs the mandatory-training job once against DATABASE_PATH, as the server does every five
 * minutes, and prints what each step did as JSON. --now runs it as of another moment: the
 * browser tests move the clock this way, and operations can see what a given morning sends.
 * The nightly privacy purge is then left out: as of a moment moved forward it would delete
 * sessions and mail that are still in use.
 */
import { runCommand } from "~/cli/command";
import { sqlite } from "~/db.server";
import { runTrainingJobs } from "~/training/jobs.server";

function momentFrom(argv: string[]): Date | null {
  const given = argv.find((arg) => arg.startsWith("--now="))?.slice("--now=".length);
  if (given === undefined) return new Date();
  const moment = new Date(given);
  return Number.isNaN(moment.getTime()) ? null : moment;
}

runCommand(async (argv) => {
  const now = momentFrom(argv);
  if (!now) {
    console.error("Fejl: --now skal være et tidspunkt som 2027-02-22T07:00:00Z.");
    return 2;
  }
  try {
    const outcomes = await runTrainingJobs(now, { clockMoved: argv.some((arg) => arg.startsWith("--now=")) });
    console.log(JSON.stringify({ now: now.toISOString(), outcomes }, null, 2));
  } finally {
    sqlite().close();
  }
  return 0;
}, "Jobbet for obligatoriske kurser fejlede");
