import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { modules, platformSettings } from "#db/schema";
import type { Db } from "~/db.server";
import type { ObjectStore } from "~/storage/object-store.server";
import { COMPLETE_FILE, SUPERSEDED_MARK } from "./ladder-folder.server";
import { isSafeSlug, isSafeVersion, mediaRoot } from "./library.server";
import { mediaBucket, versionObjectKey } from "./media-store.server";
import { forgetVersion } from "./version-store.server";
import { MEDIA_TOKEN_LIFETIME_MS } from "./token.server";

// Partial folders this old belong to a build that crashed or was killed.
const STALE_PARTIAL_MS = 60 * 60 * 1000;
/** The clean-up's turn, shared through the database by every process that runs it. */
const PRUNE_TURN_SETTING = "media.pruneVersions.nextTurnAt";
/** A run holds the turn this long: the server and media:worker both run the clean-up every ten minutes, and it is done once. */
export const PRUNE_TURN_MS = 5 * 60 * 1000;

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

type ShelfEntry = { version: string; whole: boolean; modifiedMs: number };

/**
 * A place where film versions lie: the local folder, and with MEDIA_STORAGE=s3 the bucket too
 * (where the local folder is only the worker's workshop). The clean-up asks both the same things.
 */
type Shelf = {
  name: string;
  /** The shelf every process reads the film from; the catalogue row goes with a version removed from it. */
  authoritative: boolean;
  entries(slug: string): Promise<ShelfEntry[]>;
  readMark(slug: string, version: string): Promise<string | null>;
  writeMark(slug: string, version: string, text: string): Promise<void>;
  clearMark(slug: string, version: string): Promise<void>;
  remove(slug: string, version: string): Promise<void>;
};

function folderShelf(authoritative: boolean): Shelf {
  const root = mediaRoot();
  const markFile = (slug: string, version: string) => path.join(root, slug, version, SUPERSEDED_MARK);
  return {
    name: "mappen",
    authoritative,
    async entries(slug) {
      let found: Dirent[];
      try {
        found = await fs.readdir(path.join(root, slug), { withFileTypes: true });
      } catch {
        return [];
      }
      const entries: ShelfEntry[] = [];
      for (const entry of found) {
        if (!entry.isDirectory()) continue;
        const partial = entry.name.includes(".partial-");
        const stat = partial ? await fs.stat(path.join(root, slug, entry.name)).catch(() => null) : null;
        entries.push({ version: entry.name, whole: !partial, modifiedMs: stat?.mtimeMs ?? Number.POSITIVE_INFINITY });
      }
      return entries;
    },
    readMark: (slug, version) => fs.readFile(markFile(slug, version), "utf8").catch(() => null),
    writeMark: (slug, version, text) => fs.writeFile(markFile(slug, version), text),
    clearMark: (slug, version) => fs.rm(markFile(slug, version), { force: true }),
    remove: (slug, version) => fs.rm(path.join(root, slug, version), { recursive: true, force: true }),
  };
}

/** In the bucket a version is whole once its complete.json is there; without it, it is a copy under way or one that died. */
function bucketShelf(bucket: ObjectStore): Shelf {
  const objectsOf = async (slug: string) => bucket.list(`media/${slug}/`);
  return {
    name: bucket.describe,
    authoritative: true,
    async entries(slug) {
      const versions = new Map<string, ShelfEntry>();
      for (const object of await objectsOf(slug)) {
        const [version = "", ...rest] = object.key.slice(`media/${slug}/`.length).split("/");
        if (!isSafeVersion(version)) continue;
        const entry = versions.get(version) ?? { version, whole: false, modifiedMs: 0 };
        if (rest.join("/") === COMPLETE_FILE) entry.whole = true;
        entry.modifiedMs = Math.max(entry.modifiedMs, object.lastModified?.getTime() ?? 0);
        versions.set(version, entry);
      }
      return [...versions.values()];
    },
    readMark: (slug, version) => bucket.getText(versionObjectKey(slug, version, SUPERSEDED_MARK)),
    writeMark: (slug, version, text) =>
      bucket.putText(versionObjectKey(slug, version, SUPERSEDED_MARK), text, "application/json"),
    clearMark: (slug, version) => bucket.delete(versionObjectKey(slug, version, SUPERSEDED_MARK)),
    async remove(slug, version) {
      // complete.json first: a version half deleted must never look whole.
      await bucket.delete(versionObjectKey(slug, version, COMPLETE_FILE));
      for (const object of await bucket.list(versionObjectKey(slug, version, ""))) await bucket.delete(object.key);
    },
  };
}

/** When the version was first found superseded, or null while it is not marked (or the mark cannot be read). */
function supersededAt(mark: string | null): number | null {
  if (mark === null) return null;
  try {
    const parsed = JSON.parse(mark) as { supersededAt?: unknown };
    return typeof parsed.supersededAt === "number" && Number.isFinite(parsed.supersededAt) ? parsed.supersededAt : null;
  } catch {
    return null;
  }
}

const currentVersion = (db: Db, slug: string) =>
  db.select({ mediaVersion: modules.mediaVersion }).from(modules).where(eq(modules.slug, slug)).get()?.mediaVersion;

async function pruneSlug(db: Db, shelf: Shelf, slug: string, { log, now }: Required<PruneOptions>) {
  const where = shelf.authoritative ? "" : ` (${shelf.name})`;
  for (const entry of await shelf.entries(slug)) {
    const { version } = entry;
    if (!entry.whole) {
      if (now - entry.modifiedMs >= STALE_PARTIAL_MS) {
        await shelf.remove(slug, version);
        log(`  − ${slug}/${version}${where}: fjernet (afbrudt bygning)`);
      }
      continue;
    }
    // Read afresh for every version, so a switch made while this runs is seen.
    if (currentVersion(db, slug) === version) {
      await shelf.clearMark(slug, version);
      continue;
    }
    const since = supersededAt(await shelf.readMark(slug, version));
    if (since === null) {
      await shelf.writeMark(slug, version, JSON.stringify({ supersededAt: now }));
      continue;
    }
    if (now - since <= MEDIA_TOKEN_LIFETIME_MS || currentVersion(db, slug) === version) continue;
    await shelf.remove(slug, version);
    if (shelf.authoritative) forgetVersion(db, slug, version);
    log(`  − ${slug}/${version}${where}: fjernet (ikke længere i brug)`);
  }
}

/**
 * Removes film versions no media token can reach any more, and leftovers of crashed builds.
 * A token opens one version for MEDIA_TOKEN_LIFETIME_MS, so a version its module has left is
 * first marked with the time it was found superseded (beside its files, so the time survives a restart)
 * and removed once that is longer ago than a token lives: a player that got its token just
 * before the switch can always finish the film. A version that becomes the module's film
 * again (the same film uploaded anew) loses its mark. Folders of slugs the database does not
 * know are left alone. With MEDIA_STORAGE=s3 the bucket is cleaned, and the worker's local copies
 * by the same rule. Returns false when another process had the turn.
 */
export async function pruneSupersededVersions(
  db: Db,
  { log = console.log, now = Date.now() }: PruneOptions = {},
): Promise<boolean> {
  if (!takePruneTurn(db, now)) return false;
  const bucket = mediaBucket();
  const shelves = bucket ? [bucketShelf(bucket), folderShelf(false)] : [folderShelf(true)];
  const slugs = db
    .select({ slug: modules.slug })
    .from(modules)
    .all()
    .map((row) => row.slug)
    .filter(isSafeSlug);
  for (const shelf of shelves) {
    for (const slug of slugs) await pruneSlug(db, shelf, slug, { log, now });
  }
  return true;
}
