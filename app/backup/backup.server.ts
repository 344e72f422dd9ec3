import fs from "node:fs";
import path from "node:path";
import { integrityProblems, snapshotDatabase } from "./snapshot.server";
import { type BackupTarget, backupName } from "./targets.server";

export type BackupMade = { name: string; sizeBytes: number; target: string; pruned: string[] };

/** A copy that failed its integrity check: never stored, so the backups kept stay sound ones. */
export class BackupError extends Error {}

const PARTIAL_SUFFIX = ".partial";
/** A staged copy this old belongs to a backup whose process died: nobody will finish it. */
const STALE_PARTIAL_MS = 3600 * 1000;

function removeStalePartials(dir: string, now: Date) {
  for (const entry of fs.readdirSync(dir)) {
    if (!entry.startsWith(".rettidig-") || !entry.endsWith(PARTIAL_SUFFIX)) continue;
    const file = path.join(dir, entry);
    if (now.getTime() - fs.statSync(file).mtimeMs > STALE_PARTIAL_MS) fs.rmSync(file, { force: true });
  }
}

/** Deletes all but the `keep` newest of Rettidig's backups in the target; returns the names deleted. */
export async function pruneBackups(target: BackupTarget, keep: number): Promise<string[]> {
  const stored = await target.list();
  const old = stored.slice(0, Math.max(0, stored.length - keep)).map((backup) => backup.name);
  for (const name of old) await target.remove(name);
  return old;
}

/**
 * One backup of the live database: a consistent copy made while it is in use, checked with
 * `pragma integrity_check`, stored in the target under a name that sorts by time, and then the
 * oldest beyond `keep` deleted. Throws (and stores nothing) when any step fails.
 */
export async function makeBackup({
  databaseFile,
  target,
  keep,
  now,
}: {
  databaseFile: string;
  target: BackupTarget;
  keep: number;
  now: Date;
}): Promise<BackupMade> {
  const name = backupName(now);
  fs.mkdirSync(target.stagingDir, { recursive: true });
  removeStalePartials(target.stagingDir, now);
  const staged = path.join(target.stagingDir, `.${name}${PARTIAL_SUFFIX}`);
  try {
    snapshotDatabase(databaseFile, staged);
    const problems = await integrityProblems(staged);
    if (problems.length > 0) throw new BackupError(`Kopien bestod ikke integritetstjekket: ${problems.join("; ")}`);
    const sizeBytes = fs.statSync(staged).size;
    await target.store(staged, name);
    return { name, sizeBytes, target: target.describe, pruned: await pruneBackups(target, keep) };
  } finally {
    fs.rmSync(staged, { force: true });
  }
}
