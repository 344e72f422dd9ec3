import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { modules, platformSettings } from "#db/schema";
import type { Db } from "~/db.server";
import { isSafeSlug, mediaRoot } from "./library.server";
import { MEDIA_TOKEN_LIFETIME_MS } from "./token.server";

// Partial folders this old belong to a build that crashed or was killed.
const STALE_PARTIAL_MS = 60 * 60 * 1000;
/** Written into a version folder the first time a clean-up finds its module on another version. */
const SUPERSEDED_MARK = "superseded.json";
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
