import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { eq } from "drizzle-orm";
import { modules } from "#db/schema";
import type { Db } from "~/db.server";
import { MediaError, ensureFfmpeg, probeHasVideo } from "./ffmpeg.server";
import { PIPELINE_VERSION, buildLadder } from "./hls-ladder.server";
import { fileVersion, isSafeSlug, moduleMediaDir } from "./library.server";
import { buildDescribedVersion } from "./described-audio.server";
import { buildSubtitleVersion } from "./subtitle-version.server";
import { ensureLocalVersion, storeVersion, storedVersion } from "./version-store.server";
import { isWebVtt } from "./webvtt.server";

export interface IngestOptions {
  file: string;
  moduleSlug: string;
  subtitlesFile?: string;
  onProgress?: (fraction: number) => void;
}

export interface IngestResult {
  moduleId: number;
  version: string;
  durationSeconds: number;
}

/**
 * Publishes a real film for a module: transcodes it into a ladder of its own version and
 * switches the module to it. The module keeps its old film until the new one is whole.
 */
export async function ingestFile(
  db: Db,
  { file, moduleSlug, subtitlesFile, onProgress }: IngestOptions,
): Promise<IngestResult> {
  const row = db.select({ id: modules.id, slug: modules.slug }).from(modules).where(eq(modules.slug, moduleSlug)).get();
  if (!row) throw new MediaError(`Modulet "${moduleSlug}" findes ikke.`);
  if (!isSafeSlug(row.slug))
    throw new MediaError(`Modulet "${row.slug}" har et slug, der ikke kan bruges som mappenavn.`);

  const stat = await fs.stat(file).catch(() => null);
  if (!stat) throw new MediaError(`Filen findes ikke: ${file}`);
  if (!stat.isFile()) throw new MediaError(`Det er ikke en fil: ${file}`);

  await ensureFfmpeg();
  if (!(await probeHasVideo(file))) throw new MediaError("Filen er ikke en video, som kan læses.");

  let subtitlesVtt: string | undefined;
  if (subtitlesFile) {
    subtitlesVtt = await fs.readFile(subtitlesFile, "utf8").catch(() => {
      throw new MediaError(`Undertekstfilen kan ikke læses: ${subtitlesFile}`);
    });
    if (!isWebVtt(subtitlesVtt))
      throw new MediaError("Undertekstfilen er ikke i WebVTT-format (første linje skal være WEBVTT).");
  }

  const { version, durationSeconds } = await buildUploadedFilm(db, { slug: row.slug, file, subtitlesVtt, onProgress });
  db.update(modules)
    .set({ durationSeconds, mediaVersion: version, mediaSource: "upload" })
    .where(eq(modules.id, row.id))
    .run();
  return { moduleId: row.id, version, durationSeconds };
}

/**
 * A version built into its local folder unless the media store already has it whole, then made
 * whole in the store; only after that may a caller switch a module to it.
 */
async function buildOnce(db: Db, slug: string, version: string, build: (outDir: string) => Promise<unknown>) {
  if (!storedVersion(slug, version, db)) await build(moduleMediaDir(slug, version));
  const { durationSeconds } = await storeVersion(db, slug, version);
  return { version, durationSeconds };
}

export interface UploadedFilm {
  slug: string;
  file: string;
  subtitlesVtt?: string;
  onProgress?: (fraction: number) => void;
}

/**
 * Builds the ladder of a real film for its content version and makes it whole in the media
 * store; the caller switches the module to it. The same film and subtitles give the same
 * version, which is built once.
 */
export async function buildUploadedFilm(
  db: Db,
  { slug, file, subtitlesVtt, onProgress }: UploadedFilm,
): Promise<{ version: string; durationSeconds: number }> {
  const version = await fileVersion(file, subtitlesVtt ?? "");
  const built = await buildOnce(db, slug, version, (outDir) =>
    buildLadder({ input: file, outDir, subtitlesVtt, onProgress }),
  );
  onProgress?.(1);
  return built;
}

/** A version of the module's current film with new subtitles, named for both, so the old version stays as it is. */
export async function buildReplacedSubtitles(
  db: Db,
  { slug, baseVersion, subtitlesVtt }: { slug: string; baseVersion: string; subtitlesVtt: string },
) {
  const version = createHash("sha256")
    .update(`${PIPELINE_VERSION}\0subtitles\0${baseVersion}\0${subtitlesVtt}`)
    .digest("hex")
    .slice(0, 16);
  return buildOnce(db, slug, version, async (outDir) =>
    buildSubtitleVersion({ sourceDir: await ensureLocalVersion(slug, baseVersion), outDir, subtitlesVtt }),
  );
}

/** A version of the module's current film with a described soundtrack beside its own, named for both files. */
export async function buildDescribedAudio(
  db: Db,
  { slug, baseVersion, describedFile }: { slug: string; baseVersion: string; describedFile: string },
) {
  const version = await fileVersion(describedFile, `described\0${baseVersion}`);
  return buildOnce(db, slug, version, async (outDir) =>
    buildDescribedVersion({ sourceDir: await ensureLocalVersion(slug, baseVersion), outDir, describedFile }),
  );
}
