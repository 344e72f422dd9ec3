import fs from "node:fs";
import path from "node:path";
import { type Env, getEnv } from "~/env.server";
import { type ObjectStore, createObjectStore } from "~/storage/object-store.server";

/** A moment in a file name: fixed width, so names sort by time (UTC, no colons, which some file systems refuse). */
export const fileTime = (moment: Date) => moment.toISOString().replace(/:/g, ".");

/**
 * A backup's file name says it is Rettidig's and when it was taken, in a fixed width that sorts
 * by time, so every file system and object store takes it as it is.
 */
export function backupName(takenAt: Date): string {
  return `rettidig-${fileTime(takenAt)}.sqlite`;
}

const BACKUP_NAME = /^rettidig-\d{4}-\d{2}-\d{2}T\d{2}\.\d{2}\.\d{2}\.\d{3}Z\.sqlite$/;
export const isBackupName = (name: string) => BACKUP_NAME.test(name);

/** Where the backups live in the object store; nothing else there is ever listed or deleted. */
export const BACKUP_PREFIX = "backups/";

export type StoredBackup = { name: string; sizeBytes: number };

/** Where backups are kept: a local folder or the object store, behind the same few operations. */
export type BackupTarget = {
  /** The folder's path or s3://bucket/backups/, for the log and the status. */
  describe: string;
  /** A folder on this machine where the copy is made before it is stored. */
  stagingDir: string;
  /** Stores a finished copy under `name`; the staged file is gone afterwards. */
  store(stagedFile: string, name: string): Promise<void>;
  /** Rettidig's backups only, oldest first. */
  list(): Promise<StoredBackup[]>;
  fetch(name: string, toFile: string): Promise<void>;
  remove(name: string): Promise<void>;
};

export function folderTarget(folder: string): BackupTarget {
  const dir = path.resolve(folder);
  return {
    describe: dir,
    stagingDir: dir,
    // Same folder, so the rename is atomic: a backup is either whole under its name or not there.
    store: async (stagedFile, name) => fs.promises.rename(stagedFile, path.join(dir, name)),
    async list() {
      const names = fs.existsSync(dir) ? (await fs.promises.readdir(dir)).filter(isBackupName).sort() : [];
      return Promise.all(
        names.map(async (name) => ({ name, sizeBytes: (await fs.promises.stat(path.join(dir, name))).size })),
      );
    },
    fetch: (name, toFile) => fs.promises.copyFile(path.join(dir, name), toFile),
    remove: (name) => fs.promises.rm(path.join(dir, name), { force: true }),
  };
}

export function objectStoreTarget(store: ObjectStore, stagingDir: string): BackupTarget {
  return {
    describe: `${store.describe}/${BACKUP_PREFIX}`,
    stagingDir: path.resolve(stagingDir),
    async store(stagedFile, name) {
      try {
        await store.putFile(`${BACKUP_PREFIX}${name}`, stagedFile);
      } finally {
        await fs.promises.rm(stagedFile, { force: true });
      }
    },
    async list() {
      const objects = await store.list(BACKUP_PREFIX);
      return objects
        .map((object) => ({ name: object.key.slice(BACKUP_PREFIX.length), sizeBytes: object.size }))
        .filter((backup) => isBackupName(backup.name))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    fetch: (name, toFile) => store.getToFile(`${BACKUP_PREFIX}${name}`, toFile),
    remove: (name) => store.delete(`${BACKUP_PREFIX}${name}`),
  };
}

const TARGET_SETTINGS = [
  "DATABASE_PATH",
  "BACKUP_DIR",
  "S3_ENDPOINT",
  "S3_REGION",
  "S3_BUCKET",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "S3_FORCE_PATH_STYLE",
] as const;
type TargetSettings = Pick<Env, (typeof TARGET_SETTINGS)[number]>;

/**
 * One target per settings for the life of the process: /healthz reads the backup status on every
 * call and builds nothing for it. The S3 client under an object-store target is the process's one
 * for those settings (createObjectStore), shared with the media.
 */
const targets = new Map<string, BackupTarget>();

/**
 * The object store when S3_* is set, otherwise BACKUP_DIR (by default `backups` beside the
 * database file). A copy bound for the object store is made beside the database first.
 */
export function backupTargetFrom(settings: TargetSettings): BackupTarget {
  const key = JSON.stringify(TARGET_SETTINGS.map((name) => settings[name] ?? null));
  const made = targets.get(key);
  if (made) return made;
  const databaseDir = path.dirname(path.resolve(settings.DATABASE_PATH));
  const store = createObjectStore(settings);
  const target = store
    ? objectStoreTarget(store, databaseDir)
    : folderTarget(settings.BACKUP_DIR ?? path.join(databaseDir, "backups"));
  targets.set(key, target);
  return target;
}

export const backupTargetFromEnv = () => backupTargetFrom(getEnv());
