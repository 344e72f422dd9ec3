import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { MediaError, PROGRESS_ARGS, ensureFfmpeg, probeVideo, run, type VideoInfo } from "./ffmpeg.server";
import { writeAudioRenditions } from "./described-audio.server";
import { fitInside, outputFrameRate } from "./filters.server";
import { masterPlaylist, measureBandwidth, parseMediaPlaylist, writeSubtitleFiles } from "./hls-playlists.server";
import {
  type CompleteManifest,
  type RenditionInfo,
  publish,
  readCompleteManifest,
  writeCompleteManifest,
} from "./ladder-folder.server";
import { isWebVtt } from "./webvtt.server";

/**
 * Part of every media version hash: change it whenever encoding settings or the output
 * layout change, so cached ladders are rebuilt instead of served in the old shape.
 */
export const PIPELINE_VERSION = "hls-1";

export const SEGMENT_SECONDS = 6;

interface RenditionSpec {
  name: string;
  width: number;
  height: number;
  videoKbps: number;
  /** H.264 level as x264 takes it; CODECS is read back from the encoded SPS, not derived from this. */
  level: string;
}

const RENDITIONS: readonly RenditionSpec[] = [
  { name: "360p", width: 640, height: 360, videoKbps: 800, level: "3.0" },
  { name: "720p", width: 1280, height: 720, videoKbps: 2800, level: "3.1" },
];

/** The ladder's audio; the demo film is made with the same, so nothing is resampled on the way. */
export const AUDIO_KBPS = 128;
export const AUDIO_RATE = 48_000;
/** The sound of every rendition, and of an audio description, so the players' audio tracks match. */
export const AUDIO_ENCODE_ARGS: readonly string[] = [
  "-c:a",
  "aac",
  "-profile:a",
  "aac_low",
  "-b:a",
  `${AUDIO_KBPS}k`,
  "-ac",
  "2",
  "-ar",
  String(AUDIO_RATE),
];
const POSTER_BOX = { width: 1280, height: 720 };

// A rendition that would be upscaled more than this from the source adds bytes, not detail.
const MAX_UPSCALE = 1.34;

async function readSpsCodec(ffmpeg: string, segmentFile: string): Promise<string> {
  const { stdout } = await run(ffmpeg, [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    "-i",
    segmentFile,
    "-map",
    "0:v:0",
    "-c",
    "copy",
    "-frames:v",
    "1",
    "-f",
    "h264",
    "pipe:1",
  ]);
  // RFC 6381: avc1.PPCCLL is profile_idc, constraint flags and level_idc from the SPS itself.
  for (let i = 0; i + 6 < stdout.length; i++) {
    if (stdout[i] === 0 && stdout[i + 1] === 0 && stdout[i + 2] === 1 && (stdout[i + 3]! & 0x1f) === 7) {
      const hex = (byte: number) => byte.toString(16).padStart(2, "0");
      return `avc1.${hex(stdout[i + 4]!)}${hex(stdout[i + 5]!)}${hex(stdout[i + 6]!)}`;
    }
  }
  throw new MediaError(`Kunne ikke finde H.264-parametre i ${path.basename(segmentFile)}.`);
}

/** The presentation time of the first video frame of a segment, in 90 kHz MPEG-TS ticks. */
export function firstVideoPts(segmentFile: string): Promise<number> {
  return firstPts(segmentFile, "v:0");
}

/** The earliest presentation time of one stream ("v:0", "a:0") of a segment, in 90 kHz MPEG-TS ticks. */
export async function firstPts(segmentFile: string, stream: "v:0" | "a:0"): Promise<number> {
  const { ffprobe } = await ensureFfmpeg();
  const { stdout } = await run(ffprobe, [
    "-v",
    "error",
    "-select_streams",
    stream,
    // Packets come in decode order; with B-frames the earliest picture is among the first few.
    "-read_intervals",
    "%+#16",
    "-show_entries",
    "packet=pts",
    "-of",
    "csv=p=0",
    segmentFile,
  ]);
  const values = stdout
    .toString("utf8")
    .split(/\r?\n/)
    .map((line) => Number.parseInt(line.trim(), 10))
    .filter((n) => Number.isFinite(n));
  if (values.length === 0) throw new MediaError(`Kunne ikke læse tidsstempler i ${path.basename(segmentFile)}.`);
  return Math.min(...values);
}

