import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { inject } from "vitest";
import { projectRoot } from "./paths";

// Runs before each test file imports any app module: every file starts from a fresh copy of
// the run's seeded template, named for its worker so parallel workers never share a file.
const runDir = inject("runDir");
const workerId = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? "0";
const file = path.join(runDir, `worker-${workerId}.sqlite`);
const template = path.join(runDir, "template.sqlite");

const globalForDb = globalThis as unknown as { rettidigDb?: { sqlite: { close(): void } } };
globalForDb.rettidigDb?.sqlite.close();
delete globalForDb.rettidigDb;
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
fs.copyFileSync(template, file);

process.env.DATABASE_PATH = file;
process.env.NODE_ENV = "test";
process.env.SESSION_SECRET ??= "test-secret-that-is-long-enough-for-hmac-use";
process.env.MEDIA_DIR ??= path.join(runDir, "media");
delete process.env.SMTP_URL;

// These keep one database for all their tests: media tests build films on disk beside their rows
// once per file, and the route-by-role test ends by reading what all its checks wrote. A file
// that keeps state outside the database as well empties that itself before each test, as the
// Stripe test does with its fake Stripe.
const filesSharingOneDatabase = ["tests/media/", "tests/integration/route-roles.test.ts"];
const sharesDatabaseAcrossTests = (testFile: string) =>
  filesSharingOneDatabase.some((shared) =>
    path.relative(projectRoot, testFile).split(path.sep).join("/").startsWith(shared),
  );

let restorer: { restore(): void; close(): void } | undefined;

/**
 * Puts the template's rows back in place through a connection of its own, so the app's connection
 * (and the rate limiter holding it) stays open and simply reads the seeded rows again.
 */
function openRestorer() {
  const connection = new Database(file);
  connection.pragma("busy_timeout = 5000");
  connection.pragma("foreign_keys = OFF");
  connection.prepare("attach database ? as template").run(template);
  const tables = connection
    .prepare("select name from template.sqlite_master where type = 'table' and name not like 'sqlite_%'")
    .pluck()
    .all() as string[];
  const statements = [...tables, "sqlite_sequence"].flatMap((table) => [
    connection.prepare(`delete from main."${table}"`),
    connection.prepare(`insert into main."${table}" select * from template."${table}"`),
  ]);
  const restore = connection.transaction(() => {
    for (const statement of statements) statement.run();
  });
  return { restore: () => restore(), close: () => connection.close() };
}

// Each test starts from the seeded rows, whatever the tests before it wrote; a test that needs
// more sets it up itself (in the test or a beforeEach).
beforeEach(({ task }) => {
  if (sharesDatabaseAcrossTests(task.file.filepath)) return;
  restorer ??= openRestorer();
  restorer.restore();
});

afterAll(() => restorer?.close());
