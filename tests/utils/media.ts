import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureFfmpeg, run } from "~/media/ffmpeg.server";

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
