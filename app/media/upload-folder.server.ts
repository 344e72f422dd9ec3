import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { inArray } from "drizzle-orm";
import { mediaJobs } from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";

// Every job has a folder of its own in the upload folder, named by its first path segment.

// Uploads that no waiting job refers to are debris of a refused or interrupted upload once this old;
// a film sent in pieces freshens its folder's time with every piece.
const UPLOAD_DEBRIS_MS = 60 * 60 * 1000;

/** The film and the optional subtitles of a film job, the subtitles of a subtitle job, or the described soundtrack. */
export const UPLOAD_FILM = "film";
export const UPLOAD_SUBTITLES = "da.vtt";
export const UPLOAD_DESCRIBED = "described";
const UPLOAD_FILES = new Set([UPLOAD_FILM, UPLOAD_SUBTITLES, UPLOAD_DESCRIBED]);
const FOLDER_PATTERN = /^[a-f0-9]{32}$/;

export function uploadRoot(): string {
  return path.resolve(getEnv().UPLOAD_DIR);
}

export function uploadFolderOf(sourceFile: string): string | null {
  const [folder, file, ...rest] = sourceFile.split("/");
  if (!folder || !FOLDER_PATTERN.test(folder) || !UPLOAD_FILES.has(file ?? "") || rest.length > 0) return null;
  return path.join(uploadRoot(), folder);
}

export function uploadPath(sourceFile: string): string {
  const folder = uploadFolderOf(sourceFile);
  if (!folder) throw new Error(`Ugyldig uploadsti i køen: ${JSON.stringify(sourceFile)}`);
  return path.join(folder, path.basename(sourceFile));
}

export async function removeUpload(sourceFile: string) {
  const folder = uploadFolderOf(sourceFile);
  if (folder) await fs.rm(folder, { recursive: true, force: true });
}

/**
 * Removes uploads no queued or running job will read: leftovers of uploads cut off halfway or
 * left between pieces, and of jobs whose worker died between finishing and cleaning up. Recent entries are left
 * alone, since an upload is renamed into place a moment before its job is queued.
 */
export async function pruneUploads(now = Date.now()) {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(uploadRoot(), { withFileTypes: true });
  } catch {
    return;
  }
  const waiting = new Set(
    db
      .select({ sourceFile: mediaJobs.sourceFile })
      .from(mediaJobs)
      .where(inArray(mediaJobs.status, ["queued", "running"]))
      .all()
      .map((job) => job.sourceFile.split("/")[0]),
  );
  for (const entry of entries) {
    if (waiting.has(entry.name)) continue;
    const full = path.join(uploadRoot(), entry.name);
    const stat = await fs.stat(full).catch(() => null);
    if (stat && now - stat.mtimeMs > UPLOAD_DEBRIS_MS) await fs.rm(full, { recursive: true, force: true });
  }
}
