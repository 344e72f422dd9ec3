import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { seedDatabase } from "~/cli/seed/seed-database";
import { migrateDatabase, openDatabase } from "~/db.server";
import { startS3Server } from "../fakes/s3-server";
import { tmpDir } from "./paths";
import { ensureMediaTestPackages } from "./system-deps";

declare module "vitest" {
  export interface ProvidedContext {
    runDir: string;
    /** The run's S3-compatible server (s3rver); each test file that keeps media there makes a bucket of its own. */
    s3Endpoint: string;
  }
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Each run works in a folder of its own, so two runs in one checkout (or a run beside the
// Playwright server's database) never delete each other's files.
export default async function globalSetup(project: TestProject) {
  ensureMediaTestPackages();
  fs.mkdirSync(tmpDir, { recursive: true });
  for (const entry of fs.readdirSync(tmpDir)) {
    const pid = /^vitest-(\d+)$/.exec(entry)?.[1];
    if (pid && !isRunning(Number(pid))) fs.rmSync(path.join(tmpDir, entry), { recursive: true, force: true });
  }
  const runDir = path.join(tmpDir, `vitest-${process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });

  const { db, sqlite } = openDatabase(path.join(runDir, "template.sqlite"));
  migrateDatabase(db);
  await seedDatabase(db);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
  project.provide("runDir", runDir);
  const s3 = await startS3Server(path.join(runDir, "s3"));
  project.provide("s3Endpoint", s3.env.S3_ENDPOINT);

  return async () => {
    await s3.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
