import { randomBytes } from "node:crypto";
import { type Dirent, existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  MediaError,
  PROGRESS_ARGS,
  ensureFfmpeg,
  installAptPackages,
  probeVideo,
  run,
  type VideoInfo,
} from "./ffmpeg.server";

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

const AUDIO_KBPS = 128;
const AUDIO_RATE = 48_000;
const POSTER_BOX = { width: 1280, height: 720 };

// A rendition that would be upscaled more than this from the source adds bytes, not detail.
const MAX_UPSCALE = 1.34;

export interface Cue {
  startSeconds: number;
  endSeconds: number;
  text: string;
}

export interface RenditionInfo {
  name: string;
  width: number;
  height: number;
  frameRate: number;
  bandwidth: number;
  averageBandwidth: number;
  codecs: string;
}

export interface CompleteManifest {
  durationSeconds: number;
  renditions: RenditionInfo[];
  subtitles: boolean;
  /** MPEG-TS PTS of the first video frame, which subtitle cue time 0 is mapped to. */
  firstVideoPts: number;
  createdAt: string;
  pipelineVersion: string;
}

export const COMPLETE_FILE = "complete.json";

// ---------------------------------------------------------------------------
// WebVTT

function vttTimestamp(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}.${String(rest).padStart(3, "0")}`;
}

function escapeCueText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .map((line) => line.trim())
      // An empty line would end the cue early.
      .filter(Boolean)
      .join("\n")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
  );
}

/** A WebVTT file without a timestamp map; buildLadder adds the one that fits the encoded segments. */
export function buildWebVtt(cues: readonly Cue[]): string {
  const blocks = ["WEBVTT"];
  cues.forEach((cue, index) => {
    if (
      !Number.isFinite(cue.startSeconds) ||
      !Number.isFinite(cue.endSeconds) ||
      cue.startSeconds < 0 ||
      cue.endSeconds <= cue.startSeconds
    ) {
      throw new Error(`Ugyldig undertekst nr. ${index + 1}: ${cue.startSeconds}–${cue.endSeconds}`);
    }
    const text = escapeCueText(cue.text);
    if (!text) return;
    blocks.push(`${index + 1}\n${vttTimestamp(cue.startSeconds)} --> ${vttTimestamp(cue.endSeconds)}\n${text}`);
  });
  return `${blocks.join("\n\n")}\n`;
}

export function isWebVtt(text: string): boolean {
  return /^\uFEFF?WEBVTT(?:[ \t][^\n]*)?(?:\r?\n|$)/.test(text);
}

/**
 * Sets X-TIMESTAMP-MAP in the header block: players place cues on the MPEG-TS timeline
 * through it, and without it hls.js assumes a different origin than ffmpeg's segments use.
 */
export function withTimestampMap(vtt: string, mpegts: number): string {
  if (!isWebVtt(vtt)) throw new MediaError("Underteksterne er ikke en WebVTT-fil (første linje skal være WEBVTT).");
  const lines = vtt
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");
  const headerEnd = lines.indexOf("");
  const header = headerEnd === -1 ? lines : lines.slice(0, headerEnd);
  const rest = headerEnd === -1 ? [] : lines.slice(headerEnd);
  const [firstLine = "WEBVTT", ...headerLines] = header;
  const map = `X-TIMESTAMP-MAP=MPEGTS:${Math.round(mpegts)},LOCAL:00:00:00.000`;
  const kept = headerLines.filter((line) => !line.startsWith("X-TIMESTAMP-MAP="));
  const text = [firstLine, map, ...kept, ...rest].join("\n");
  return text.endsWith("\n") ? text : `${text}\n`;
}

// ---------------------------------------------------------------------------
// Filter graph helpers

/**
 * A value placed in a filter option inside a filter graph passes through two parsers, each
 * removing one level of backslash escaping; this escapes for both, so paths with quotes,
 * colons or brackets survive.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':=]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

/** Largest even size with the source's display shape that fits inside the box. */
export function fitInside(sourceWidth: number, sourceHeight: number, boxWidth: number, boxHeight: number) {
  const scale = Math.min(boxWidth / sourceWidth, boxHeight / sourceHeight);
  return {
    width: Math.min(even(sourceWidth * scale), boxWidth),
    height: Math.min(even(sourceHeight * scale), boxHeight),
    scale,
  };
}

interface FrameRate {
  /** As ffmpeg's fps filter takes it. */
  expression: string;
  value: number;
}

const KNOWN_RATES: readonly FrameRate[] = [
  { expression: "24000/1001", value: 24000 / 1001 },
  { expression: "24", value: 24 },
  { expression: "25", value: 25 },
  { expression: "30000/1001", value: 30000 / 1001 },
  { expression: "30", value: 30 },
];

/**
 * A constant rate of at most 30 fps: keyframes every 6 s need a fixed frame count per GOP,
 * and 50/60 fps doubles the bitrate need for films of people talking.
 */
export function outputFrameRate(source: number | null): FrameRate {
  let rate = source && source >= 10 && source <= 240 ? source : 25;
  while (rate > 30.5) rate /= 2;
  const known = KNOWN_RATES.find((candidate) => Math.abs(candidate.value - rate) < 0.01);
  if (known) return known;
  const rounded = Math.round(rate * 1000) / 1000;
  return { expression: String(rounded), value: rounded };
}

// ---------------------------------------------------------------------------
// Fonts and text for the synthetic film

const FONT_SEARCH_ROOTS = ["/usr/share/fonts", "/usr/local/share/fonts"];

async function findFile(root: string, names: ReadonlySet<string>, depth = 0): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (depth > 5) return found;
  let entries: Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) {
      for (const [name, file] of await findFile(full, names, depth + 1)) if (!found.has(name)) found.set(name, file);
    } else if (names.has(entry.name) && !found.has(entry.name)) {
      found.set(entry.name, full);
    }
  }
  return found;
}

export interface Fonts {
  regular: string;
  bold: string;
  /** For the timecode, whose box would otherwise change width with every digit. */
  mono: string;
}

let cachedFonts: Fonts | undefined;

async function locateFonts(): Promise<Fonts | null> {
  const names = new Set(["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"]);
  const found = new Map<string, string>();
  for (const root of FONT_SEARCH_ROOTS) {
    for (const [name, file] of await findFile(root, names)) if (!found.has(name)) found.set(name, file);
  }
  const regular = found.get("DejaVuSans.ttf") ?? found.get("DejaVuSans-Bold.ttf");
  if (!regular) return null;
  return {
    regular,
    bold: found.get("DejaVuSans-Bold.ttf") ?? regular,
    mono: found.get("DejaVuSansMono.ttf") ?? regular,
  };
}

/** DejaVu covers æ, ø and å; installed with apt when missing and allowed, like ffmpeg itself. */
export async function ensureFonts(): Promise<Fonts> {
  if (cachedFonts) return cachedFonts;
  let fonts = await locateFonts();
  if (!fonts && (await installAptPackages(["fonts-dejavu-core"]))) fonts = await locateFonts();
  if (!fonts) {
    throw new MediaError(
      [
        "Skrifttypen DejaVu Sans blev ikke fundet. Installér den med `sudo apt-get install fonts-dejavu-core`.",
        "The DejaVu Sans font was not found. Install it with `sudo apt-get install fonts-dejavu-core`.",
      ].join("\n"),
    );
  }
  cachedFonts = fonts;
  return fonts;
}

/** Greedy word wrap; words longer than a line are cut so no line overflows the frame. */
export function wrapWords(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const rawWord of text.split(/\s+/).filter(Boolean)) {
    let word = rawWord;
    while (word.length > maxChars) {
      if (current) {
        lines.push(current);
        current = "";
      }
      lines.push(word.slice(0, maxChars));
      word = word.slice(maxChars);
    }
    if (!word) continue;
    if (!current) current = word;
    else if (current.length + 1 + word.length <= maxChars) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

function limitLines(lines: string[], max: number): string[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  kept[max - 1] = `${kept[max - 1]!.replace(/\s*\S*$/, "")} …`;
  return kept;
}

export interface SyntheticFilmOptions {
  title: string;
  caption?: string;
  durationSeconds: number;
  outFile: string;
}

/**
 * A stand-in film: a title card with a running timecode and a tone, so the player, progress
 * tracking and subtitles can be exercised without real footage.
 */
export async function makeSyntheticFilm({
  title,
  caption,
  durationSeconds,
  outFile,
}: SyntheticFilmOptions): Promise<void> {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) throw new Error("durationSeconds skal være positiv");
  const { ffmpeg } = await ensureFfmpeg();
  const fonts = await ensureFonts();
  const textDir = await fs.mkdtemp(path.join(os.tmpdir(), "rettidig-film-"));
  const target = path.resolve(outFile);
  const partial = `${target}.partial-${randomBytes(4).toString("hex")}.mp4`;
  try {
    // Text goes through files so Danish letters, colons and quotes need no drawtext escaping.
    const writeText = async (name: string, text: string) => {
      const file = path.join(textDir, name);
      await fs.writeFile(file, text, "utf8");
      return escapeFilterValue(file);
    };

    const filters: string[] = [];
    const titleLines = limitLines(wrapWords(title, 32), 3);
    const captionLines = caption ? limitLines(wrapWords(caption, 60), 2) : [];
    const titleSize = 60;
    const titleLineHeight = 78;
    const captionSize = 30;
    const captionLineHeight = 42;
    const blockHeight =
      titleLines.length * titleLineHeight + (captionLines.length ? 36 + captionLines.length * captionLineHeight : 0);
    let y = Math.round((720 - blockHeight) / 2) - 30;

    for (const [index, line] of titleLines.entries()) {
      const file = await writeText(`title-${index}.txt`, line);
      filters.push(
        `drawtext=fontfile=${escapeFilterValue(fonts.bold)}:textfile=${file}:expansion=none:fontsize=${titleSize}:fontcolor=white:x=(w-text_w)/2:y=${y}`,
      );
      y += titleLineHeight;
    }
    y += 36;
    for (const [index, line] of captionLines.entries()) {
      const file = await writeText(`caption-${index}.txt`, line);
      filters.push(
        `drawtext=fontfile=${escapeFilterValue(fonts.regular)}:textfile=${file}:expansion=none:fontsize=${captionSize}:fontcolor=0xcfe0f0:x=(w-text_w)/2:y=${y}`,
      );
      y += captionLineHeight;
    }
    const brand = await writeText("brand.txt", "Rettidig · demofilm");
    filters.push(
      `drawtext=fontfile=${escapeFilterValue(fonts.regular)}:textfile=${brand}:expansion=none:fontsize=26:fontcolor=0xcfe0f0:x=48:y=40`,
    );
    // Top right, because the player draws subtitles over the bottom of the picture.
    const timecode = await writeText("timecode.txt", "%{pts:hms}");
    filters.push(
      `drawtext=fontfile=${escapeFilterValue(fonts.mono)}:textfile=${timecode}:fontsize=30:fontcolor=white:box=1:boxcolor=black@0.45:boxborderw=12:x=w-text_w-48:y=40`,
    );

    const seconds = durationSeconds.toFixed(3);
    await run(ffmpeg, [
      "-hide_banner",
      "-nostdin",
      "-y",
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      `color=c=0x16324f:s=1280x720:r=25:d=${seconds}`,
      "-f",
      "lavfi",
      "-i",
      // beep_factor adds a short higher beep each second, which makes audio sync audible.
      `sine=frequency=440:beep_factor=2:sample_rate=${AUDIO_RATE}:duration=${seconds}`,
      "-vf",
      filters.join(","),
      "-af",
      "volume=0.5",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-tune",
      "stillimage",
      "-crf",
      "20",
      "-pix_fmt",
      "yuv420p",
      "-c:a",
      "aac",
      "-b:a",
      `${AUDIO_KBPS}k`,
      "-ac",
      "2",
      "-t",
      seconds,
      "-movflags",
      "+faststart",
      "-f",
      "mp4",
      partial,
    ]);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(partial, target);
  } finally {
    await fs.rm(textDir, { recursive: true, force: true });
    await fs.rm(partial, { force: true });
  }
}

// ---------------------------------------------------------------------------
// HLS ladder

interface PlaylistSegment {
  uri: string;
  duration: number;
}

function parseMediaPlaylist(text: string): { version: number; segments: PlaylistSegment[] } {
  const segments: PlaylistSegment[] = [];
  let version = 3;
  let pending: number | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("#EXT-X-VERSION:")) version = Number(line.slice("#EXT-X-VERSION:".length)) || version;
    else if (line.startsWith("#EXTINF:")) pending = Number.parseFloat(line.slice("#EXTINF:".length));
    else if (!line.startsWith("#") && pending !== null) {
      segments.push({ uri: line, duration: pending });
      pending = null;
    }
  }
  return { version, segments };
}

// Segments shorter than this (typically the last one) are counted with their neighbour:
// measured alone, a fraction of a second of TS overhead would look like a huge peak.
const MIN_PEAK_WINDOW_SECONDS = 1;

function measureBandwidth(segments: { bytes: number; duration: number }[]) {
  const windows: { bytes: number; duration: number }[] = [];
  for (const segment of segments) {
    const last = windows.at(-1);
    if (last && segment.duration < MIN_PEAK_WINDOW_SECONDS) {
      last.bytes += segment.bytes;
      last.duration += segment.duration;
    } else {
      windows.push({ ...segment });
    }
  }
  const totalBytes = segments.reduce((sum, s) => sum + s.bytes, 0);
  const totalDuration = segments.reduce((sum, s) => sum + s.duration, 0);
  const peak = Math.max(0, ...windows.filter((w) => w.duration > 0).map((w) => (w.bytes * 8) / w.duration));
  const average = totalDuration > 0 ? (totalBytes * 8) / totalDuration : 0;
  return { peak: Math.ceil(peak), average: Math.ceil(average), totalDuration };
}

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
export async function firstVideoPts(segmentFile: string): Promise<number> {
  const { ffprobe } = await ensureFfmpeg();
  const { stdout } = await run(ffprobe, [
    "-v",
    "error",
    "-select_streams",
    "v:0",
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

export async function readCompleteManifest(dir: string): Promise<CompleteManifest | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(dir, COMPLETE_FILE), "utf8")) as Partial<CompleteManifest>;
    if (typeof parsed.durationSeconds !== "number" || !Array.isArray(parsed.renditions)) return null;
    return parsed as CompleteManifest;
  } catch {
    return null;
  }
}

export interface BuildLadderOptions {
  input: string;
  outDir: string;
  /** WebVTT text with cues timed from the start of the film. */
  subtitlesVtt?: string;
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
    "-map_metadata",
    "-1",
    "-map_chapters",
    "-1",
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
    `${spec.name}/seg_%05d.ts`,
    `${spec.name}/index.m3u8`,
  ];
}

function formatAttributeNumber(value: number): string {
  return value.toFixed(3);
}

function masterPlaylist(version: number, renditions: RenditionInfo[], hasSubtitles: boolean): string {
  const lines = ["#EXTM3U", `#EXT-X-VERSION:${version}`, "#EXT-X-INDEPENDENT-SEGMENTS"];
  if (hasSubtitles) {
    lines.push(
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Dansk",LANGUAGE="da",DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,URI="subs/da.m3u8"',
    );
  }
  for (const r of renditions) {
    const attributes = [
      `BANDWIDTH=${r.bandwidth}`,
      `AVERAGE-BANDWIDTH=${r.averageBandwidth}`,
      `RESOLUTION=${r.width}x${r.height}`,
      `FRAME-RATE=${formatAttributeNumber(r.frameRate)}`,
      `CODECS="${r.codecs}"`,
    ];
    if (hasSubtitles) attributes.push('SUBTITLES="subs"');
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(",")}`, `${r.name}/index.m3u8`);
  }
  return `${lines.join("\n")}\n`;
}

function subtitlePlaylist(totalSeconds: number): string {
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(totalSeconds))}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    `#EXTINF:${totalSeconds.toFixed(3)},`,
    "da.vtt",
    "#EXT-X-ENDLIST",
    "",
  ].join("\n");
}

