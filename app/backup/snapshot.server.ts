import fs from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
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

/**
 * The check, in a worker thread: it reads every page of the copy, which takes about as long as
 * making it, and on the server's own thread no request would be answered meanwhile. Plain
 * CommonJS run from a string, because the Remix build bundles the server into one file and has
 * no worker file of its own to start; the driver is resolved here and handed over.
 */
const INTEGRITY_CHECK = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
let connection;
try {
  connection = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = connection.pragma("integrity_check", { simple: false });
  const problems = rows.map((row) => row.integrity_check).filter((line) => line !== "ok");
  parentPort.postMessage(rows.length === 0 ? ["integritetstjekket gav intet svar"] : problems);
} catch (error) {
  // Not a database at all (a cut-off download, another file): the same answer, said plainly.
  parentPort.postMessage([error instanceof Error ? error.message : String(error)]);
} finally {
  connection?.close();
}
`;

const driver = createRequire(import.meta.url).resolve("better-sqlite3");

/** What `pragma integrity_check` finds wrong with a database file; empty when it is sound. */
export function integrityProblems(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(INTEGRITY_CHECK, { eval: true, workerData: { file, driver } });
    worker.once("message", (problems: string[]) => resolve(problems));
    worker.once("error", reject);
    // After an answer this changes nothing; without one, the thread died before it could give it.
    worker.once("exit", (code) => reject(new Error(`Integritetstjekket stoppede uden svar (kode ${code}).`)));
  });
}
