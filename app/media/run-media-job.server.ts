import fs from "node:fs/promises";
import path from "node:path";
import { and, eq, gt } from "drizzle-orm";
import { mediaJobs, modules } from "#db/schema";
import { db } from "~/db.server";
import { buildDescribedAudio, buildReplacedSubtitles, buildUploadedFilm } from "./catalog-media.server";
import { MediaError } from "./ffmpeg.server";
import {
  type ClaimedJob,
  STALE_AFTER_MS,
  SUPERSEDED,
  claimJob,
  failExhaustedJobs,
  finishDone,
  finishFailed,
  reporter,
} from "./jobs.server";
import { isSafeSlug } from "./library.server";
import { UPLOAD_SUBTITLES, fetchUpload, removeUpload, uploadPath } from "./upload-folder.server";

const FILM_CHANGED: Record<"subtitles" | "described", string> = {
  subtitles: "Filmen blev skiftet, mens underteksterne blev lagt på. Læg underteksterne op igen.",
  described: "Filmen blev skiftet, mens synstolkningen blev lagt på. Læg synstolkningen op igen.",
};
const UNEXPECTED =
  "Kodningen mislykkedes af en uventet grund. Prøv at lægge filen op igen; sker det igen, så kontakt driften.";

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
  const { version, durationSeconds } = await buildUploadedFilm(db, {
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

/**
 * Subtitles or a described soundtrack laid on the module's current film. Linking files and
 * encoding a soundtrack take moments, so there is no progress worth reporting.
 */
async function runAdditionJob(job: ClaimedJob & { kind: "subtitles" | "described" }) {
  const module = moduleOf(job.moduleId);
  const baseVersion = module.mediaVersion;
  if (!baseVersion)
    throw new MediaError(
      job.kind === "subtitles"
        ? "Modulet har ingen film endnu. Læg en film op først, og læg så underteksterne på."
        : "Modulet har ingen film endnu. Læg en film op først, og læg så synstolkningen på.",
    );
  const source = uploadPath(job.sourceFile);
  const { version, durationSeconds } =
    job.kind === "subtitles"
      ? await buildReplacedSubtitles(db, {
          slug: module.slug,
          baseVersion,
          subtitlesVtt: await fs.readFile(source, "utf8"),
        })
      : await buildDescribedAudio(db, { slug: module.slug, baseVersion, describedFile: source });
  db.transaction((tx) => {
    const current = tx
      .select({ mediaVersion: modules.mediaVersion })
      .from(modules)
      .where(eq(modules.id, job.moduleId))
      .get();
    if (current?.mediaVersion !== baseVersion) finishFailed(job, FILM_CHANGED[job.kind], tx);
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
    // From the bucket when the upload waits there; a bucket that fails here fails the job as unexpected, logged.
    await fetchUpload(job.sourceFile);
    if (job.kind === "film") await runFilmJob(job, progress.onProgress);
    else await runAdditionJob({ ...job, kind: job.kind });
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
