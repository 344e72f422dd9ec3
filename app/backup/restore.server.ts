import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { MIGRATIONS_FOLDER } from "~/db.server";
import { integrityProblems } from "./snapshot.server";
import { BACKUP_PREFIX, type BackupTarget, fileTime } from "./targets.server";

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
  /** Where the database that was replaced now lies (and its -wal, when it had one); empty when there was none. */
  keptFiles: string[];
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
 * Whether another process has the database open: the server, the media worker or `training:run`.
 * Every connection to a database in WAL mode holds a shared lock on the file for as long as it is
 * open (SQLite relies on it to find the last connection, which cleans up on close), and a
 * connection in exclusive locking mode cannot get its lock beside one. A stopped platform holds
 * none, nor does one that died; unlike a heartbeat this needs no waiting after a stop. Closing
 * the probe writes a -wal that a dead process left behind into the file, as the next start would.
 */
function openElsewhere(file: string): boolean {
  const probe = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma("locking_mode = exclusive");
    probe.prepare("select count(*) from sqlite_master").get();
    return false;
  } catch (error) {
    if (!(error instanceof Database.SqliteError)) throw error;
    if (error.code === "SQLITE_BUSY") return true;
    // Damaged past reading (often why one restores): then no platform can be using it either.
    if (error.code === "SQLITE_NOTADB" || error.code === "SQLITE_CORRUPT") return false;
    throw error;
  } finally {
    probe.close();
  }
}

function refuseWhileOpen(database: string) {
  if (!openElsewhere(database)) return;
  throw new RestoreRefusal(
    `Databasen ${database} er åben i en anden proces: kører platformen stadig (serveren, mediekøen eller training:run)? Stop den først (fx sudo systemctl stop rettidig), ellers skriver den videre i den gamle fil. Er du sikker på, at intet bruger den, kan du gendanne alligevel med --even-if-open.`,
  );
}

/**
 * Keeps the database about to be replaced beside it as `<name>.before-restore-<time>`, with its
 * -wal under the name SQLite looks for, so the pair opens as it was. A hard link, so the database
 * file itself stays in place until the copy is renamed over it. The -shm only indexes the -wal
 * and is rebuilt from it; it goes.
 */
function keepReplaced(database: string, now: Date): string[] {
  const kept = `${database}.before-restore-${fileTime(now)}`;
  fs.linkSync(database, kept);
  const keptFiles = [kept];
  if (fs.existsSync(`${database}-wal`)) {
    fs.renameSync(`${database}-wal`, `${kept}-wal`);
    keptFiles.push(`${kept}-wal`);
  }
  fs.rmSync(`${database}-shm`, { force: true });
  return keptFiles;
}

/**
 * Puts a backup in place as the database file: fetched beside it, integrity-checked, then moved
 * over in one rename, so the file is at every moment either the old database or the whole copy.
 * An existing database is replaced only when `force` says so and no other process has it open
 * (checked before the download and again before the swap, which a download may be long before),
 * unless `evenIfOpen`; it is kept beside the new one, and the old -wal with it: left beside the
 * new file, SQLite would replay it into it.
 */
export async function restoreDatabase({
  source,
  target,
  database,
  force,
  evenIfOpen,
  now,
}: {
  source: string;
  target: BackupTarget;
  database: string;
  force: boolean;
  evenIfOpen: boolean;
  now: Date;
}): Promise<Restored> {
  const destination = path.resolve(database);
  const replacing = fs.existsSync(destination);
  if (replacing && !force) {
    throw new RestoreRefusal(
      `Der findes allerede en database i ${destination}. Stop platformen og kør kommandoen igen med --force for at erstatte den (den gamle gemmes ved siden af), eller gendan et andet sted med --to <fil>.`,
    );
  }
  if (replacing && !evenIfOpen) refuseWhileOpen(destination);
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  const temporary = path.join(path.dirname(destination), `.${path.basename(destination)}.restoring-${process.pid}`);
  try {
    const fetched = await fetchBackup(source, target, temporary);
    const problems = await integrityProblems(temporary);
    if (problems.length > 0) {
      throw new RestoreRefusal(
        `${fetched} bestod ikke integritetstjekket (${problems.slice(0, 3).join("; ")}). Databasen er ikke rørt; prøv en ældre sikkerhedskopi.`,
      );
    }
    const sizeBytes = fs.statSync(temporary).size;
    if (replacing && !evenIfOpen) refuseWhileOpen(destination);
    const keptFiles = replacing ? keepReplaced(destination, now) : [];
    fs.renameSync(temporary, destination);
    return { source: fetched, database: destination, sizeBytes, keptFiles, ...migrationState(destination) };
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