async function writeSubtitleFiles(dir: string, vtt: string, firstPts: number, totalSeconds: number) {
  await fs.mkdir(path.join(dir, "subs"));
  await fs.writeFile(path.join(dir, "subs", "da.vtt"), withTimestampMap(vtt, firstPts), "utf8");
  await fs.writeFile(path.join(dir, "subs", "da.m3u8"), subtitlePlaylist(totalSeconds), "utf8");
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

async function publish(partialDir: string, outDir: string) {
  try {
    await fs.rename(partialDir, outDir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
  }
  // Another build of the same version may have finished first; its result is as good as ours.
  if (await readCompleteManifest(outDir)) return;
  // Only builds publish, and they publish whole folders, so anything else here is debris.
  await fs.rm(outDir, { recursive: true, force: true });
  await fs.rename(partialDir, outDir);
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
    await fs.writeFile(path.join(work, "master.m3u8"), masterPlaylist(playlistVersion, results, hasSubtitles), "utf8");

    const durationSeconds = Math.max(1, Math.round(info.durationSeconds));
    const manifest: CompleteManifest = {
      durationSeconds,
      renditions: results,
      subtitles: hasSubtitles,
      firstVideoPts: pts,
      createdAt: new Date().toISOString(),
      pipelineVersion: PIPELINE_VERSION,
    };
    // Written last: its presence is what marks the folder as whole.
    await fs.writeFile(path.join(work, COMPLETE_FILE), `${JSON.stringify(manifest, null, 2)}\n`, "utf8");
    await publish(work, target);
    onProgress?.(1);
    return { durationSeconds };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

// A hard link costs no space; a copy is the fallback where the file system refuses links.
async function linkOrCopy(from: string, to: string) {
  try {
    await fs.link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP") throw error;
    await fs.copyFile(from, to);
  }
}

export interface SubtitleVersionOptions {
  /** A complete ladder; it is only read, never changed. */
  sourceDir: string;
  outDir: string;
  /** WebVTT text with cues timed from the start of the film. */
  subtitlesVtt: string;
}

/**
 * A new version of a complete ladder with other subtitles, without encoding anything: the
 * renditions and poster are shared with the source by hard links, and the folder is
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
    let playlistVersion = 3;
    let totalSeconds = 0;
    for (const rendition of manifest.renditions) {
      await fs.mkdir(path.join(work, rendition.name));
      for (const name of await fs.readdir(path.join(source, rendition.name))) {
        await linkOrCopy(path.join(source, rendition.name, name), path.join(work, rendition.name, name));
      }
      const playlist = parseMediaPlaylist(await fs.readFile(path.join(work, rendition.name, "index.m3u8"), "utf8"));
      playlistVersion = Math.max(playlistVersion, playlist.version);
      totalSeconds = Math.max(
        totalSeconds,
        playlist.segments.reduce((sum, segment) => sum + segment.duration, 0),
      );
    }
    await linkOrCopy(path.join(source, "poster.jpg"), path.join(work, "poster.jpg"));
    await writeSubtitleFiles(work, subtitlesVtt, manifest.firstVideoPts, totalSeconds);
    await fs.writeFile(
      path.join(work, "master.m3u8"),
      masterPlaylist(playlistVersion, manifest.renditions, true),
      "utf8",
    );
    const complete: CompleteManifest = { ...manifest, subtitles: true, createdAt: new Date().toISOString() };
    // Written last, as in buildLadder: its presence marks the folder as whole.
    await fs.writeFile(path.join(work, COMPLETE_FILE), `${JSON.stringify(complete, null, 2)}\n`, "utf8");
    await publish(work, target);
    return { durationSeconds: manifest.durationSeconds };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
