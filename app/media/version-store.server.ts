import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { and, eq, isNotNull } from "drizzle-orm";
import { mediaVersions, modules } from "#db/schema";
import { type Db, type Tx, db as appDb } from "~/db.server";
import {
  COMPLETE_FILE,
  type CompleteManifest,
  SUPERSEDED_MARK,
  publish,
  readCompleteManifest,
} from "./ladder-folder.server";
import { contentTypeFor, isSafeSlug, isSafeVersion, moduleMediaDir } from "./library.server";
import { mediaBucket, versionObjectKey } from "./media-store.server";

export type StoredVersion = typeof mediaVersions.$inferSelect;

/** Files sent to or fetched from the bucket at once: enough to keep a connection pool busy, few enough to be polite. */
const TRANSFERS_AT_ONCE = 8;

/** The catalogue's row for a version, or undefined while it is not whole in the media store. Synchronous, so a transaction can ask. */
export function storedVersion(slug: string, version: string, database: Db | Tx = appDb): StoredVersion | undefined {
  return database
    .select()
    .from(mediaVersions)
    .where(and(eq(mediaVersions.slug, slug), eq(mediaVersions.version, version)))
    .get();
}

/**
 * Whether a module's film version is whole and carries Danish subtitles (the pipeline's only
 * subtitle track). Answered from the catalogue, so a publishing transaction can ask without
 * reading files or the bucket.
 */
export function hasDanishSubtitles(slug: string, version: string | null, database: Db | Tx = appDb): boolean {
  return version !== null && storedVersion(slug, version, database)?.subtitles === true;
}

/** Runs `work` on every item with at most TRANSFERS_AT_ONCE running. */
async function inTurns<T>(items: readonly T[], work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(TRANSFERS_AT_ONCE, items.length) }, lane));
}

/** Every file of a version folder, relative to it, without complete.json (which a copy writes last). */
async function filesOf(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((file) => file !== COMPLETE_FILE && file !== SUPERSEDED_MARK);
}

function parseManifest(text: string | null): CompleteManifest | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<CompleteManifest>;
    return typeof parsed.durationSeconds === "number" && Array.isArray(parsed.renditions)
      ? (parsed as CompleteManifest)
      : null;
  } catch {
    return null;
  }
}

/**
 * Makes a version that a build has published whole in the local folder whole in the media store,
 * and records it in the catalogue. With the bucket, every file goes up before complete.json, so
 * whoever finds complete.json there finds the rest; a version already whole there is not sent
 * again. Every build calls this before any module is switched to the version.
 */
export async function storeVersion(database: Db, slug: string, version: string): Promise<StoredVersion> {
  const known = storedVersion(slug, version, database);
  if (known) return known;
  const dir = moduleMediaDir(slug, version);
  const bucket = mediaBucket();
  let manifest = bucket ? parseManifest(await bucket.getText(versionObjectKey(slug, version, COMPLETE_FILE))) : null;
  if (!manifest) {
    manifest = await readCompleteManifest(dir);
    if (!manifest) throw new Error(`Filmversionen ${slug}/${version} er ikke bygget færdig og kan ikke gemmes.`);
    if (bucket) {
      const put = (file: string) =>
        bucket.putFile(versionObjectKey(slug, version, file), path.join(dir, file), contentTypeFor(file));
      await inTurns(await filesOf(dir), put);
      await put(COMPLETE_FILE);
    }
  }
  database
    .insert(mediaVersions)
    .values({
      slug,
      version,
      durationSeconds: manifest.durationSeconds,
      subtitles: manifest.subtitles === true,
      describedAudio: Boolean(manifest.describedAudio),
      storedAt: new Date(),
    })
    .onConflictDoNothing()
    .run();
  const stored = storedVersion(slug, version, database);
  if (!stored) throw new Error(`Filmversionen ${slug}/${version} blev ikke skrevet i kataloget.`);
  return stored;
}

/**
 * The version's folder on this machine, fetched whole from the bucket when it is only there (a
 * build that adds subtitles or a soundtrack starts from the files of the module's current film).
 * Like a build, the copy lands in a work folder that is renamed into place once complete.json is in it.
 */
export async function ensureLocalVersion(slug: string, version: string): Promise<string> {
  const dir = moduleMediaDir(slug, version);
  const bucket = mediaBucket();
  if (!bucket || (await readCompleteManifest(dir))) return dir;
  const prefix = versionObjectKey(slug, version, "");
  const objects = await bucket.list(prefix);
  if (!objects.some((object) => object.key === `${prefix}${COMPLETE_FILE}`)) return dir;
  const work = `${dir}.partial-${randomBytes(6).toString("hex")}`;
  const fetchFile = async (file: string) => {
    await fs.mkdir(path.dirname(path.join(work, file)), { recursive: true });
    await bucket.getToFile(`${prefix}${file}`, path.join(work, file));
  };
  try {
    const files = objects
      .map((object) => object.key.slice(prefix.length))
      .filter((file) => file !== COMPLETE_FILE && file !== SUPERSEDED_MARK);
    await inTurns(files, fetchFile);
    await fetchFile(COMPLETE_FILE);
    await publish(work, dir);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Stores and records the film each module shows when the catalogue does not know it yet: films
 * built before the catalogue existed, or kept in the local folder before MEDIA_STORAGE=s3 was set.
 * A version that is whole nowhere is reported, not guessed at.
 */
export async function storeCurrentVersions(database: Db, log: (line: string) => void = console.log) {
  const current = database
    .select({ slug: modules.slug, version: modules.mediaVersion })
    .from(modules)
    .where(isNotNull(modules.mediaVersion))
    .all();
  for (const { slug, version } of current) {
    if (version === null || !isSafeSlug(slug) || !isSafeVersion(version)) continue;
    if (storedVersion(slug, version, database)) continue;
    try {
      await storeVersion(database, slug, version);
      log(`  ↑ ${slug}/${version}: gemt i medielageret`);
    } catch (error) {
      log(`  ! ${slug}/${version}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Takes a version out of the catalogue once the clean-up has removed it from the media store. */
export function forgetVersion(database: Db, slug: string, version: string) {
  database
    .delete(mediaVersions)
    .where(and(eq(mediaVersions.slug, slug), eq(mediaVersions.version, version)))
    .run();
}
