import fs from "node:fs";
import Database from "better-sqlite3";

/**
 * A consistent copy of a live database in one file, while other connections and processes keep
 * writing: `VACUUM INTO` reads inside one read transaction, which WAL mode lets run beside the
 * writers, and writes a compacted file with no -wal of its own. SQLite's backup API was measured
 * against it and not chosen: it starts over whenever another connection writes, so under steady
 * writes from a second process it never finished (see the README's decision on backups).
 */
export function snapshotDatabase(databaseFile: string, copyFile: string): void {
  fs.rmSync(copyFile, { force: true });
  const source = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    source.prepare("vacuum into ?").run(copyFile);
  } finally {
    source.close();
  }
}

/** What `pragma integrity_check` finds wrong with a database file; empty when it is sound. */
export function integrityProblems(file: string): string[] {
  let connection: Database.Database | undefined;
  try {
    connection = new Database(file, { readonly: true, fileMustExist: true });
    const rows = connection.pragma("integrity_check", { simple: false }) as { integrity_check: string }[];
    const problems = rows.map((row) => row.integrity_check).filter((line) => line !== "ok");
    return rows.length === 0 ? ["integritetstjekket gav intet svar"] : problems;
  } catch (error) {
    // Not a database at all (a cut-off download, another file): the same answer, said plainly.
    return [error instanceof Error ? error.message : String(error)];
  } finally {
    connection?.close();
  }
}
