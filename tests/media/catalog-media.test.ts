import fs from "node:fs";
import path from "node:path";
import { eq, ne } from "drizzle-orm";
import { modules } from "#db/schema";
import { db } from "~/db.server";
import { ingestFile } from "~/media/catalog-media.server";
import { buildSyntheticMediaForAllModules } from "~/media/demo-film/build.server";
import { syntheticPlan } from "~/media/demo-film/plan.server";
import { moduleMediaDir } from "~/media/library.server";
import { makeTestFilm, ownMediaFolders } from "../utils/media";

// Media of this file only, so pruning here cannot touch what other test files put in MEDIA_DIR.
const { work } = ownMediaFolders("rettidig-catalog-media-");

const UPLOAD_SLUG = "jonas-paedagogen-der-blev-ved";
const SYNTHETIC_SLUG = "mikkel-den-stille-dreng-bagerst";

function moduleRow(slug: string) {
  const row = db.select().from(modules).where(eq(modules.slug, slug)).get();
  if (!row) throw new Error(`seed lacks ${slug}`);
  return row;
}

describe("ingestFile", () => {
  const film = path.join(work, "upload.mp4");
  const subtitles = path.join(work, "upload.vtt");

  beforeAll(async () => {
    await makeTestFilm(film, { size: "640x360" });
    fs.writeFileSync(subtitles, "WEBVTT\n\n00:00.000 --> 00:02.500\nHej fra Jonas\n");
  });

  it("publishes a film as the module's upload with its subtitles", async () => {
    const progress: number[] = [];
    const result = await ingestFile(db, {
      file: film,
      moduleSlug: UPLOAD_SLUG,
      subtitlesFile: subtitles,
      onProgress: (f) => progress.push(f),
    });
    expect(result).toMatchObject({ moduleId: moduleRow(UPLOAD_SLUG).id, durationSeconds: 3 });
    expect(moduleRow(UPLOAD_SLUG)).toMatchObject({
      mediaVersion: result.version,
      durationSeconds: 3,
      mediaSource: "upload",
    });
    const dir = moduleMediaDir(UPLOAD_SLUG, result.version);
    expect(fs.existsSync(path.join(dir, "complete.json"))).toBe(true);
    expect(fs.readFileSync(path.join(dir, "subs", "da.vtt"), "utf8")).toMatch(
      /^WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:\d+,LOCAL:00:00:00\.000\n\n00:00\.000 --> 00:02\.500\nHej fra Jonas\n$/,
    );
    expect(progress.at(-1)).toBe(1);

    // The same film again is already there; other subtitles make a new version.
    expect((await ingestFile(db, { file: film, moduleSlug: UPLOAD_SLUG, subtitlesFile: subtitles })).version).toBe(
      result.version,
    );
    const without = await ingestFile(db, { file: film, moduleSlug: UPLOAD_SLUG });
    expect(without.version).not.toBe(result.version);
    expect(fs.existsSync(path.join(moduleMediaDir(UPLOAD_SLUG, without.version), "subs"))).toBe(false);
    expect(
      fs.readFileSync(path.join(moduleMediaDir(UPLOAD_SLUG, without.version), "master.m3u8"), "utf8"),
    ).not.toContain("SUBTITLES");
  });

  it("explains what is wrong, in Danish, and leaves the module alone", async () => {
    const before = moduleRow(SYNTHETIC_SLUG);
    const text = path.join(work, "tekst.mp4");
    fs.writeFileSync(text, "Ikke en film\n");
    const srt = path.join(work, "film.srt");
    fs.writeFileSync(srt, "1\n00:00:01,000 --> 00:00:02,000\nHej\n");

    await expect(ingestFile(db, { file: film, moduleSlug: "findes-ikke" })).rejects.toThrow(
      'Modulet "findes-ikke" findes ikke.',
    );
    await expect(ingestFile(db, { file: text, moduleSlug: SYNTHETIC_SLUG })).rejects.toThrow(
      "Filen er ikke en video, som kan læses.",
    );
    await expect(ingestFile(db, { file: path.join(work, "mangler.mp4"), moduleSlug: SYNTHETIC_SLUG })).rejects.toThrow(
      /Filen findes ikke/,
    );
    await expect(ingestFile(db, { file: film, moduleSlug: SYNTHETIC_SLUG, subtitlesFile: srt })).rejects.toThrow(
      /WebVTT/,
    );
    expect(moduleRow(SYNTHETIC_SLUG)).toEqual(before);
  });
});

describe("buildSyntheticMediaForAllModules", () => {
  it("skips films already built, points the module at them and starts clearing what the module left", async () => {
    // One synthetic module keeps this fast; the encoding itself is covered by the pipeline tests.
    db.update(modules).set({ mediaSource: "upload" }).where(ne(modules.slug, SYNTHETIC_SLUG)).run();
    const row = moduleRow(SYNTHETIC_SLUG);
    const plan = syntheticPlan(row);
    const dir = moduleMediaDir(SYNTHETIC_SLUG, plan.version);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, "complete.json"),
      JSON.stringify({ durationSeconds: plan.durationSeconds, renditions: [] }),
    );

    const old = moduleMediaDir(SYNTHETIC_SLUG, "0000000000000000");
    const fresh = moduleMediaDir(SYNTHETIC_SLUG, "1111111111111111");
    const crashed = `${dir}.partial-abc123`;
    for (const folder of [old, fresh, crashed]) fs.mkdirSync(folder, { recursive: true });
    const longAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(old, longAgo, longAgo);
    fs.utimesSync(crashed, longAgo, longAgo);

    const lines: string[] = [];
    const summary = await buildSyntheticMediaForAllModules(db, { log: (line) => lines.push(line) });
    expect(summary).toMatchObject({ built: 0, upToDate: 1 });
    expect(lines.join("\n")).toContain(`${SYNTHETIC_SLUG}: er allerede bygget`);
    expect(moduleRow(SYNTHETIC_SLUG)).toMatchObject({
      mediaVersion: plan.version,
      durationSeconds: plan.durationSeconds,
    });
    expect(fs.existsSync(dir)).toBe(true);
    expect(fs.existsSync(crashed)).toBe(false);
    // However old, a version the module has left may still be playing on a token issued before the switch:
    // it is marked now and removed once no token can reach it (tests/media/superseded-versions.test.ts).
    for (const folder of [old, fresh]) {
      expect(fs.existsSync(folder)).toBe(true);
      expect(fs.existsSync(path.join(folder, "superseded.json"))).toBe(true);
    }
    expect(fs.existsSync(path.join(dir, "superseded.json"))).toBe(false);
  });

  it("says so when no module has a synthetic film", async () => {
    db.update(modules).set({ mediaSource: "upload" }).run();
    const lines: string[] = [];
    expect(await buildSyntheticMediaForAllModules(db, { log: (line) => lines.push(line) })).toMatchObject({
      built: 0,
      upToDate: 0,
    });
    expect(lines.join("\n")).toMatch(/Ingen moduler med syntetisk film/);
  });
});
