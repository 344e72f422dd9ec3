import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { modules, users } from "#db/schema";
import { db, openDatabase } from "~/db.server";
import { getEnv } from "~/env.server";
import { authorizeMedia, mediaBaseUrl } from "~/media/access.server";
import { PRUNE_TURN_MS, pruneSupersededVersions } from "~/media/superseded-versions.server";
import { moduleMediaDir, resolveMediaFile } from "~/media/library.server";
import { MEDIA_TOKEN_LIFETIME_MS } from "~/media/token.server";
import { ownMediaFolders } from "../utils/media";
import { userIdByEmail } from "../utils/requests";

// Media of this file only, so pruning here cannot touch what other test files put in MEDIA_DIR.
ownMediaFolders("rettidig-superseded-");

const SLUG = "sofie-ingen-spurgte-til-mig";
const OLD = "0000000000000aaa";
const NEW = "0000000000000bbb";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A complete ladder on disk, as the pipeline leaves it, last written `ageMs` before now. */
function ladder(version: string, ageMs = 0) {
  const dir = moduleMediaDir(SLUG, version);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "master.m3u8"), "#EXTM3U\n");
  fs.writeFileSync(path.join(dir, "complete.json"), "{}");
  const then = new Date(Date.now() - ageMs);
  fs.utimesSync(dir, then, then);
  return dir;
}

const pointModuleAt = (version: string) =>
  db.update(modules).set({ mediaVersion: version }).where(eq(modules.slug, SLUG)).run();
const moduleId = () => db.select({ id: modules.id }).from(modules).where(eq(modules.slug, SLUG)).get()!.id;
const learner = () => {
  const id = userIdByEmail("medarbejder@demo-kommune.dk");
  return { ...db.select().from(users).where(eq(users.id, id)).get()!, platformRole: null };
};

/** Whether the learner's player, holding the token from `url`, can still fetch the version's playlist at `now`. */
function playable(url: string, version: string, now: number) {
  const token = url.split("/")[2]!;
  const grant = authorizeMedia(learner(), token, version, now);
  return grant.status === "ok" && fs.existsSync(resolveMediaFile(grant.slug, version, "master.m3u8")!);
}

describe("superseded film versions", () => {
  // Each run of the clean-up needs its own turn; the turn is shared through the database.
  let clock = Date.now();
  const later = (ms: number) => (clock += ms);

  it("stay while any token issued before the switch can reach them, and go once none can", async () => {
    // Built long ago: how old the folder is says nothing about when the module left it.
    const old = ladder(OLD, 30 * 24 * HOUR);
    ladder(NEW);
    pointModuleAt(OLD);
    const lastToken = mediaBaseUrl(learner().id, moduleId(), OLD, clock);

    pointModuleAt(NEW);
    const switchedAt = clock;
    expect(await pruneSupersededVersions(db, { now: later(1000), log: () => {} })).toBe(true);
    expect(fs.existsSync(old)).toBe(true);
    expect(playable(lastToken, OLD, clock)).toBe(true);

    // A minute before the last token runs out, its player still gets the film.
    clock = switchedAt + MEDIA_TOKEN_LIFETIME_MS - MINUTE;
    expect(await pruneSupersededVersions(db, { now: clock, log: () => {} })).toBe(true);
    expect(playable(lastToken, OLD, clock)).toBe(true);

    // Once the token lifetime has passed since the switch was found, no token opens the version, and it goes.
    clock = switchedAt + MEDIA_TOKEN_LIFETIME_MS + 10 * MINUTE;
    const removed: string[] = [];
    expect(await pruneSupersededVersions(db, { now: clock, log: (line) => removed.push(line) })).toBe(true);
    expect(fs.existsSync(old)).toBe(false);
    expect(removed.join("\n")).toContain(`${SLUG}/${OLD}: fjernet`);
    expect(fs.existsSync(moduleMediaDir(SLUG, NEW))).toBe(true);
  });

  it("forgets that a version was left when the module returns to it, so the clock starts again when it is left anew", async () => {
    const dir = ladder(OLD);
    pointModuleAt(NEW);
    await pruneSupersededVersions(db, { now: later(PRUNE_TURN_MS), log: () => {} });
    expect(fs.existsSync(path.join(dir, "superseded.json"))).toBe(true);

    // The same film uploaded again is the same version.
    pointModuleAt(OLD);
    await pruneSupersededVersions(db, { now: later(3 * HOUR), log: () => {} });
    expect(fs.existsSync(path.join(dir, "superseded.json"))).toBe(false);

    pointModuleAt(NEW);
    const leftAgain = later(PRUNE_TURN_MS);
    await pruneSupersededVersions(db, { now: leftAgain, log: () => {} });
    await pruneSupersededVersions(db, { now: later(MEDIA_TOKEN_LIFETIME_MS - MINUTE), log: () => {} });
    expect(fs.existsSync(dir)).toBe(true);
    await pruneSupersededVersions(db, { now: later(PRUNE_TURN_MS), log: () => {} });
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("runs once when two processes ask at the same moment, and a restarted process does not run it again before its turn", async () => {
    const dir = ladder(OLD);
    pointModuleAt(NEW);
    // A second connection to the same file is what the media worker's own process has.
    const other = openDatabase(getEnv().DATABASE_PATH);
    try {
      const now = later(PRUNE_TURN_MS);
      const runs = await Promise.all([
        pruneSupersededVersions(db, { now, log: () => {} }),
        pruneSupersededVersions(other.db, { now, log: () => {} }),
      ]);
      expect(runs.filter(Boolean)).toHaveLength(1);
      expect(fs.existsSync(path.join(dir, "superseded.json"))).toBe(true);
      const marked = fs.readFileSync(path.join(dir, "superseded.json"), "utf8");

      // Restarted a minute later, a process finds the turn taken in the database and the mark on disk.
      const restarted = openDatabase(getEnv().DATABASE_PATH);
      try {
        expect(await pruneSupersededVersions(restarted.db, { now: now + MINUTE, log: () => {} })).toBe(false);
        expect(await pruneSupersededVersions(restarted.db, { now: now + PRUNE_TURN_MS, log: () => {} })).toBe(true);
      } finally {
        restarted.sqlite.close();
      }
      expect(fs.readFileSync(path.join(dir, "superseded.json"), "utf8")).toBe(marked);
      clock = now + PRUNE_TURN_MS;
    } finally {
      other.sqlite.close();
    }
  });

  it("clears away builds that crashed an hour ago, and leaves one still under way", async () => {
    const current = ladder(NEW);
    pointModuleAt(NEW);
    const crashed = `${current}.partial-crashed`;
    const building = `${current}.partial-building`;
    for (const folder of [crashed, building]) fs.mkdirSync(folder, { recursive: true });
    const now = later(PRUNE_TURN_MS);
    const hourAgo = new Date(now - HOUR - MINUTE);
    fs.utimesSync(crashed, hourAgo, hourAgo);
    const justNow = new Date(now - MINUTE);
    fs.utimesSync(building, justNow, justNow);

    await pruneSupersededVersions(db, { now, log: () => {} });
    expect(fs.existsSync(crashed)).toBe(false);
    expect(fs.existsSync(building)).toBe(true);
    expect(fs.existsSync(current)).toBe(true);
  });
});
