import { createHash } from "node:crypto";
import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { modules, platformSettings } from "#db/schema";
import type { Db } from "~/db.server";
import { MediaError, ensureFfmpeg, probeHasVideo } from "./ffmpeg.server";
import {
  demoSubtitleCues,
  fileVersion,
  isSafeSlug,
  mediaRoot,
  moduleMediaDir,
  syntheticDurationSeconds,
  syntheticVersion,
} from "./library.server";
import {
  PIPELINE_VERSION,
  buildLadder,
  buildSubtitleVersion,
  buildWebVtt,
  isWebVtt,
  makeSyntheticFilm,
  readCompleteManifest,
} from "./pipeline.server";
import { MEDIA_TOKEN_LIFETIME_MS } from "./token.server";

const SYNTHETIC_CAPTION = "Demofilm – den rigtige film lægges op af kursusejeren";

// Partial folders this old belong to a build that crashed or was killed.
const STALE_PARTIAL_MS = 60 * 60 * 1000;
/** Written into a version folder the first time a clean-up finds its module on another version. */
const SUPERSEDED_MARK = "superseded.json";
/** The clean-up's turn, shared through the database by every process that runs it. */
const PRUNE_TURN_SETTING = "media.pruneVersions.nextTurnAt";
/** A run holds the turn this long: the server and media:worker both run the clean-up every ten minutes, and it is done once. */
export const PRUNE_TURN_MS = 5 * 60 * 1000;

