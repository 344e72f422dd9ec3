import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { and, desc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { courses, mediaJobs, modules, type MediaJobStatus } from "#db/schema";
import { db, type Db, type Tx } from "~/db.server";
import { getEnv } from "~/env.server";
import { buildReplacedSubtitles, buildUploadedFilm } from "./catalog-media.server";
import { pruneSupersededVersions } from "./superseded-versions.server";
import { MediaError } from "./ffmpeg.server";
import { isSafeSlug, moduleMediaDir } from "./library.server";
import { readCompleteManifest } from "./ladder-folder.server";

/** How often a running job proves its worker is alive. */
const HEARTBEAT_MS = 5_000;
/** A running job silent this long belongs to a worker that died; another worker takes it over. */
export const STALE_AFTER_MS = 30_000;
/** A job is started at most this many times: the first run and three takeovers after a crash. */
export const MAX_ATTEMPTS = 4;
const PROGRESS_WRITE_MS = 1_000;
const POLL_MS = 2_000;
// Uploads that no waiting job refers to are debris of a refused or interrupted upload once this old;
// a film sent in pieces freshens its folder's time with every piece.
const UPLOAD_DEBRIS_MS = 60 * 60 * 1000;
/** How often a running worker clears debris away, so uploads left by a closed tab and films no one can reach any more do not pile up between restarts. */
const PRUNE_EVERY_MS = 10 * 60 * 1000;

const FAILED_TOO_OFTEN = "Kodningen blev afbrudt for mange gange. Læg filen op igen.";
const SUPERSEDED = "Erstattet af en nyere fil.";
const FILM_CHANGED = "Filmen blev skiftet, mens underteksterne blev lagt på. Læg underteksterne op igen.";
const UNEXPECTED =
  "Kodningen mislykkedes af en uventet grund. Prøv at lægge filen op igen; sker det igen, så kontakt driften.";

// ---------------------------------------------------------------------------
// The upload folder: every job has a folder of its own, named by its first path segment.

/** The film and the optional subtitles of a film job, or the subtitles of a subtitle job. */
export const UPLOAD_FILM = "film";
export const UPLOAD_SUBTITLES = "da.vtt";
const FOLDER_PATTERN = /^[a-f0-9]{32}$/;

export function uploadRoot(): string {
  return path.resolve(getEnv().UPLOAD_DIR);
}

function uploadFolderOf(sourceFile: string): string | null {
  const [folder, file, ...rest] = sourceFile.split("/");
  if (!folder || !FOLDER_PATTERN.test(folder) || (file !== UPLOAD_FILM && file !== UPLOAD_SUBTITLES) || rest.length > 0)
    return null;
  return path.join(uploadRoot(), folder);
}

function uploadPath(sourceFile: string): string {
  const folder = uploadFolderOf(sourceFile);
  if (!folder) throw new Error(`Ugyldig uploadsti i køen: ${JSON.stringify(sourceFile)}`);
  return path.join(folder, path.basename(sourceFile));
}

async function removeUpload(sourceFile: string) {
  const folder = uploadFolderOf(sourceFile);
  if (folder) await fs.rm(folder, { recursive: true, force: true });
}

/**
 * Removes uploads no queued or running job will read: leftovers of uploads cut off halfway or
 * left between pieces, and of jobs whose worker died between finishing and cleaning up. Recent entries are left
 * alone, since an upload is renamed into place a moment before its job is queued.
 */
export async function pruneUploads(now = Date.now()) {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(uploadRoot(), { withFileTypes: true });
  } catch {
    return;
  }
  const waiting = new Set(
    db
      .select({ sourceFile: mediaJobs.sourceFile })
      .from(mediaJobs)
      .where(inArray(mediaJobs.status, ["queued", "running"]))
      .all()
      .map((job) => job.sourceFile.split("/")[0]),
  );
  for (const entry of entries) {
    if (waiting.has(entry.name)) continue;
    const full = path.join(uploadRoot(), entry.name);
    const stat = await fs.stat(full).catch(() => null);
    if (stat && now - stat.mtimeMs > UPLOAD_DEBRIS_MS) await fs.rm(full, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// The queue

export interface NewMediaJob {
  moduleId: number;
  kind: "film" | "subtitles";
  /** Relative to the upload folder, as `<folder>/film` or `<folder>/da.vtt`. */
  sourceFile: string;
  originalName: string;
  requestedBy: number | null;
}

/**
 * Queues a job for a file already whole in the upload folder. A new film replaces films of the
 * same module still waiting, so the module ends on the newest upload and nothing is encoded in vain.
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
  for (const sourceFile of superseded) await removeUpload(sourceFile);
  wakeMediaWorker();
  return id;
}

type ClaimedJob = typeof mediaJobs.$inferSelect;

function stillOurs(job: ClaimedJob) {
  return and(eq(mediaJobs.id, job.id), eq(mediaJobs.status, "running"), eq(mediaJobs.attempts, job.attempts));
}

/**
 * Takes the oldest job that is waiting, or running under a worker that has gone quiet, in one
 * UPDATE … RETURNING: SQLite runs it alone, so two workers never take the same job.
 */
function claimJob(now: Date, staleBefore: Date): ClaimedJob | undefined {
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
async function failExhaustedJobs(now: Date, staleBefore: Date) {
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

function finishFailed(job: ClaimedJob, error: string, database: Db | Tx = db) {
  database.update(mediaJobs).set({ status: "failed", error, finishedAt: new Date() }).where(stillOurs(job)).run();
}

/**
 * Marks the job done and points the module at the ladder it published, in the caller's
 * transaction. The module is an upload from then on: media:build must not rebuild a demo film
 * over the owner's film or subtitles.
 */
function finishDone(tx: Tx, job: ClaimedJob, version: string, durationSeconds: number) {
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
function reporter(job: ClaimedJob) {
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

function moduleOf(moduleId: number) {
  const row = db
    .select({ slug: modules.slug, mediaVersion: modules.mediaVersion })
    .from(modules)
    .where(eq(modules.id, moduleId))
    .get();
  if (!row) throw new MediaError("Modulet findes ikke længere.");
  if (!isSafeSlug(row.slug))
    throw new MediaError(`Modulet "${row.slug}" har et slug, der ikke kan bruges som mappenavn.`);
  return row;
}

async function readSubtitles(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function runFilmJob(job: ClaimedJob, onProgress: (fraction: number) => void) {
  const module = moduleOf(job.moduleId);
  const film = uploadPath(job.sourceFile);
  const subtitlesVtt = await readSubtitles(path.join(path.dirname(film), UPLOAD_SUBTITLES));
  const { version, durationSeconds } = await buildUploadedFilm({
    slug: module.slug,
    file: film,
    subtitlesVtt,
    onProgress,
  });
  // The ladder is published whole before this point; the module moves to it together with the job.
  db.transaction((tx) => {
    const newer = tx
      .select({ id: mediaJobs.id })
      .from(mediaJobs)
      .where(
        and(
          eq(mediaJobs.moduleId, job.moduleId),
          eq(mediaJobs.kind, "film"),
          eq(mediaJobs.status, "done"),
          gt(mediaJobs.id, job.id),
        ),
      )
      .get();
    if (newer) finishFailed(job, SUPERSEDED, tx);
    else finishDone(tx, job, version, durationSeconds);
  });
}

// Linking files and writing a playlist takes a moment, so there is no progress worth reporting.
async function runSubtitlesJob(job: ClaimedJob) {
  const module = moduleOf(job.moduleId);
  const baseVersion = module.mediaVersion;
  if (!baseVersion)
    throw new MediaError("Modulet har ingen film endnu. Læg en film op først, og læg så underteksterne på.");
  const subtitlesVtt = await fs.readFile(uploadPath(job.sourceFile), "utf8");
  const { version, durationSeconds } = await buildReplacedSubtitles({ slug: module.slug, baseVersion, subtitlesVtt });
  db.transaction((tx) => {
    const current = tx
      .select({ mediaVersion: modules.mediaVersion })
      .from(modules)
      .where(eq(modules.id, job.moduleId))
      .get();
    if (current?.mediaVersion !== baseVersion) finishFailed(job, FILM_CHANGED, tx);
    else finishDone(tx, job, version, durationSeconds);
  });
}

export interface WorkerOptions {
  /** Shortened by tests that restart a killed worker; see STALE_AFTER_MS. */
  staleAfterMs?: number;
  log?: (line: string) => void;
}

/** Runs the next job there is, if any; false when the queue had nothing to do. */
export async function runNextMediaJob({
  staleAfterMs = STALE_AFTER_MS,
  log = console.error,
}: WorkerOptions = {}): Promise<boolean> {
  const now = new Date();
  const staleBefore = new Date(now.getTime() - staleAfterMs);
  await failExhaustedJobs(now, staleBefore);
  const job = claimJob(now, staleBefore);
  if (!job) return false;
  const progress = reporter(job);
  try {
    if (job.kind === "film") await runFilmJob(job, progress.onProgress);
    else await runSubtitlesJob(job);
  } catch (error) {
    if (error instanceof MediaError) {
      finishFailed(job, error.message);
    } else {
      log(
        `Mediejob ${job.id} (${job.kind}, modul ${job.moduleId}) fejlede: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      finishFailed(job, UNEXPECTED);
    }
  } finally {
    progress.stop();
  }
  const after = db.select({ status: mediaJobs.status }).from(mediaJobs).where(eq(mediaJobs.id, job.id)).get();
  if (after?.status === "done" || after?.status === "failed") await removeUpload(job.sourceFile);
  return true;
}

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

const globalForWorker = globalThis as unknown as { rettidigMediaWorker?: { wake: () => void } };

/** Lets a waiting worker in this process start on a new job at once instead of at its next poll. */
export function wakeMediaWorker() {
  globalForWorker.rettidigMediaWorker?.wake();
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
  if (globalForWorker.rettidigMediaWorker) return;
  let wake = () => {};
  globalForWorker.rettidigMediaWorker = { wake: () => wake() };
  const log = options.log ?? console.error;
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

export type MediaJobView = {
  id: number;
  kind: "film" | "subtitles";
  originalName: string;
  status: MediaJobStatus;
  progressPermille: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

/** The module's latest jobs, newest first, as the studio shows them. */
export function recentMediaJobs(moduleId: number, limit = 10): MediaJobView[] {
  return db
    .select({
      id: mediaJobs.id,
      kind: mediaJobs.kind,
      originalName: mediaJobs.originalName,
      status: mediaJobs.status,
      progressPermille: mediaJobs.progressPermille,
      error: mediaJobs.error,
      createdAt: mediaJobs.createdAt,
      finishedAt: mediaJobs.finishedAt,
    })
    .from(mediaJobs)
    .where(eq(mediaJobs.moduleId, moduleId))
    .orderBy(desc(mediaJobs.id))
    .limit(limit)
    .all();
}

/** What the studio's film page shows of a module: its current film and its latest jobs. */
export async function moduleFilmOverview(moduleId: number) {
  const row = db
    .select({
      id: modules.id,
      title: modules.title,
      slug: modules.slug,
      courseId: courses.id,
      courseTitle: courses.title,
      durationSeconds: modules.durationSeconds,
      mediaVersion: modules.mediaVersion,
      mediaSource: modules.mediaSource,
    })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(modules.id, moduleId))
    .get();
  if (!row) return null;
  const manifest =
    row.mediaVersion && isSafeSlug(row.slug)
      ? await readCompleteManifest(moduleMediaDir(row.slug, row.mediaVersion))
      : null;
  return {
    module: { id: row.id, title: row.title, courseId: row.courseId, courseTitle: row.courseTitle },
    film: row.mediaVersion
      ? {
          durationSeconds: row.durationSeconds ?? manifest?.durationSeconds ?? 0,
          subtitles: manifest?.subtitles ?? false,
          source: row.mediaSource,
        }
      : null,
    jobs: recentMediaJobs(moduleId),
  };
}

/** The module a film or subtitles are uploaded for, or null when there is none with that id. */
export function uploadTarget(moduleId: number) {
  const row = db
    .select({ moduleId: modules.id, mediaVersion: modules.mediaVersion })
    .from(modules)
    .where(eq(modules.id, moduleId))
    .get();
  return row ?? null;
}
