import fs from "node:fs";
import path from "node:path";
import { inject } from "vitest";

// Runs before each test file imports any app module: every file starts from a fresh copy of
// the run's seeded template, named for its worker so parallel workers never share a file.
const runDir = inject("runDir");
const workerId = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? "0";
const file = path.join(runDir, `worker-${workerId}.sqlite`);

const globalForDb = globalThis as unknown as { rettidigDb?: { sqlite: { close(): void } } };
globalForDb.rettidigDb?.sqlite.close();
delete globalForDb.rettidigDb;
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
fs.copyFileSync(path.join(runDir, "template.sqlite"), file);

process.env.DATABASE_PATH = file;
process.env.NODE_ENV = "test";
process.env.SESSION_SECRET ??= "test-secret-that-is-long-enough-for-hmac-use";
process.env.MEDIA_DIR ??= path.join(runDir, "media");
delete process.env.SMTP_URL;