export interface BuildLadderOptions {
  input: string;
  outDir: string;
  /** WebVTT text with cues timed from the start of the film. */
  subtitlesVtt?: string;
  /** An audio file (or film) with the audio-described soundtrack, added as an alternative audio rendition. */
  describedAudioFile?: string;
  /** 0..1 while encoding; 1 once the ladder is published. */
  onProgress?: (fraction: number) => void;
}

function chooseRenditions(info: VideoInfo): { spec: RenditionSpec; width: number; height: number }[] {
  const chosen = RENDITIONS.map((spec) => ({
    spec,
    ...fitInside(info.displayWidth, info.displayHeight, spec.width, spec.height),
  }));
  const wanted = chosen.filter((rendition, index) => index === 0 || rendition.scale <= MAX_UPSCALE);
  return wanted.map(({ spec, width, height }) => ({ spec, width, height }));
}

/** ffmpeg's HLS output: fixed-length MPEG-TS segments that each start cleanly, named alike in every rendition. */
export function hlsOutputArgs(segmentFolder: string, playlist: string): string[] {
  return [
    "-f",
    "hls",
    "-hls_time",
    String(SEGMENT_SECONDS),
    "-hls_playlist_type",
    "vod",
    "-hls_segment_type",
    "mpegts",
    "-hls_flags",
    "independent_segments",
    "-hls_segment_filename",
    `${segmentFolder}/seg_%05d.ts`,
    playlist,
  ];
}

