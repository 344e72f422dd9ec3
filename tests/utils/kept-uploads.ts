import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { modules } from "#db/schema";
import { db } from "~/db.server";
import { enqueueMediaJob } from "~/media/jobs.server";
import { mediaBucket, uploadObjectKey } from "~/media/media-store.server";
import { UPLOAD_DESCRIBED, UPLOAD_FILM, UPLOAD_SUBTITLES, keepUpload, uploadRoot } from "~/media/upload-folder.server";

// Waiting uploads as the test's storage keeps them: in the upload folder, or with ownMediaBucket in
// the bucket, so one test body checks both.

const FOLDER = /^[a-f0-9]{32}$/;

/** Puts files where an accepted upload would be (`files`: the name in the upload to a file to copy), as the routes do. */
export async function placeUpload(folder: string, files: Record<string, string>) {
  const incoming = path.join(uploadRoot(), `.incoming-${folder}`);
  fs.mkdirSync(incoming, { recursive: true });
  for (const [name, source] of Object.entries(files)) fs.copyFileSync(source, path.join(incoming, name));
  await keepUpload(incoming, folder);
}

/** An accepted upload of `source` for the module and its queued job, as the upload routes leave them. */
export async function queueUploadJob(slug: string, kind: "film" | "subtitles" | "described", source: string) {
  const module = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, slug)).get();
  if (!module) throw new Error(`seed lacks ${slug}`);
  const folder = randomBytes(16).toString("hex");
  const name = { film: UPLOAD_FILM, subtitles: UPLOAD_SUBTITLES, described: UPLOAD_DESCRIBED }[kind];
  await placeUpload(folder, { [name]: source });
  const id = await enqueueMediaJob({
    moduleId: module.id,
    kind,
    sourceFile: `${folder}/${name}`,
    originalName: path.basename(source),
    requestedBy: null,
  });
  return { id, folder };
}

/** The waiting-upload folders kept, locally and in the bucket, sorted. */
export async function keptUploadFolders(): Promise<string[]> {
  const local = fs.existsSync(uploadRoot()) ? fs.readdirSync(uploadRoot()).filter((name) => FOLDER.test(name)) : [];
  const bucket = mediaBucket();
  const stored = bucket
    ? (await bucket.list(uploadObjectKey(""))).map((object) => object.key.split("/")[1]!)
    : ([] as string[]);
  return [...new Set([...local, ...stored])].sort();
}

export async function uploadKept(folder: string) {
  return (await keptUploadFolders()).includes(folder);
}

/** The bytes of a kept upload's file; `sourceFile` as a job names it. */
export async function readKeptUpload(sourceFile: string): Promise<Buffer> {
  const bucket = mediaBucket();
  if (!bucket) return fs.readFileSync(path.join(uploadRoot(), sourceFile));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "rettidig-kept-"));
  try {
    await bucket.getToFile(uploadObjectKey(sourceFile), path.join(work, "file"));
    return fs.readFileSync(path.join(work, "file"));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The names of the files a kept upload holds, sorted. */
export async function keptUploadFiles(folder: string): Promise<string[]> {
  const bucket = mediaBucket();
  if (!bucket) return fs.readdirSync(path.join(uploadRoot(), folder)).sort();
  return (await bucket.list(uploadObjectKey(`${folder}/`))).map((object) => path.posix.basename(object.key)).sort();
}
