import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "~/env.server";
import { PIPELINE_VERSION, wrapWords, type Cue } from "./pipeline.server";

export function mediaRoot(): string {
  return path.resolve(getEnv().MEDIA_DIR);
}

// Slugs and versions become folder names, so they are held to a shape that cannot climb out.
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$/;
const VERSION_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function isSafeSlug(slug: string): boolean {
  return SLUG_PATTERN.test(slug);
}

export function isSafeVersion(version: string): boolean {
  return VERSION_PATTERN.test(version);
}

export function moduleMediaDir(slug: string, version: string): string {
  if (!isSafeSlug(slug)) throw new Error(`Ugyldigt modul-slug til mediefiler: ${JSON.stringify(slug)}`);
  if (!isSafeVersion(version)) throw new Error(`Ugyldig medieversion: ${JSON.stringify(version)}`);
  return path.join(mediaRoot(), slug, version);
}

const CONTENT_TYPES: Record<string, string> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  ".vtt": "text/vtt; charset=utf-8",
  ".jpg": "image/jpeg",
};

// One segment name at a time: letters, digits, '_', '-' and dots that are not leading.
const SEGMENT_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/;
const MAX_DEPTH = 2;

/**
 * The absolute path of a file a player asked for, or null for anything that is not plainly
 * one of the ladder's own files. Only what the pipeline writes is reachable, which also
 * keeps complete.json and any partial folders out of reach.
 */
export function resolveMediaFile(slug: string, version: string, relativePath: string): string | null {
  if (typeof relativePath !== "string" || !isSafeSlug(slug) || !isSafeVersion(version)) return null;
  if (relativePath.length === 0 || relativePath.length > 200) return null;
  const parts = relativePath.split("/");
  if (parts.length > MAX_DEPTH) return null;
  for (const part of parts) {
    if (!SEGMENT_PATTERN.test(part) || part.includes("..")) return null;
  }
  const extension = path.extname(relativePath).toLowerCase();
  if (!(extension in CONTENT_TYPES) || path.extname(relativePath) !== extension) return null;

  const base = moduleMediaDir(slug, version);
  const resolved = path.resolve(base, ...parts);
  if (!resolved.startsWith(base + path.sep)) return null;
  return resolved;
}

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

function shortHash(hash: ReturnType<typeof createHash>): string {
  return hash.digest("hex").slice(0, 16);
}

export interface SyntheticVersionInput {
  title: string;
  caption?: string;
  durationSeconds: number;
  cues: readonly Cue[];
}

/** Changes whenever anything visible in the synthetic film or its subtitles would change. */
export function syntheticVersion(input: SyntheticVersionInput): string {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify([
      PIPELINE_VERSION,
      "synthetic",
      input.title,
      input.caption ?? null,
      input.durationSeconds,
      input.cues.map((cue) => [cue.startSeconds, cue.endSeconds, cue.text]),
    ]),
  );
  return shortHash(hash);
}

/**
 * Content hash of an uploaded film (read as a stream, films can be large). `extra` takes
 * whatever else ends up in the ladder, such as the subtitles, so changing them gives a new folder.
 */
export async function fileVersion(file: string, extra = ""): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`${PIPELINE_VERSION}\0upload\0`);
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  hash.update(`\0${extra}`);
  return shortHash(hash);
}

/** Deterministic 24..48 s, so every demo film differs a little but stays short. */
export function syntheticDurationSeconds(slug: string): number {
  const digest = createHash("sha256").update(slug).digest();
  return 24 + (digest.readUInt32BE(0) % 25);
}

const MAX_CUE_CHARS = 80;
const MAX_LINE_CHARS = 42;
const TITLE_CUE_SECONDS = 3;

function splitSentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .split(/(?<=[.!?…])\s+(?=\S)/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/**
 * Splits text into as few pieces of at most `maxChars` as greedy wrapping allows, then
 * evens out their lengths, so a long sentence does not end in a stub of two words.
 */
function balancedWrap(text: string, maxChars: number): string[] {
  const count = wrapWords(text, maxChars).length;
  if (count <= 1) return [text.split(/\s+/).filter(Boolean).join(" ")];
  for (let width = Math.ceil(text.length / count); width < maxChars; width++) {
    const lines = wrapWords(text, width);
    if (lines.length <= count) return lines;
  }
  return wrapWords(text, maxChars);
}

function chunkSentence(sentence: string): string[] {
  // Two lines of at most ~42 characters is what a viewer reads comfortably in one cue.
  return balancedWrap(sentence, MAX_CUE_CHARS).map((piece) =>
    piece.length > MAX_LINE_CHARS ? balancedWrap(piece, MAX_LINE_CHARS).join("\n") : piece,
  );
}

function roundMs(seconds: number) {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * Danish subtitles for a demo film: the title, then the description in short pieces. The
 * cues follow each other without gaps from 0 s to the end, so a subtitle is showing at
 * every moment of the film.
 */
export function demoSubtitleCues(title: string, description: string, durationSeconds: number): Cue[] {
  if (!(durationSeconds > 0)) return [];
  const pieces = splitSentences(description).flatMap(chunkSentence);
  const titleText = balancedWrap(title.replace(/\s+/g, " ").trim() || "Rettidig", MAX_LINE_CHARS).join("\n");
  if (pieces.length === 0) return [{ startSeconds: 0, endSeconds: roundMs(durationSeconds), text: titleText }];

  const titleEnd = Math.min(TITLE_CUE_SECONDS, durationSeconds / (pieces.length + 1));
  const cues: Cue[] = [{ startSeconds: 0, endSeconds: roundMs(titleEnd), text: titleText }];
  const each = (durationSeconds - titleEnd) / pieces.length;
  pieces.forEach((text, index) => {
    const start = cues[cues.length - 1]!.endSeconds;
    const end = index === pieces.length - 1 ? durationSeconds : titleEnd + each * (index + 1);
    cues.push({ startSeconds: start, endSeconds: roundMs(end), text });
  });
  return cues;
}
