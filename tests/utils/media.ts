import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { modules } from "#db/schema";
import { db } from "~/db.server";
import { ensureFfmpeg, run } from "~/media/ffmpeg.server";
import { moduleMediaDir } from "~/media/library.server";
import { storeVersion } from "~/media/version-store.server";

/** A short film with picture and sound, made with ffmpeg's test sources: a real upload as far as any check can tell. */
export async function makeTestFilm(
  file: string,
  { seconds = 3, size = "320x180" }: { seconds?: number; size?: string } = {},
) {
  const { ffmpeg } = await ensureFfmpeg();
  await run(ffmpeg, [
    "-v",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc=size=${size}:rate=25:duration=${seconds}`,
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=300:duration=${seconds}`,
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-shortest",
    file,
  ]);
}

/** A tone as a WAV file, standing in for a described soundtrack. */
export async function makeTestAudio(file: string, seconds: number) {
  const { ffmpeg } = await ensureFfmpeg();
  await run(ffmpeg, ["-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=660:duration=${seconds}`, file]);
}

/**
 * Media and upload folders of this test file only, removed after it. Called at the top of the
 * file, before anything reads the environment, which is settled on first use.
 */
export function ownMediaFolders(prefix: string, maxUploadBytes?: number) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const uploads = path.join(work, "uploads");
  process.env.MEDIA_DIR = path.join(work, "media");
  process.env.UPLOAD_DIR = uploads;
  if (maxUploadBytes !== undefined) process.env.MAX_UPLOAD_BYTES = String(maxUploadBytes);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  return { work, uploads };
}

/**
 * Points a module at a film version that exists only as its complete.json, which is all the
 * studio reads to know whether the film is whole and has Danish subtitles.
 */
export async function giveModuleFilm(moduleId: number, { seconds = 240, subtitles = true } = {}) {
  const version = subtitles ? "v-test" : "v-test-uden-tekster";
  const module = db.select({ slug: modules.slug }).from(modules).where(eq(modules.id, moduleId)).get();
  if (!module) throw new Error(`no module ${moduleId}`);
  const dir = moduleMediaDir(module.slug, version);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "complete.json"),
    JSON.stringify({ durationSeconds: seconds, renditions: [], subtitles }),
  );
  // Through the store, as a build leaves it, so the catalogue knows what the studio asks of it.
  await storeVersion(db, module.slug, version);
  db.update(modules).set({ mediaVersion: version, durationSeconds: seconds }).where(eq(modules.id, moduleId)).run();
}
