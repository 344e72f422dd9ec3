import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { integrityProblems, snapshotDatabase } from "~/backup/snapshot.server";
import { projectRoot, tmpDir } from "../setup/paths";
import { fixed, printTable, whole } from "./report";

/**
 * The two ways to copy a live SQLite database, on one copy of the bench database grown to
 * `sizeMiB`: VACUUM INTO (what the backups use) and SQLite's backup API (better-sqlite3's
 * backup()), each with the database idle and while another process writes to it without pause.
 */
export async function benchBackup({
  databaseFile,
  sizeMiB,
  limitSeconds,
}: {
  databaseFile: string;
  sizeMiB: number;
  limitSeconds: number;
}) {
  const live = path.join(tmpDir, "bench-backup.sqlite");
  const copy = path.join(tmpDir, "bench-backup-copy.sqlite");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${live}${suffix}`, { force: true });
  const source = new Database(databaseFile);
  source.pragma("wal_checkpoint(TRUNCATE)");
  await source.backup(live);
  source.close();

  const connection = new Database(live);
  connection.pragma("journal_mode = WAL");
  connection.exec("create table if not exists bench_backup_filler (id integer primary key, payload blob)");
  const fill = connection.prepare("insert into bench_backup_filler (payload) values (randomblob(4000))");
  const rows = Math.max(0, Math.round((sizeMiB * 2 ** 20 - fs.statSync(live).size) / 4096));
  connection.transaction(() => {
    for (let row = 0; row < rows; row++) fill.run();
  })();
  connection.pragma("wal_checkpoint(TRUNCATE)");
  connection.close();
  const mib = fs.statSync(live).size / 2 ** 20;

  /** Rows the writer committed so far, read from the database itself. */
  const counter = new Database(live, { readonly: true });
  const committed = () =>
    counter.prepare("select count(*) from platform_settings where key like 'drill:%'").pluck().get() as number;

  /** The restore drill's writer: a process of its own committing one row at a time without pause. */
  function startWriter() {
    const child = spawn(path.join(projectRoot, "node_modules/.bin/tsx"), ["tests/integration/backup-drill-writer.ts"], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_PATH: live },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const before = committed();
    return {
      started: async () => {
        while (committed() < before + 100) await new Promise((resolve) => setTimeout(resolve, 10));
      },
      stop: async () => {
        child.kill("SIGTERM");
        await exited;
      },
    };
  }

  const vacuumInto = () => {
    const started = performance.now();
    snapshotDatabase(live, copy);
    return { ms: performance.now() - started, finished: true, restarts: 0 };
  };
  const backupApi = async () => {
    fs.rmSync(copy, { force: true });
    const started = performance.now();
    let restarts = 0;
    let remaining = Number.POSITIVE_INFINITY;
    const reader = new Database(live, { readonly: true });
    try {
      await reader.backup(copy, {
        progress: ({ remainingPages }) => {
          if (remainingPages > remaining) restarts++;
          remaining = remainingPages;
          // Thrown, the copy is abandoned: the only way to stop a backup that keeps starting over.
          if (performance.now() - started > limitSeconds * 1000) throw new Error("gave up");
          return 100;
        },
      });
      return { ms: performance.now() - started, finished: true, restarts };
    } catch {
      return { ms: performance.now() - started, finished: false, restarts };
    } finally {
      reader.close();
    }
  };
  type Run = { ms: number; finished: boolean; restarts: number };
  const runs: { label: string; result: Run; writes: number | null }[] = [];
  const idleVacuum = vacuumInto();
  const integrityStarted = performance.now();
  const problems = await integrityProblems(copy);
  const integrityMs = performance.now() - integrityStarted;
  for (const [method, run] of [
    ["VACUUM INTO", async () => vacuumInto()],
    ["backup() API", backupApi],
  ] as const) {
    runs.push({ label: `${method}, idle`, result: method === "VACUUM INTO" ? idleVacuum : await run(), writes: null });
    const writer = startWriter();
    await writer.started();
    const before = committed();
    const result = await run();
    runs.push({ label: `${method}, another process writing`, result, writes: committed() - before });
    await writer.stop();
  }
  const busyVacuum = runs[1]?.result.ms ?? Number.NaN;
  printTable(
    `Online backup of a ${fixed(mib, 1)} MiB database`,
    ["Method", "ms", "MiB/s", "restarts", "writes meanwhile"],
    runs.map(({ label, result, writes }) => [
      label,
      result.finished ? fixed(result.ms, 0) : `gave up at ${fixed(result.ms, 0)}`,
      result.finished ? fixed(mib / (result.ms / 1000), 0) : "–",
      whole(result.restarts),
      writes === null ? "–" : whole(writes),
    ]),
    [
      `pragma integrity_check on the copy, in a worker thread (its start included): ${fixed(integrityMs, 0)} ms (${problems.length === 0 ? "ok" : problems.join("; ")}).`,
      `VACUUM INTO while another process writes vs idle: ${fixed(busyVacuum / idleVacuum.ms)}x.`,
      `The backup API starts over whenever another connection writes; it is given up after ${limitSeconds} s.`,
    ],
  );
  counter.close();
  for (const file of [live, copy, `${live}-wal`, `${live}-shm`]) fs.rmSync(file, { force: true });
}
