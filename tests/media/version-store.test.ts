import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { mediaVersions, modules } from "#db/schema";
import { db } from "~/db.server";
import { COMPLETE_FILE } from "~/media/ladder-folder.server";
import { moduleMediaDir } from "~/media/library.server";
import { mediaBucket, versionObjectKey } from "~/media/media-store.server";
import { runNextMediaJob } from "~/media/run-media-job.server";
import { pruneSupersededVersions } from "~/media/superseded-versions.server";
import { MEDIA_TOKEN_LIFETIME_MS } from "~/media/token.server";
import { hasDanishSubtitles, storeCurrentVersions, storedVersion } from "~/media/version-store.server";
import type { ObjectStore } from "~/storage/object-store.server";
import { queueUploadJob } from "../utils/kept-uploads";
import { ownMediaBucket } from "../utils/media-bucket";
import { makeTestFilm, ownMediaFolders } from "../utils/media";

// The worker's workshop and the bucket of this file only.
const { work } = ownMediaFolders("rettidig-version-store-");
ownMediaBucket("version-store");

const SLUG = "idraetslaereren-maerkerne-paa-armen";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const bucket = (): ObjectStore => {
  const store = mediaBucket();
  if (!store) throw new Error("MEDIA_STORAGE=s3 expected");
  return store;
};
const moduleRow = () => {
  const row = db.select().from(modules).where(eq(modules.slug, SLUG)).get();
  if (!row) throw new Error(`seed lacks ${SLUG}`);
  return row;
};
const keysOf = async (version: string) =>
  (await bucket().list(versionObjectKey(SLUG, version, ""))).map((object) =>
    object.key.slice(versionObjectKey(SLUG, version, "").length),
  );

/** Every file of a local version folder, relative to it. */
function localFiles(dir: string) {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

const film = path.join(work, "kort.mp4");
beforeAll(() => makeTestFilm(film, { size: "640x360" }));

describe("film versions in an S3 bucket (MEDIA_STORAGE=s3)", () => {
  let filmVersion: string;

  it("are sent whole, complete.json last, and recorded before the module is switched to them", async () => {
    const sent: string[] = [];
    const putFile = bucket().putFile.bind(bucket());
    const spy = vi.spyOn(bucket(), "putFile").mockImplementation(async (key, file, type) => {
      sent.push(key);
      // Whoever reads the bucket while the copy is under way finds no complete.json and no switched module.
      if (!key.endsWith(COMPLETE_FILE)) expect(moduleRow().mediaVersion).toBeNull();
      await putFile(key, file, type);
    });
    try {
      await queueUploadJob(SLUG, "film", film);
      expect(await runNextMediaJob()).toBe(true);
    } finally {
      spy.mockRestore();
    }
    const module = moduleRow();
    expect(module.mediaVersion).not.toBeNull();
    filmVersion = module.mediaVersion!;
    const local = moduleMediaDir(SLUG, filmVersion);

    expect(sent.at(-1)).toBe(versionObjectKey(SLUG, filmVersion, COMPLETE_FILE));
    expect((await keysOf(filmVersion)).sort()).toEqual(localFiles(local).sort());
    expect(await bucket().getText(versionObjectKey(SLUG, filmVersion, "master.m3u8"))).toBe(
      fs.readFileSync(path.join(local, "master.m3u8"), "utf8"),
    );
    expect(storedVersion(SLUG, filmVersion)).toMatchObject({ durationSeconds: 3, subtitles: false });
    expect(hasDanishSubtitles(SLUG, filmVersion)).toBe(false);
  });

  it("are fetched from the bucket by a worker that does not have the module's film, to lay subtitles on it", async () => {
    // Another machine's worker: nothing of the film in its own folder.
    fs.rmSync(moduleMediaDir(SLUG, filmVersion), { recursive: true, force: true });
    const vtt = path.join(work, "da.vtt");
    fs.writeFileSync(vtt, "WEBVTT\n\n00:00.500 --> 00:02.000\nTekst fra bøtten\n");
    await queueUploadJob(SLUG, "subtitles", vtt);
    expect(await runNextMediaJob()).toBe(true);

    const withSubtitles = moduleRow().mediaVersion!;
    expect(withSubtitles).not.toBe(filmVersion);
    expect(hasDanishSubtitles(SLUG, withSubtitles)).toBe(true);
    const keys = await keysOf(withSubtitles);
    expect(keys).toContain("subs/da.vtt");
    expect(keys).toContain(COMPLETE_FILE);
    // The film's segments came down from the bucket and went up again with the new version.
    const segment = keys.find((key) => key.endsWith(".ts"));
    expect(segment).toBeDefined();
    expect(keys.filter((key) => key.endsWith(".ts")).sort()).toEqual(
      (await keysOf(filmVersion)).filter((key) => key.endsWith(".ts")).sort(),
    );
  });

  it("are removed from the bucket, and forgotten, once no token can reach them; unfinished copies once they are stale", async () => {
    const current = moduleRow().mediaVersion!;
    // A copy without complete.json: one under way, or one whose worker died.
    const unfinished = "0000000000dead01";
    await bucket().putText(versionObjectKey(SLUG, unfinished, "master.m3u8"), "#EXTM3U\n");

    const markedAt = Date.now() + 30 * MINUTE;
    expect(await pruneSupersededVersions(db, { now: markedAt, log: () => {} })).toBe(true);
    expect(await keysOf(filmVersion)).toEqual(expect.arrayContaining([COMPLETE_FILE, "superseded.json"]));
    expect(await keysOf(current)).not.toContain("superseded.json");
    expect(await keysOf(unfinished)).toEqual(["master.m3u8"]);

    const log: string[] = [];
    const afterLifetime = markedAt + MEDIA_TOKEN_LIFETIME_MS + HOUR;
    expect(await pruneSupersededVersions(db, { now: afterLifetime, log: (line) => log.push(line) })).toBe(true);
    expect(await keysOf(filmVersion)).toEqual([]);
    expect(storedVersion(SLUG, filmVersion)).toBeUndefined();
    expect(log).toContain(`  − ${SLUG}/${filmVersion}: fjernet (ikke længere i brug)`);
    expect(await keysOf(unfinished)).toEqual([]);
    expect(log).toContain(`  − ${SLUG}/${unfinished}: fjernet (afbrudt bygning)`);
    expect(await keysOf(current)).toContain(COMPLETE_FILE);
    expect(storedVersion(SLUG, current)).toBeDefined();
  });

  it("takes a module's film kept only in the local folder into the bucket at start, so a switch to s3 loses no film", async () => {
    const version = moduleRow().mediaVersion!;
    const local = moduleMediaDir(SLUG, version);
    for (const key of await keysOf(version)) await bucket().delete(versionObjectKey(SLUG, version, key));
    db.delete(mediaVersions).where(eq(mediaVersions.version, version)).run();

    const log: string[] = [];
    await storeCurrentVersions(db, (line) => log.push(line));
    expect(log).toContain(`  ↑ ${SLUG}/${version}: gemt i medielageret`);
    expect((await keysOf(version)).sort()).toEqual(localFiles(local).sort());
    expect(hasDanishSubtitles(SLUG, version)).toBe(true);
  });
});
