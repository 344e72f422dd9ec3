import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { MediaError, ensureFfmpeg, probeAudio, run } from "./ffmpeg.server";
import { AUDIO_ENCODE_ARGS, firstPts, hlsOutputArgs } from "./hls-ladder.server";
import {
  type AudioGroup,
  DESCRIBED_AUDIO_PLAYLIST,
  MAIN_AUDIO_PLAYLIST,
  masterPlaylist,
  measureBandwidth,
  parseMediaPlaylist,
  readLadderTimeline,
} from "./hls-playlists.server";
import {
  type CompleteManifest,
  type RenditionInfo,
  linkVersionFiles,
  publish,
  readCompleteManifest,
  writeCompleteManifest,
} from "./ladder-folder.server";

/**
 * How far the described soundtrack may differ in length from the film. A describer's track is
 * cut to the film, so a second or two of difference is normal; more means another cut of the film.
 */
export const DESCRIBED_LENGTH_TOLERANCE_SECONDS = 5;

function hlsAudioArgs(playlist: string): string[] {
  return ["-map_metadata", "-1", ...hlsOutputArgs(path.dirname(playlist), playlist)];
}

async function peakBandwidth(dir: string, playlistFile: string): Promise<number> {
  const playlist = parseMediaPlaylist(await fs.readFile(path.join(dir, playlistFile), "utf8"));
  if (playlist.segments.length === 0) throw new MediaError("Kodningen af lydsporet gav ingen segmenter.");
  const folder = path.join(dir, path.dirname(playlistFile));
  const measured = await Promise.all(
    playlist.segments.map(async (segment) => ({
      duration: segment.duration,
      bytes: (await fs.stat(path.join(folder, segment.uri))).size,
    })),
  );
  return measureBandwidth(measured).peak;
}

/** Refuses a file that cannot be the film's described soundtrack, with a message the studio shows as it is. */
export async function checkDescribedSoundtrack(file: string, filmSeconds: number) {
  const audio = await probeAudio(file);
  if (!audio)
    throw new MediaError(
      "Filen med synstolkning har intet lydspor, der kan læses. Læg en lydfil (fx WAV, MP3 eller M4A) eller en video med lyd op.",
    );
  if (Math.abs(audio.durationSeconds - filmSeconds) > DESCRIBED_LENGTH_TOLERANCE_SECONDS) {
    const seconds = (value: number) => `${Math.round(value)} sekunder`;
    throw new MediaError(
      `Synstolkningen varer ${seconds(audio.durationSeconds)}, men filmen varer ${seconds(filmSeconds)}. Læg en synstolkning op, der er lavet til netop denne udgave af filmen.`,
    );
  }
}

const TS_TICKS_PER_SECOND = 90_000;
const MAX_ALIGNING_PASSES = 3;

/**
 * Segments one soundtrack into an audio rendition whose first sample plays at `startPts`, the
 * instant the film's own sound starts in the video segments. ffmpeg restarts the clock (and an
 * AAC file's priming moves it once more), so each pass is measured and, while it is off, run
 * again shifted by the difference; the input is only copied, so this settles in a pass or two.
 * What is left after the last pass is a few milliseconds at most.
 */
async function writeAlignedRendition(workDir: string, playlist: string, inputArgs: string[], startPts: number) {
  const { ffmpeg } = await ensureFfmpeg();
  const pass = (offsetTicks: number) =>
    run(
      ffmpeg,
      [
        "-hide_banner",
        "-nostdin",
        "-y",
        "-v",
        "error",
        ...inputArgs,
        "-output_ts_offset",
        (offsetTicks / TS_TICKS_PER_SECOND).toFixed(6),
        ...hlsAudioArgs(playlist),
      ],
      // Relative paths, as in buildLadder, keep the work folder's name away from the segment pattern.
      { cwd: workDir },
    );
  const firstSegment = path.join(workDir, path.dirname(playlist), "seg_00000.ts");
  let offsetTicks = 0;
  for (let attempt = 0; attempt < MAX_ALIGNING_PASSES; attempt++) {
    await pass(offsetTicks);
    const drift = startPts - (await firstPts(firstSegment, "a:0"));
    if (drift === 0) return;
    offsetTicks += drift;
  }
}

