import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "~/env.server";
import { PIPELINE_VERSION } from "./hls-ladder.server";

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

export function shortHash(hash: ReturnType<typeof createHash>): string {
  return hash.digest("hex").slice(0, 16);
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