function seconds(ms: number): string {
  return `${(ms / 1000).toLocaleString("da-DK", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
}

/** What the demo film of a module looks like now; its version names the folder it is built into. */
export function syntheticPlan(module: { slug: string; title: string; description: string }) {
  const durationSeconds = syntheticDurationSeconds(module.slug);
  const cues = demoSubtitleCues(module.title, module.description, durationSeconds);
  const version = syntheticVersion({ title: module.title, caption: SYNTHETIC_CAPTION, durationSeconds, cues });
  return { durationSeconds, cues, version, caption: SYNTHETIC_CAPTION };
}

export interface BuildSyntheticOptions {
  log?: (line: string) => void;
  /** Remove version folders no token can reach any more (pruneSupersededVersions). */
  prune?: boolean;
}

export interface BuildSyntheticSummary {
  built: number;
  upToDate: number;
  elapsedMs: number;
}

/**
 * Makes sure every module with a synthetic film has a complete ladder matching its current
 * title and description, and that the module row points at it. Films already built are
 * skipped, so running this at every start costs almost nothing.
 */
export async function buildSyntheticMediaForAllModules(
  db: Db,
  { log = console.log, prune = true }: BuildSyntheticOptions = {},
): Promise<BuildSyntheticSummary> {
  const started = Date.now();
  const rows = db
    .select({
      id: modules.id,
      slug: modules.slug,
      title: modules.title,
      description: modules.description,
      durationSeconds: modules.durationSeconds,
      mediaVersion: modules.mediaVersion,
    })
    .from(modules)
    .where(eq(modules.mediaSource, "synthetic"))
    .orderBy(modules.courseId, modules.position)
    .all();

  if (rows.length === 0) {
    log("Ingen moduler med syntetisk film i databasen – intet at bygge (kør evt. db:seed først).");
    return { built: 0, upToDate: 0, elapsedMs: Date.now() - started };
  }

  let built = 0;
  let upToDate = 0;
  for (const row of rows) {
    if (!isSafeSlug(row.slug))
      throw new MediaError(`Modulet "${row.slug}" har et slug, der ikke kan bruges som mappenavn.`);
    const filmStarted = Date.now();
    const { durationSeconds, cues, version } = syntheticPlan(row);
    const outDir = moduleMediaDir(row.slug, version);

    let finalDuration = durationSeconds;
    const existing = await readCompleteManifest(outDir);
    if (existing) {
      finalDuration = existing.durationSeconds;
      upToDate++;
      log(`  · ${row.slug}: er allerede bygget (${version})`);
    } else {
      await ensureFfmpeg(log);
      const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "rettidig-synthetic-"));
      try {
        const film = path.join(workDir, `${row.slug}.mp4`);
        await makeSyntheticFilm({ title: row.title, caption: SYNTHETIC_CAPTION, durationSeconds, outFile: film });
        const result = await buildLadder({ input: film, outDir, subtitlesVtt: buildWebVtt(cues) });
        finalDuration = result.durationSeconds;
      } finally {
        await fs.rm(workDir, { recursive: true, force: true });
      }
      built++;
      log(`  ✓ ${row.slug}: bygget på ${seconds(Date.now() - filmStarted)} (${durationSeconds} s film, ${version})`);
    }

    // The row moves only after the ladder is whole, so a player never points at a half-built folder.
    if (row.mediaVersion !== version || row.durationSeconds !== finalDuration) {
      db.update(modules)
        .set({ mediaVersion: version, durationSeconds: finalDuration })
        .where(eq(modules.id, row.id))
        .run();
    }
  }

  if (prune) await pruneSupersededVersions(db, { log });
  const elapsedMs = Date.now() - started;
  log(`${rows.length} film: ${built} bygget, ${upToDate} var allerede bygget (${seconds(elapsedMs)} i alt).`);
  return { built, upToDate, elapsedMs };
}

export interface PruneOptions {
  log?: (line: string) => void;
  /** The time the clean-up acts at, in milliseconds; tests move it on. */
  now?: number;
}

/**
 * Takes the clean-up's turn when no process has had it in the last PRUNE_TURN_MS. One UPDATE
 * decides, and SQLite runs it alone, so of two processes asking at once exactly one gets it;
 * the turn lives in the database, so a restart does not hand it out again.
 */
function takePruneTurn(db: Db, now: number): boolean {
  db.insert(platformSettings).values({ key: PRUNE_TURN_SETTING, value: "0" }).onConflictDoNothing().run();
  const taken = db
    .update(platformSettings)
    .set({ value: String(now + PRUNE_TURN_MS) })
    .where(and(eq(platformSettings.key, PRUNE_TURN_SETTING), sql`cast(${platformSettings.value} as integer) <= ${now}`))
    .run();
  return taken.changes === 1;
}

/** When the version was first found superseded, or null while it is not marked (or the mark cannot be read). */
async function supersededAt(folder: string): Promise<number | null> {
  try {
    const mark = JSON.parse(await fs.readFile(path.join(folder, SUPERSEDED_MARK), "utf8")) as {
      supersededAt?: unknown;
    };
    return typeof mark.supersededAt === "number" && Number.isFinite(mark.supersededAt) ? mark.supersededAt : null;
  } catch {
    return null;
  }
}

const currentVersion = (db: Db, slug: string) =>
  db.select({ mediaVersion: modules.mediaVersion }).from(modules).where(eq(modules.slug, slug)).get()?.mediaVersion;

/**
 * Removes film versions no media token can reach any more, and leftovers of crashed builds.
 * A token opens one version for MEDIA_TOKEN_LIFETIME_MS, so a version its module has left is
 * first marked with the time it was found superseded (on disk, so the time survives a restart)
 * and removed once that is longer ago than a token lives: a player that got its token just
 * before the switch can always finish the film. A version that becomes the module's film
 * again (the same film uploaded anew) loses its mark. Folders of slugs the database does not
 * know are left alone. Returns false when another process had the turn.
 */
export async function pruneSupersededVersions(
  db: Db,
  { log = console.log, now = Date.now() }: PruneOptions = {},
): Promise<boolean> {
  if (!takePruneTurn(db, now)) return false;
  const root = mediaRoot();
  const slugs = db
    .select({ slug: modules.slug })
    .from(modules)
    .all()
    .map((row) => row.slug);
  for (const slug of slugs) {
    if (!isSafeSlug(slug)) continue;
    let entries: Dirent[];
    try {
      entries = await fs.readdir(path.join(root, slug), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const full = path.join(root, slug, entry.name);
      if (entry.name.includes(".partial-")) {
        const stat = await fs.stat(full).catch(() => null);
        if (stat && now - stat.mtimeMs >= STALE_PARTIAL_MS) {
          await fs.rm(full, { recursive: true, force: true });
          log(`  − ${slug}/${entry.name}: fjernet (afbrudt bygning)`);
        }
        continue;
      }
      // Read afresh for every folder, so a switch made while this runs is seen.
      if (currentVersion(db, slug) === entry.name) {
        await fs.rm(path.join(full, SUPERSEDED_MARK), { force: true });
        continue;
      }
      const since = await supersededAt(full);
      if (since === null) {
        await fs.writeFile(path.join(full, SUPERSEDED_MARK), JSON.stringify({ supersededAt: now }));
        continue;
      }
      if (now - since <= MEDIA_TOKEN_LIFETIME_MS || currentVersion(db, slug) === entry.name) continue;
      await fs.rm(full, { recursive: true, force: true });
      log(`  − ${slug}/${entry.name}: fjernet (ikke længere i brug)`);
    }
  }
  return true;
}

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

  const { version, durationSeconds } = await buildUploadedFilm({ slug: row.slug, file, subtitlesVtt, onProgress });
  db.update(modules)
    .set({ durationSeconds, mediaVersion: version, mediaSource: "upload" })
    .where(eq(modules.id, row.id))
    .run();
  return { moduleId: row.id, version, durationSeconds };
}

export interface UploadedFilm {
  slug: string;
  file: string;
  subtitlesVtt?: string;
  onProgress?: (fraction: number) => void;
}

/**
 * Builds the ladder of a real film into the module's folder for its content version; the
 * caller switches the module to it. The same film and subtitles give the same folder.
 */
export async function buildUploadedFilm({
  slug,
  file,
  subtitlesVtt,
  onProgress,
}: UploadedFilm): Promise<{ version: string; durationSeconds: number }> {
  const version = await fileVersion(file, subtitlesVtt ?? "");
  const { durationSeconds } = await buildLadder({
    input: file,
    outDir: moduleMediaDir(slug, version),
    subtitlesVtt,
    onProgress,
  });
  return { version, durationSeconds };
}

/** A version of the module's current film with new subtitles, named for both, so the old version stays as it is. */
export async function buildReplacedSubtitles({
  slug,
  baseVersion,
  subtitlesVtt,
}: {
  slug: string;
  baseVersion: string;
  subtitlesVtt: string;
}) {
  const version = createHash("sha256")
    .update(`${PIPELINE_VERSION}\0subtitles\0${baseVersion}\0${subtitlesVtt}`)
    .digest("hex")
    .slice(0, 16);
  const { durationSeconds } = await buildSubtitleVersion({
    sourceDir: moduleMediaDir(slug, baseVersion),
    outDir: moduleMediaDir(slug, version),
    subtitlesVtt,
  });
  return { version, durationSeconds };
}
