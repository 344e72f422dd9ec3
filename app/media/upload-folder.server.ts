import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { inArray } from "drizzle-orm";
import { mediaJobs } from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import type { ObjectStore, StoredObject } from "~/storage/object-store.server";
import { mediaBucket, uploadObjectKey } from "./media-store.server";

// Every job has a folder of its own in the upload folder, named by its first path segment. With
// MEDIA_STORAGE=s3 that folder waits in the bucket instead (uploads/<folder>/<file>), since the
// worker may run on another machine; each machine's upload folder then holds only what it is
// working on: pieces of films still arriving on the web side, a job's files on the worker's.

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

/** The bucket would not take an upload; unlike a refused file, one the person may simply send again. */
export class UploadStoreError extends Error {}

const bucketFolder = (folder: string) => uploadObjectKey(`${folder}/`);

async function deleteObjects(bucket: ObjectStore, objects: StoredObject[]) {
  for (const object of objects) await bucket.delete(object.key);
}

/**
 * Makes a whole and checked upload in `incoming` the waiting upload `folder`: renamed into place, or
 * with MEDIA_STORAGE=s3 put into the bucket and the local copy removed. Called before the job is
 * queued, so a job never names a file not yet there. On success `incoming` is gone; on failure it
 * is left as it was, so the upload can be finished again.
 */
export async function keepUpload(incoming: string, folder: string) {
  const bucket = mediaBucket();
  if (!bucket) {
    await fs.rename(incoming, path.join(uploadRoot(), folder));
    return;
  }
  const names = (await fs.readdir(incoming)).filter((name) => UPLOAD_FILES.has(name));
  try {
    for (const name of names) await bucket.putFile(uploadObjectKey(`${folder}/${name}`), path.join(incoming, name));
  } catch (error) {
    // No job waits for what did get there: cleared now if the bucket lets us, or else by pruneUploads.
    await bucket
      .list(bucketFolder(folder))
      .then((objects) => deleteObjects(bucket, objects))
      .catch(() => undefined);
    throw new UploadStoreError(`${bucket.describe} tog ikke imod uploaden`, { cause: error });
  }
  await fs.rm(incoming, { recursive: true, force: true });
}

/**
 * Brings a job's upload from the bucket into this machine's upload folder before the job runs,
 * whichever machine received it; without a bucket it is there already.
 */
export async function fetchUpload(sourceFile: string) {
  const bucket = mediaBucket();
  const folder = uploadFolderOf(sourceFile);
  if (!bucket || !folder) return;
  await fs.mkdir(folder, { recursive: true });
  for (const object of await bucket.list(bucketFolder(path.basename(folder)))) {
    const name = path.posix.basename(object.key);
    if (UPLOAD_FILES.has(name)) await bucket.getToFile(object.key, path.join(folder, name));
  }
}

/** The upload a job has finished with, from this machine's upload folder and from the bucket. */
export async function removeUpload(sourceFile: string) {
  const folder = uploadFolderOf(sourceFile);
  if (!folder) return;
  await fs.rm(folder, { recursive: true, force: true });
  const bucket = mediaBucket();
  if (bucket) await deleteObjects(bucket, await bucket.list(bucketFolder(path.basename(folder))));
}

/** The folders of the uploads queued or running jobs will read. */
function waitingFolders(): Set<string> {
  return new Set(
    db
      .select({ sourceFile: mediaJobs.sourceFile })
      .from(mediaJobs)
      .where(inArray(mediaJobs.status, ["queued", "running"]))
      .all()
      .map((job) => job.sourceFile.split("/")[0]!),
  );
}

/**
 * Removes entries of this machine's upload folder no queued or running job will read: leftovers of
 * uploads cut off halfway or left between pieces, and of jobs whose worker died between finishing
 * and cleaning up. Recent entries are left alone, since an upload is renamed into place a moment
 * before its job is queued.
 */
export async function pruneUploadFolder(now = Date.now()) {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(uploadRoot(), { withFileTypes: true });
  } catch {
    return;
  }
  const waiting = waitingFolders();
  for (const entry of entries) {
    if (waiting.has(entry.name)) continue;
    const full = path.join(uploadRoot(), entry.name);
    const stat = await fs.stat(full).catch(() => null);
    if (stat && now - stat.mtimeMs > UPLOAD_DEBRIS_MS) await fs.rm(full, { recursive: true, force: true });
  }
}

/**
 * The upload folder as pruneUploadFolder leaves it, and with MEDIA_STORAGE=s3 the bucket's uploads/
 * too: folders no waiting job refers to, whose newest object is older than UPLOAD_DEBRIS_MS (an
 * upload whose job could not be queued, or one the bucket would not let go of after its job).
 */
export async function pruneUploads(now = Date.now()) {
  await pruneUploadFolder(now);
  const bucket = mediaBucket();
  if (!bucket) return;
  const folders = new Map<string, { newest: number; objects: StoredObject[] }>();
  for (const object of await bucket.list(uploadObjectKey(""))) {
    const name = object.key.slice(uploadObjectKey("").length).split("/")[0]!;
    const folder = folders.get(name) ?? { newest: 0, objects: [] };
    // A store that gives no time is taken to have written the object just now: kept rather than lost.
    folder.newest = Math.max(folder.newest, object.lastModified?.getTime() ?? now);
    folder.objects.push(object);
    folders.set(name, folder);
  }
  // Read after the listing, so an upload put there since and queued in between counts as waiting.
  const waiting = waitingFolders();
  for (const [name, { newest, objects }] of folders)
    if (!waiting.has(name) && now - newest > UPLOAD_DEBRIS_MS) await deleteObjects(bucket, objects);
}
