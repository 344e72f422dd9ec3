import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { MediaError } from "./ffmpeg.server";
import { masterPlaylist, readLadderTimeline, writeSubtitleFiles } from "./hls-playlists.server";
import {
  type CompleteManifest,
  linkVersionFiles,
  publish,
  readCompleteManifest,
  writeCompleteManifest,
} from "./ladder-folder.server";
import { isWebVtt } from "./webvtt.server";

export interface SubtitleVersionOptions {
  /** A complete ladder; it is only read, never changed. */
  sourceDir: string;
  outDir: string;
  /** WebVTT text with cues timed from the start of the film. */
  subtitlesVtt: string;
}

/**
 * A new version of a complete ladder with other subtitles, without encoding anything: the
 * renditions, poster and any audio renditions are shared with the source by hard links, and the folder is
 * published whole, like buildLadder's, so a module switched to it never sees it half written.
 */
export async function buildSubtitleVersion({
  sourceDir,
  outDir,
  subtitlesVtt,
}: SubtitleVersionOptions): Promise<{ durationSeconds: number }> {
  const target = path.resolve(outDir);
  const existing = await readCompleteManifest(target);
  if (existing) return { durationSeconds: existing.durationSeconds };
  if (!isWebVtt(subtitlesVtt))
    throw new MediaError("Underteksterne er ikke en WebVTT-fil (første linje skal være WEBVTT).");
  const source = path.resolve(sourceDir);
  const manifest = await readCompleteManifest(source);
  if (!manifest || manifest.renditions.length === 0)
    throw new MediaError("Modulets nuværende film er ikke bygget færdig, så der kan ikke lægges undertekster på den.");

  await fs.mkdir(path.dirname(target), { recursive: true });
  const work = `${target}.partial-${randomBytes(6).toString("hex")}`;
  await fs.mkdir(work);
  try {
    await linkVersionFiles(source, work, ["subs"]);
    const { playlistVersion, totalSeconds } = await readLadderTimeline(work, manifest.renditions);
    await writeSubtitleFiles(work, subtitlesVtt, manifest.firstVideoPts, totalSeconds);
    await fs.writeFile(
      path.join(work, "master.m3u8"),
      masterPlaylist(playlistVersion, manifest.renditions, { subtitles: true, audio: manifest.describedAudio }),
      "utf8",
    );
    const complete: CompleteManifest = { ...manifest, subtitles: true, createdAt: new Date().toISOString() };
    // Written last, as in buildLadder: its presence marks the folder as whole.
    await writeCompleteManifest(work, complete);
    await publish(work, target);
    return { durationSeconds: manifest.durationSeconds };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
