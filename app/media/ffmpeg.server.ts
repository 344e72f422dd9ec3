import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "~/env.server";

/**
 * An error whose message is meant for the person running the tool: the CLIs print it
 * without a stack trace, and the upload page can show it as it is.
 */
export class MediaError extends Error {
  override name = "MediaError";
}

export interface RunOptions {
  /**
   * Called with 0..1 while ffmpeg works. ffmpeg only reports when it is told to, so the
   * arguments must include `-progress pipe:1` (see PROGRESS_ARGS); stdout is then parsed
   * as its key=value progress blocks.
   */
  onProgress?: (fraction: number) => void;
  /** Length of the output being produced, needed to turn out_time into a fraction. */
  progressDurationSeconds?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** Arguments that make ffmpeg write machine-readable progress to stdout instead of its stats line. */
export const PROGRESS_ARGS = ["-progress", "pipe:1", "-nostats"] as const;

// ffmpeg can print a lot on stderr for a long encode; only the tail explains a failure.
const STDERR_KEEP_BYTES = 64 * 1024;
const ERROR_TAIL_LINES = 8;

export function run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });

    const stdoutChunks: Buffer[] = [];
    let stderr = "";
    let progressBuffer = "";
    let lastFraction = -1;

    const reportProgress = (microseconds: number) => {
      const duration = options.progressDurationSeconds;
      if (!options.onProgress || !duration || duration <= 0 || !Number.isFinite(microseconds)) return;
      // Held below 1 so that "done" is only ever signalled by the caller once its outputs exist.
      const fraction = Math.min(0.99, Math.max(0, microseconds / 1_000_000 / duration));
      if (fraction > lastFraction) {
        lastFraction = fraction;
        options.onProgress(fraction);
      }
    };

    child.stdout.on("data", (chunk: Buffer) => {
      if (!options.onProgress) {
        stdoutChunks.push(chunk);
        return;
      }
      progressBuffer += chunk.toString("utf8");
      const lines = progressBuffer.split("\n");
      progressBuffer = lines.pop() ?? "";
      for (const line of lines) {
        // Despite its name, out_time_ms has always been in microseconds, like out_time_us.
        const match = /^out_time_(?:us|ms)=(\d+)\s*$/.exec(line);
        if (match?.[1]) reportProgress(Number(match[1]));
      }
    });

    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (stderr.length > STDERR_KEEP_BYTES * 2) stderr = stderr.slice(-STDERR_KEEP_BYTES);
    });

    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") {
        reject(new MediaError(`Kunne ikke starte ${cmd}: programmet findes ikke (could not start ${cmd}: not found).`));
      } else {
        reject(new MediaError(`Kunne ikke starte ${cmd}: ${error.message}`));
      }
    });

    child.on("close", (code, signal) => {
      if (code === 0) {
        resolve({ stdout: Buffer.concat(stdoutChunks), stderr });
        return;
      }
      const tail = stderr
        .split(/\r?\n/)
        .map((line) => line.trimEnd())
        .filter(Boolean)
        .slice(-ERROR_TAIL_LINES)
        .join("\n");
      const how = signal ? `blev stoppet (${signal})` : `sluttede med kode ${code}`;
      reject(new MediaError(`${path.basename(cmd)} ${how}${tail ? `:\n${tail}` : ""}`));
    });
  });
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
}

function configuredOrFound(configured: string | undefined, name: string): string | null {
  if (configured) return isExecutableFile(configured) ? path.resolve(configured) : null;
  return findOnPath(name);
}

/** The tools as configured or found on PATH, or null for each that is missing. */
export function locateFfmpeg(): { ffmpeg: string | null; ffprobe: string | null } {
  const env = getEnv();
  return {
    ffmpeg: configuredOrFound(env.FFMPEG_PATH, "ffmpeg"),
    ffprobe: configuredOrFound(env.FFPROBE_PATH, "ffprobe"),
  };
}

let cachedTools: FfmpegTools | undefined;

function missingToolsError(found: ReturnType<typeof locateFfmpeg>): MediaError {
  const missing = [found.ffmpeg ? null : "ffmpeg", found.ffprobe ? null : "ffprobe"].filter(
    (name): name is string => !!name,
  );
  const env = getEnv();
  const configured = [
    env.FFMPEG_PATH ? `FFMPEG_PATH=${env.FFMPEG_PATH}` : null,
    env.FFPROBE_PATH ? `FFPROBE_PATH=${env.FFPROBE_PATH}` : null,
  ].filter(Boolean);
  return new MediaError(
    [
      `${missing.join(" og ")} blev ikke fundet${configured.length ? ` (${configured.join(", ")})` : ""}.`,
      "Installér ffmpeg med `sudo apt-get install ffmpeg` (det gør `npm start` selv, når den kører som root), eller peg på programmerne med FFMPEG_PATH og FFPROBE_PATH.",
      `${missing.join(" and ")} not found. Install ffmpeg with \`sudo apt-get install ffmpeg\` (\`npm start\` does so itself when run as root), or set FFMPEG_PATH and FFPROBE_PATH.`,
    ].join("\n"),
  );
}

