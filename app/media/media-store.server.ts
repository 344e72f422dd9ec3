import { getEnv } from "~/env.server";
import { type ObjectStore, objectStoreFromEnv } from "~/storage/object-store.server";

/**
 * The bucket that holds published film versions and waiting uploads when MEDIA_STORAGE=s3, or
 * null when they stay in MEDIA_DIR and UPLOAD_DIR (the default). In the bucket a version keeps the
 * folder layout it has on disk, under media/, and counts as whole once its complete.json is there.
 */
export function mediaBucket(): ObjectStore | null {
  return getEnv().MEDIA_STORAGE === "s3" ? objectStoreFromEnv() : null;
}

/** The key of a file of a film version in the bucket; `relative` as in the version's folder. */
export function versionObjectKey(slug: string, version: string, relative: string): string {
  return `media/${slug}/${version}/${relative}`;
}

/** The key of a waiting upload in the bucket; `sourceFile` as a media job names it (folder/file). */
export function uploadObjectKey(sourceFile: string): string {
  return `uploads/${sourceFile}`;
}
