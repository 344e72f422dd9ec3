import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { MIGRATIONS_FOLDER } from "~/db.server";
import { integrityProblems } from "./snapshot.server";
import { BACKUP_PREFIX, type BackupTarget } from "./targets.server";

/** A restore that was not carried out, said so that the operator knows what to do instead. */
export class RestoreRefusal extends Error {}

export type Restored = {
  /** The backup's name in the target, or the file it came from. */
  source: string;
  database: string;
  sizeBytes: number;
  /** Migrations the copy lacks; `npm start` (or `npm run db:migrate`) applies them. */
  pendingMigrations: number;
  /** The copy has migrations this version of the platform does not know: it came from a newer one. */
  newerThanCode: boolean;
};

/** `latest`, a file on this machine, or a backup's name (or key under backups/) in the target. */
async function fetchBackup(source: string, target: BackupTarget, toFile: string): Promise<string> {
  if (source !== "latest" && fs.existsSync(source) && fs.statSync(source).isFile()) {
    await fs.promises.copyFile(source, toFile);
    return path.resolve(source);
  }
  const stored = await target.list();
  const key = source.startsWith(BACKUP_PREFIX) ? source.slice(BACKUP_PREFIX.length) : source;
  const name = source === "latest" ? stored.at(-1)?.name : path.posix.basename(key);
  if (source === "latest" && !name) throw new RestoreRefusal(`Der er ingen sikkerhedskopier i ${target.describe}.`);
  if (!name || !stored.some((backup) => backup.name === name)) {
    throw new RestoreRefusal(
      `${source} er hverken en fil her eller en sikkerhedskopi i ${target.describe}. Angiv en fil, et navn som rettidig-2027-01-31T13.00.00.000Z.sqlite eller latest.`,
    );
  }
  await target.fetch(name, toFile);
  return name;
}

/** How the copy's applied migrations (drizzle's own table) compare with the ones this code carries. */
function migrationState(file: string): { pendingMigrations: number; newerThanCode: boolean } {
  const known = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  const connection = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasTable = connection
      .prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
      .get();
    const applied = hasTable
      ? (connection.prepare("select max(created_at) from __drizzle_migrations").pluck().get() as number | null)
      : null;
    // drizzle applies every migration newer than the newest one recorded, as this does.
    const pendingMigrations = known.filter((migration) => applied === null || migration.folderMillis > applied).length;
    const newest = Math.max(...known.map((migration) => migration.folderMillis));
    return { pendingMigrations, newerThanCode: applied !== null && applied > newest };
  } finally {
    connection.close();
  }
}

/**
 * Puts a backup in place as the database file: fetched beside it, integrity-checked, then moved
 * over in one rename, so the file is at every moment either the old database or the whole copy.
 * The old -wal and -shm go first: left beside the new file, SQLite would replay them into it.
 * An existing database is replaced only when `force` says so, and the platform must be stopped.
 */
export async function restoreDatabase({
  source,
  target,
  database,
  force,
}: {
  source: string;
  target: BackupTarget;
  database: string;
  force: boolean;
}): Promise<Restored> {
  const destination = path.resolve(database);
  if (fs.existsSync(destination) && !force) {
    throw new RestoreRefusal(
      `Der findes allerede en database i ${destination}. Stop platformen og kør kommandoen igen med --force for at erstatte den, eller gendan et andet sted med --to <fil>.`,
    );
  }
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  const temporary = path.join(path.dirname(destination), `.${path.basename(destination)}.restoring-${process.pid}`);
  try {
    const fetched = await fetchBackup(source, target, temporary);
    const problems = integrityProblems(temporary);
    if (problems.length > 0) {
      throw new RestoreRefusal(
        `${fetched} bestod ikke integritetstjekket (${problems.slice(0, 3).join("; ")}). Databasen er ikke rørt; prøv en ældre sikkerhedskopi.`,
      );
    }
    const sizeBytes = fs.statSync(temporary).size;
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${destination}${suffix}`, { force: true });
    fs.renameSync(temporary, destination);
    return { source: fetched, database: destination, sizeBytes, ...migrationState(destination) };
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