/**
 * Why the media pipeline cannot run here, or null when ffmpeg and ffprobe are both found.
 * Nothing is installed at run time: `prepare` (what `npm start` runs first) installs ffmpeg when
 * it runs as root, so the server and the worker only say what is missing and what to run.
 */
export function missingFfmpegError(): MediaError | null {
  const found = locateFfmpeg();
  return found.ffmpeg && found.ffprobe ? null : missingToolsError(found);
}

/** Finds ffmpeg and ffprobe, or fails with a MediaError that says what to install. */
export async function ensureFfmpeg(): Promise<FfmpegTools> {
  if (cachedTools) return cachedTools;
  const found = locateFfmpeg();
  if (!found.ffmpeg || !found.ffprobe) throw missingToolsError(found);
  cachedTools = { ffmpeg: found.ffmpeg, ffprobe: found.ffprobe };
  return cachedTools;
}

async function ffprobeJson(file: string, args: readonly string[]): Promise<unknown> {
  const { ffprobe } = await ensureFfmpeg();
  const { stdout } = await run(ffprobe, ["-v", "error", ...args, "-of", "json", "--", file]);
  return JSON.parse(stdout.toString("utf8")) as unknown;
}

function parseRational(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const [num, den = "1"] = value.split("/");
  const n = Number(num);
  const d = Number(den);
  if (!Number.isFinite(n) || !Number.isFinite(d) || d === 0 || n <= 0) return null;
  return n / d;
}

function parsePositive(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

export interface VideoInfo {
  durationSeconds: number;
  /** Size as displayed: sample aspect ratio and rotation already applied. */
  displayWidth: number;
  displayHeight: number;
  frameRate: number | null;
  hasAudio: boolean;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number | string }[];
}

// Formats ffprobe accepts that are not films: a single picture or text rendered as video.
const NON_FILM_CODECS = new Set(["ansi", "bintext", "xbin", "idf", "tty"]);

/**
 * Everything the pipeline needs to know about an input, or null when the file holds no
 * playable video: decided from the content, so a text file named .mp4 is refused.
 */
export async function probeVideo(file: string): Promise<VideoInfo | null> {
  await ensureFfmpeg();
  let data: { streams?: ProbeStream[]; format?: { duration?: string } };
  try {
    data = (await ffprobeJson(file, [
      "-show_entries",
      "stream=codec_type,codec_name,width,height,sample_aspect_ratio,avg_frame_rate,r_frame_rate,duration:stream_disposition=attached_pic:stream_tags=rotate:stream_side_data=rotation:format=duration",
    ])) as typeof data;
  } catch {
    // ffprobe exits non-zero on anything it cannot demux, which is exactly "not a video".
    return null;
  }
  const streams = data.streams ?? [];
  const video = streams.find(
    (s) =>
      s.codec_type === "video" &&
      !s.disposition?.attached_pic &&
      !NON_FILM_CODECS.has(s.codec_name ?? "") &&
      (s.width ?? 0) > 0 &&
      (s.height ?? 0) > 0,
  );
  // A still picture has a video stream too, but no duration.
  const durationSeconds = parsePositive(data.format?.duration) ?? parsePositive(video?.duration);
  if (!video || !durationSeconds) return null;

  const sar = parseRational(video.sample_aspect_ratio) ?? 1;
  let displayWidth = (video.width ?? 0) * sar;
  let displayHeight = video.height ?? 0;
  const rotation = Number(
    video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? video.tags?.rotate ?? 0,
  );
  if (Math.abs(rotation) % 180 === 90) [displayWidth, displayHeight] = [displayHeight, displayWidth];

  return {
    durationSeconds,
    displayWidth,
    displayHeight,
    frameRate: parseRational(video.avg_frame_rate) ?? parseRational(video.r_frame_rate),
    hasAudio: streams.some((s) => s.codec_type === "audio"),
  };
}

export async function probeHasVideo(file: string): Promise<boolean> {
  return (await probeVideo(file)) !== null;
}

/** The length of a file's first audio stream (an audio file or a film's soundtrack), or null when it has none. */
export async function probeAudio(file: string): Promise<{ durationSeconds: number } | null> {
  await ensureFfmpeg();
  let data: { streams?: ProbeStream[]; format?: { duration?: string } };
  try {
    data = (await ffprobeJson(file, [
      "-select_streams",
      "a:0",
      "-show_entries",
      "stream=codec_type,duration:format=duration",
    ])) as typeof data;
  } catch {
    return null;
  }
  const audio = (data.streams ?? []).find((s) => s.codec_type === "audio");
  const durationSeconds = parsePositive(audio?.duration) ?? parsePositive(data.format?.duration);
  return audio && durationSeconds ? { durationSeconds } : null;
}
