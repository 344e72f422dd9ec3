import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { tmpDir } from "../setup/paths";
import { printMachine } from "./report";

/**
 * `npm run bench [-- --browser] [-- --reports=5000]`: prints figures, never fails on them.
 * The in-process parts run against a database and media folder of their own in tests/.tmp,
 * so they never touch the demo database or the test suites' files.
 */
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const numberOption = (name: string, fallback: number) => {
  const raw = args.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

if (flag("help")) {
  console.log("npm run bench -- [--browser] [--reports=N] [--modules=N] [--rebuild]");
  process.exit(0);
}

const databaseFile = path.join(tmpDir, "bench.sqlite");
const mediaDir = path.join(tmpDir, "bench-media");
fs.mkdirSync(tmpDir, { recursive: true });

// getEnv() caches on first use, so everything it reads is settled before any app module loads.
process.env.DATABASE_PATH = databaseFile;
process.env.MEDIA_DIR = mediaDir;
process.env.NODE_ENV = "production";
process.env.SESSION_SECRET = "bench-secret-that-is-long-enough-for-hmac-use";
delete process.env.PUBLIC_URL;
delete process.env.SMTP_URL;

const started = performance.now();
const { createBenchDatabase } = await import("./database");
const { sqliteVersion } = await createBenchDatabase(databaseFile, 500);
printMachine([
  ["SQLite", `${sqliteVersion} (better-sqlite3)`],
  ["Started", new Date().toISOString()],
]);

const { benchProgress } = await import("./progress");
await benchProgress({
  reports: numberOption("reports", 5000),
  warmup: 500,
  concurrentViewings: 250,
  actionReports: 2000,
  actionUsers: 40,
  databaseFile,
});

const { benchMedia } = await import("./media");
await benchMedia({
  playlistRequests: 3000,
  segmentRequests: 300,
  concurrentSegmentRequests: 300,
  concurrency: 4,
  rangeRequests: 2000,
  accessChecks: 20000,
});

const { benchBilling } = await import("./billing");
await benchBilling({ orders: 200, renders: 50, importRows: 10_000 });

const { benchLearning } = await import("./learning");
await benchLearning({
  attempts: 2000,
  courseLists: 500,
  peopleOverviews: 50,
  responses: 5000,
  reports: 10,
  statistics: 20,
  certificates: 50,
});

const { benchTraining } = await import("./training");
await benchTraining({ people: 10_000, units: 40, assignments: 5, runs: 30 });

const { benchMeasurement } = await import("./measurement");
await benchMeasurement({ staff: 7_000, leaders: 3_200, municipalities: 6, runs: 30 });

const { benchRetention } = await import("./retention");
await benchRetention({ viewers: 10_000, durationSeconds: 600, runs: 20 });

const { benchWriteCapacity } = await import("./write-capacity");
await benchWriteCapacity({
  seconds: 8,
  processCounts: [1, 2, 4],
  nationalViewers: 5_000,
  mix: { quiz: 0.05, seat: 0.02 },
});

// Closing checkpoints the WAL, so the bench.sqlite left in tests/.tmp can be inspected on its own.
const { sqlite } = await import("~/db.server");
sqlite().close();
fs.rmSync(mediaDir, { recursive: true, force: true });

if (flag("browser")) {
  const { benchBrowser } = await import("./browser");
  await benchBrowser({ modules: numberOption("modules", 8), rebuild: flag("rebuild") });
}

console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