/**
 * Writes the two audio renditions into a ladder's work folder: the film's own sound, copied out
 * of the first video rendition (no second encoding), and the described soundtrack, encoded like
 * the ladder's audio and padded or cut to the film's length so both end with the picture.
 */
export async function writeAudioRenditions(
  workDir: string,
  renditions: RenditionInfo[],
  describedInput: string,
  filmSeconds: number,
): Promise<AudioGroup> {
  await checkDescribedSoundtrack(describedInput, filmSeconds);
  const video = renditions[0]!.name;
  const startPts = await firstPts(path.join(workDir, video, "seg_00000.ts"), "a:0");
  await fs.mkdir(path.join(workDir, path.dirname(MAIN_AUDIO_PLAYLIST)));
  await fs.mkdir(path.join(workDir, path.dirname(DESCRIBED_AUDIO_PLAYLIST)));
  await writeAlignedRendition(
    workDir,
    MAIN_AUDIO_PLAYLIST,
    ["-i", `${video}/index.m3u8`, "-map", "0:a:0", "-c:a", "copy"],
    startPts,
  );
  // Encoded once into a file of its own and then copied like the main sound: an encoder's
  // priming moves the first sample by an amount that shifting the encode does not correct.
  const encoded = path.join(workDir, "described-encoded.m4a");
  const { ffmpeg } = await ensureFfmpeg();
  await run(ffmpeg, [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-v",
    "error",
    "-i",
    path.resolve(describedInput),
    "-map",
    "0:a:0",
    "-af",
    "apad",
    "-t",
    filmSeconds.toFixed(3),
    ...AUDIO_ENCODE_ARGS,
    "-map_metadata",
    "-1",
    encoded,
  ]);
  await writeAlignedRendition(workDir, DESCRIBED_AUDIO_PLAYLIST, ["-i", encoded, "-c:a", "copy"], startPts);
  await fs.rm(encoded);
  const bandwidths = await Promise.all(
    [MAIN_AUDIO_PLAYLIST, DESCRIBED_AUDIO_PLAYLIST].map((playlist) => peakBandwidth(workDir, playlist)),
  );
  return { bandwidth: Math.max(...bandwidths) };
}

export interface DescribedVersionOptions {
  /** A complete ladder; it is only read, never changed. */
  sourceDir: string;
  outDir: string;
  /** An audio file or a film whose first audio track is the described soundtrack. */
  describedFile: string;
}

/**
 * A new version of a complete ladder with the described soundtrack beside the film's own: the
 * video, poster and subtitles are shared by hard links, only the sound is written, and the
 * folder is published whole, like every other version, before any module is switched to it.
 */
export async function buildDescribedVersion({
  sourceDir,
  outDir,
  describedFile,
}: DescribedVersionOptions): Promise<{ durationSeconds: number }> {
  const target = path.resolve(outDir);
  const existing = await readCompleteManifest(target);
  if (existing) return { durationSeconds: existing.durationSeconds };
  const source = path.resolve(sourceDir);
  const manifest = await readCompleteManifest(source);
  if (!manifest || manifest.renditions.length === 0)
    throw new MediaError("Modulets nuværende film er ikke bygget færdig, så der kan ikke lægges synstolkning på den.");

  await fs.mkdir(path.dirname(target), { recursive: true });
  const work = `${target}.partial-${randomBytes(6).toString("hex")}`;
  await fs.mkdir(work);
  try {
    await linkVersionFiles(source, work, [MAIN_AUDIO_PLAYLIST, DESCRIBED_AUDIO_PLAYLIST].map(path.dirname));
    const { playlistVersion, totalSeconds } = await readLadderTimeline(work, manifest.renditions);
    const audio = await writeAudioRenditions(work, manifest.renditions, describedFile, totalSeconds);
    await fs.writeFile(
      path.join(work, "master.m3u8"),
      masterPlaylist(playlistVersion, manifest.renditions, { subtitles: manifest.subtitles, audio }),
      "utf8",
    );
    const complete: CompleteManifest = { ...manifest, describedAudio: audio, createdAt: new Date().toISOString() };
    // Written last, as in buildLadder: its presence marks the folder as whole.
    await writeCompleteManifest(work, complete);
    await publish(work, target);
    return { durationSeconds: manifest.durationSeconds };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