function renditionArgs(spec: RenditionSpec, gop: number, videoLabel: string, audioMap: string): string[] {
  const kbps = spec.videoKbps;
  return [
    "-map",
    `[${videoLabel}]`,
    "-map",
    audioMap,
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-profile:v",
    "main",
    "-level:v",
    spec.level,
    "-b:v",
    `${kbps}k`,
    "-maxrate",
    `${Math.round(kbps * 1.1)}k`,
    "-bufsize",
    `${kbps * 2}k`,
    // Fixed GOP plus forced keyframes: every rendition cuts at the same instants, so players can switch at any segment.
    "-g",
    String(gop),
    "-keyint_min",
    String(gop),
    "-sc_threshold",
    "0",
    "-force_key_frames",
    `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
    ...AUDIO_ENCODE_ARGS,
    "-map_metadata",
    "-1",
    "-map_chapters",
    "-1",
    ...hlsOutputArgs(spec.name, `${spec.name}/index.m3u8`),
  ];
}

async function makePoster(ffmpeg: string, input: string, info: VideoInfo, outFile: string) {
  const size = fitInside(info.displayWidth, info.displayHeight, POSTER_BOX.width, POSTER_BOX.height);
  const attempt = (seconds: number) =>
    run(ffmpeg, [
      "-hide_banner",
      "-nostdin",
      "-y",
      "-v",
      "error",
      "-ss",
      seconds.toFixed(3),
      "-i",
      input,
      "-frames:v",
      "1",
      "-vf",
      `scale=${size.width}:${size.height},setsar=1`,
      "-q:v",
      "3",
      "-update",
      "1",
      outFile,
    ]);
  // 10 % in skips black lead-ins without landing in the middle of the story.
  await attempt(Math.min(info.durationSeconds * 0.1, Math.max(0, info.durationSeconds - 0.5)));
  if (!existsSync(outFile)) await attempt(0);
  if (!existsSync(outFile)) throw new MediaError("Kunne ikke lave et stillbillede (poster) fra filmen.");
}

/**
 * Encodes any readable video into an HLS VOD ladder in outDir. The folder appears whole or
 * not at all: work happens in a sibling folder that is renamed into place once
 * complete.json is written, and an existing complete folder is returned untouched.
 */
export async function buildLadder({
  input,
  outDir,
  subtitlesVtt,
  describedAudioFile,
  onProgress,
}: BuildLadderOptions): Promise<{ durationSeconds: number }> {
  const target = path.resolve(outDir);
  const existing = await readCompleteManifest(target);
  if (existing) {
    onProgress?.(1);
    return { durationSeconds: existing.durationSeconds };
  }
  if (subtitlesVtt !== undefined && !isWebVtt(subtitlesVtt)) {
    throw new MediaError("Underteksterne er ikke en WebVTT-fil (første linje skal være WEBVTT).");
  }

  const { ffmpeg } = await ensureFfmpeg();
  const source = path.resolve(input);
  const info = await probeVideo(source);
  if (!info) throw new MediaError("Filen er ikke en video, som kan læses.");

  await fs.mkdir(path.dirname(target), { recursive: true });
  const work = `${target}.partial-${randomBytes(6).toString("hex")}`;
  await fs.mkdir(work);
  try {
    onProgress?.(0);
    const renditions = chooseRenditions(info);
    const rate = outputFrameRate(info.frameRate);
    const gop = Math.round(rate.value * SEGMENT_SECONDS);
    for (const { spec } of renditions) await fs.mkdir(path.join(work, spec.name));

    await makePoster(ffmpeg, source, info, path.join(work, "poster.jpg"));

    const split = renditions.map((_, i) => `[s${i}]`).join("");
    const scales = renditions.map(
      ({ width, height }, i) => `[s${i}]scale=${width}:${height},setsar=1,format=yuv420p[v${i}]`,
    );
    const filterGraph = [`[0:v:0]fps=${rate.expression},split=${renditions.length}${split}`, ...scales].join(";");
    const silentAudio = info.hasAudio
      ? []
      : [
          "-f",
          "lavfi",
          "-t",
          info.durationSeconds.toFixed(3),
          "-i",
          `anullsrc=channel_layout=stereo:sample_rate=${AUDIO_RATE}`,
        ];
    const audioMap = info.hasAudio ? "0:a:0" : "1:a:0";

    await run(
      ffmpeg,
      [
        "-hide_banner",
        "-nostdin",
        "-y",
        "-v",
        "error",
        ...PROGRESS_ARGS,
        "-i",
        source,
        ...silentAudio,
        "-filter_complex",
        filterGraph,
        "-max_muxing_queue_size",
        "4096",
        ...renditions.flatMap(({ spec }, i) => renditionArgs(spec, gop, `v${i}`, audioMap)),
      ],
      // Relative output paths keep a '%' elsewhere in the folder name away from the segment pattern.
      { cwd: work, onProgress, progressDurationSeconds: info.durationSeconds },
    );

    const results: RenditionInfo[] = [];
    let playlistVersion = 3;
    let totalSeconds = 0;
    for (const { spec, width, height } of renditions) {
      const dir = path.join(work, spec.name);
      const playlist = parseMediaPlaylist(await fs.readFile(path.join(dir, "index.m3u8"), "utf8"));
      if (playlist.segments.length === 0) throw new MediaError(`Kodningen gav ingen segmenter for ${spec.name}.`);
      playlistVersion = Math.max(playlistVersion, playlist.version);
      const measured = await Promise.all(
        playlist.segments.map(async (segment) => ({
          duration: segment.duration,
          bytes: (await fs.stat(path.join(dir, segment.uri))).size,
        })),
      );
      const bandwidth = measureBandwidth(measured);
      totalSeconds = Math.max(totalSeconds, bandwidth.totalDuration);
      const videoCodec = await readSpsCodec(ffmpeg, path.join(dir, playlist.segments[0]!.uri));
      results.push({
        name: spec.name,
        width,
        height,
        frameRate: Math.round(rate.value * 1000) / 1000,
        bandwidth: bandwidth.peak,
        averageBandwidth: bandwidth.average,
        codecs: `${videoCodec},mp4a.40.2`,
      });
    }

    // Every rendition comes from the same muxer settings, so they share the timestamp origin.
    const firstSegment = path.join(work, renditions[0]!.spec.name, "seg_00000.ts");
    const pts = await firstVideoPts(firstSegment);
    const hasSubtitles = subtitlesVtt !== undefined;
    if (hasSubtitles) await writeSubtitleFiles(work, subtitlesVtt, pts, totalSeconds);
    const audio = describedAudioFile
      ? await writeAudioRenditions(work, results, describedAudioFile, totalSeconds)
      : null;
    await fs.writeFile(
      path.join(work, "master.m3u8"),
      masterPlaylist(playlistVersion, results, { subtitles: hasSubtitles, audio }),
      "utf8",
    );

    const durationSeconds = Math.max(1, Math.round(info.durationSeconds));
    const manifest: CompleteManifest = {
      durationSeconds,
      renditions: results,
      subtitles: hasSubtitles,
      describedAudio: audio,
      firstVideoPts: pts,
      createdAt: new Date().toISOString(),
      pipelineVersion: PIPELINE_VERSION,
    };
    // Written last: its presence is what marks the folder as whole.
    await writeCompleteManifest(work, manifest);
    await publish(work, target);
    onProgress?.(1);
    return { durationSeconds };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
