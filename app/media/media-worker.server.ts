import { inArray } from "drizzle-orm";
import { mediaJobs } from "#db/schema";
import { db } from "~/db.server";
import { missingFfmpegError } from "./ffmpeg.server";
import { registerMediaWorker } from "./jobs.server";
import { type WorkerOptions, runNextMediaJob } from "./run-media-job.server";
import { pruneSupersededVersions } from "./superseded-versions.server";
import { pruneUploads } from "./upload-folder.server";

const POLL_MS = 2_000;
/** How often a running worker clears debris away, so uploads left by a closed tab and films no one can reach any more do not pile up between restarts. */
const PRUNE_EVERY_MS = 10 * 60 * 1000;

function hasWork(): boolean {
  return (
    db
      .select({ id: mediaJobs.id })
      .from(mediaJobs)
      .where(inArray(mediaJobs.status, ["queued", "running"]))
      .limit(1)
      .get() !== undefined
  );
}

export interface StartWorkerOptions extends WorkerOptions {
  /** The standalone worker has nothing else keeping its process alive. */
  keepProcessAlive?: boolean;
  /** Shortened by tests; see PRUNE_EVERY_MS. */
  pruneEveryMs?: number;
  /**
   * Off for a worker whose database is not the only one using MEDIA_DIR (the browser tests share
   * the demo films with `npm start`): it would take the other database's films for superseded.
   */
  pruneVersions?: boolean;
}

/** Works through the queue, one job at a time, in this process; once, however often the module is loaded. */
export function startMediaWorker({
  keepProcessAlive = false,
  pruneEveryMs = PRUNE_EVERY_MS,
  pruneVersions = true,
  ...options
}: StartWorkerOptions = {}) {
  let wake = () => {};
  if (!registerMediaWorker(() => wake())) return;
  const log = options.log ?? console.error;
  // Said once at the start; every job then fails with the same message, which the studio shows.
  const missingFfmpeg = missingFfmpegError();
  if (missingFfmpeg) log(`Mediekøen kan ikke kode film: ${missingFfmpeg.message}`);
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      if (!keepProcessAlive) timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  // On a timer of its own, so an encode lasting an hour does not hold the clean-up back.
  const prune = async () => {
    await pruneUploads().catch((error: unknown) => log(`Oprydning i uploadmappen fejlede: ${String(error)}`));
    if (pruneVersions)
      await pruneSupersededVersions(db, { log }).catch((error: unknown) =>
        log(`Oprydning i filmversionerne fejlede: ${String(error)}`),
      );
    setTimeout(() => void prune(), pruneEveryMs).unref();
  };
  void prune();
  void (async () => {
    for (;;) {
      try {
        if (!hasWork() || !(await runNextMediaJob(options))) await pause();
      } catch (error) {
        log(`Mediekøen fejlede: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        await pause();
      }
    }
  })();
}
