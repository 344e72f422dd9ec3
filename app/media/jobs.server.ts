import { and, eq, lt, sql } from "drizzle-orm";
import { type mediaJobKinds, mediaJobs, modules } from "#db/schema";
import { db, type Db, type Tx } from "~/db.server";
import { removeUpload, uploadFolderOf } from "./upload-folder.server";

// The queue in media_jobs: queuing, claiming a job under a lease kept alive by heartbeats, and
// finishing it, always only while the job is still this worker's.

/** How often a running job proves its worker is alive. */
const HEARTBEAT_MS = 5_000;
/** A running job silent this long belongs to a worker that died; another worker takes it over. */
export const STALE_AFTER_MS = 30_000;
/** A job is started at most this many times: the first run and three takeovers after a crash. */
export const MAX_ATTEMPTS = 4;
const PROGRESS_WRITE_MS = 1_000;

const FAILED_TOO_OFTEN = "Kodningen blev afbrudt for mange gange. Læg filen op igen.";
export const SUPERSEDED = "Erstattet af en nyere fil.";

export interface NewMediaJob {
  moduleId: number;
  kind: (typeof mediaJobKinds)[number];
  /** Relative to the upload folder, as `<folder>/film`, `<folder>/da.vtt` or `<folder>/described`. */
  sourceFile: string;
  originalName: string;
  requestedBy: number | null;
}

/**
 * Queues a job for a file already whole in the upload folder, or in the bucket (keepUpload). A new
 * film replaces films of the same module still waiting, so the module ends on the newest upload and
 * nothing is encoded in vain.
 */
export async function enqueueMediaJob(job: NewMediaJob): Promise<number> {
  if (!uploadFolderOf(job.sourceFile)) throw new Error(`Ugyldig uploadsti: ${JSON.stringify(job.sourceFile)}`);
  const { id, superseded } = db.transaction((tx) => {
    const inserted = tx
      .insert(mediaJobs)
      .values({ ...job, status: "queued" })
      .returning({ id: mediaJobs.id })
      .get();
    const older =
      job.kind === "film"
        ? tx
            .update(mediaJobs)
            .set({ status: "failed", error: SUPERSEDED, finishedAt: new Date() })
            .where(
              and(
                eq(mediaJobs.moduleId, job.moduleId),
                eq(mediaJobs.kind, "film"),
                eq(mediaJobs.status, "queued"),
                lt(mediaJobs.id, inserted.id),
              ),
            )
            .returning({ sourceFile: mediaJobs.sourceFile })
            .all()
        : [];
    return { id: inserted.id, superseded: older.map((row) => row.sourceFile) };
  });
  // The new job is queued by now: an old upload the bucket will not let go of yet is debris pruneUploads clears.
  for (const sourceFile of superseded) await removeUpload(sourceFile).catch(() => undefined);
  wakeMediaWorker();
  return id;
}

export type ClaimedJob = typeof mediaJobs.$inferSelect;

function stillOurs(job: ClaimedJob) {
  return and(eq(mediaJobs.id, job.id), eq(mediaJobs.status, "running"), eq(mediaJobs.attempts, job.attempts));
}

/**
 * Takes the oldest job that is waiting, or running under a worker that has gone quiet, in one
 * UPDATE … RETURNING: SQLite runs it alone, so two workers never take the same job.
 */
export function claimJob(now: Date, staleBefore: Date): ClaimedJob | undefined {
  // One job per module at a time: subtitles built onto a film that another worker is replacing would be lost.
  const next = sql`(
    select candidate.id from media_jobs as candidate
    where (candidate.status = 'queued'
       or (candidate.status = 'running' and candidate.heartbeat_at < ${staleBefore.getTime()} and candidate.attempts < ${MAX_ATTEMPTS}))
      and not exists (
        select 1 from media_jobs as busy
        where busy.module_id = candidate.module_id and busy.id <> candidate.id
          and busy.status = 'running' and busy.heartbeat_at >= ${staleBefore.getTime()}
      )
    order by candidate.id
    limit 1
  )`;
  return db
    .update(mediaJobs)
    .set({
      status: "running",
      attempts: sql`${mediaJobs.attempts} + 1`,
      heartbeatAt: now,
      progressPermille: 0,
      error: null,
    })
    .where(eq(mediaJobs.id, next))
    .returning()
    .get();
}

/** Jobs whose workers keep dying are given up rather than taken over yet again. */
export async function failExhaustedJobs(now: Date, staleBefore: Date) {
  const exhausted = db
    .update(mediaJobs)
    .set({ status: "failed", error: FAILED_TOO_OFTEN, finishedAt: now })
    .where(
      and(
        eq(mediaJobs.status, "running"),
        lt(mediaJobs.heartbeatAt, staleBefore),
        sql`${mediaJobs.attempts} >= ${MAX_ATTEMPTS}`,
      ),
    )
    .returning({ sourceFile: mediaJobs.sourceFile })
    .all();
  for (const job of exhausted) await removeUpload(job.sourceFile);
}

export function finishFailed(job: ClaimedJob, error: string, database: Db | Tx = db) {
  database.update(mediaJobs).set({ status: "failed", error, finishedAt: new Date() }).where(stillOurs(job)).run();
}

/**
 * Marks the job done and points the module at the ladder it published, in the caller's
 * transaction. The module is an upload from then on: media:build must not rebuild a demo film
 * over the owner's film or subtitles.
 */
export function finishDone(tx: Tx, job: ClaimedJob, version: string, durationSeconds: number) {
  const finished = new Date();
  const done = tx
    .update(mediaJobs)
    .set({
      status: "done",
      progressPermille: 1000,
      resultVersion: version,
      finishedAt: finished,
      heartbeatAt: finished,
    })
    .where(stillOurs(job))
    .run();
  // Another worker took the job over while this one was thought dead; its result is the one that counts.
  if (done.changes === 0) return;
  tx.update(modules)
    .set({ mediaVersion: version, durationSeconds, mediaSource: "upload" })
    .where(eq(modules.id, job.moduleId))
    .run();
}

/** Keeps the job's heartbeat going and writes progress at most once a second. */
export function reporter(job: ClaimedJob) {
  let lastWrite = 0;
  let permille = 0;
  const write = () => {
    lastWrite = Date.now();
    db.update(mediaJobs)
      .set({ heartbeatAt: new Date(lastWrite), progressPermille: permille })
      .where(stillOurs(job))
      .run();
  };
  const heartbeat = setInterval(write, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    onProgress(fraction: number) {
      // 1000 is written with the module switch, in the same transaction.
      const next = Math.min(999, Math.max(0, Math.round(fraction * 1000)));
      if (next <= permille) return;
      permille = next;
      if (Date.now() - lastWrite >= PROGRESS_WRITE_MS) write();
    },
    stop() {
      clearInterval(heartbeat);
    },
  };
}

const globalForWorker = globalThis as unknown as { rettidigMediaWorker?: { wake: () => void } };

/** Lets a waiting worker in this process start on a new job at once instead of at its next poll. */
export function wakeMediaWorker() {
  globalForWorker.rettidigMediaWorker?.wake();
}

/** Makes a worker reachable by wakeMediaWorker; false when this process already runs one. */
export function registerMediaWorker(wake: () => void): boolean {
  if (globalForWorker.rettidigMediaWorker) return false;
  globalForWorker.rettidigMediaWorker = { wake };
  return true;
}
