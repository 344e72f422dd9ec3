import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { tmpDir } from "../setup/paths";
import { printMachine } from "./report";

/**
 * `npm run bench [-- --browser] [-- --reports=5000]`: prints figures, never fails on them.
 * The in-process parts run against a database and media folder of their own in tests/.tmp,
 * so they never touch the demo database or the test suites' files; the media tiers and the load
 * bench start their servers (nginx, the built platform) on free loopback ports.
 */
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const numberOption = (name: string, fallback: number) => {
  const raw = args.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const PARTS = [
  "progress",
  "media",
  "signing",
  "load",
  "billing",
  "learning",
  "training",
  "measurement",
  "retention",
  "backup",
  "writes",
] as const;
const only = args
  .find((arg) => arg.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const runs = (part: (typeof PARTS)[number]) => !only || only.includes(part);

if (flag("help")) {
  console.log(
    [
      "npm run bench -- [options]",
      `  --only=PART,...        run only these parts (${PARTS.join(", ")}); all by default`,
      "  --reports=N            progress reports in the progress bench (5000)",
      "  --connections=N        connections per media tier (16)",
      "  --tier-seconds=N       measured seconds per media tier and round, after 1 s of warm-up (4)",
      "  --rounds=N             rounds over all media tiers, the best round counts (5)",
      "  --viewers=N            simulated viewers in the load bench (500)",
      "  --seconds=N            length of the load bench in seconds (60)",
      "  --backup-mib=N         size of the database the backup bench copies (100)",
      "  --browser              also time the first frame in Chromium; --modules=N (8), --rebuild",
    ].join("\n"),
  );
  process.exit(0);
}
const viewers = numberOption("viewers", 500);

const databaseFile = path.join(tmpDir, "bench.sqlite");
const mediaDir = path.join(tmpDir, "bench-media");
fs.mkdirSync(tmpDir, { recursive: true });

// getEnv() caches on first use, so everything it reads is settled before any app module loads.
process.env.DATABASE_PATH = databaseFile;
process.env.MEDIA_DIR = mediaDir;
process.env.NODE_ENV = "production";
const sessionSecret = "bench-secret-that-is-long-enough-for-hmac-use";
process.env.SESSION_SECRET = sessionSecret;
delete process.env.PUBLIC_URL;
delete process.env.SMTP_URL;

const started = performance.now();
const { createBenchDatabase } = await import("./database");
// Every simulated viewer of the load bench is one of these learners, each with a seat.
const { sqliteVersion } = await createBenchDatabase(databaseFile, Math.max(500, viewers));
printMachine([
  ["SQLite", `${sqliteVersion} (better-sqlite3)`],
  ["Started", new Date().toISOString()],
]);

if (runs("progress")) {
  const { benchProgress } = await import("./progress");
  await benchProgress({
    reports: numberOption("reports", 5000),
    warmup: 500,
    concurrentViewings: 250,
    actionReports: 2000,
    actionUsers: 40,
    databaseFile,
  });
}

if (runs("media")) {
  const { benchMediaTiers } = await import("./media-tiers");
  await benchMediaTiers({
    connections: numberOption("connections", 16),
    seconds: numberOption("tier-seconds", 4),
    warmupSeconds: 1,
    rounds: numberOption("rounds", 5),
    accessChecks: 20000,
    mediaDir,
  });
}

if (runs("signing")) {
  const { benchEdgeSigning } = await import("./edge-signing");
  benchEdgeSigning({ playlists: 200 });
}

// Before the parts that write thousands of rows: the viewers' sessions and seats are as seeded.
if (runs("load")) {
  const { benchLoad } = await import("./load");
  await benchLoad({
    viewers,
    seconds: numberOption("seconds", 60),
    databaseFile,
    mediaDir,
    sessionSecret,
  });
}

if (runs("billing")) {
  const { benchBilling } = await import("./billing");
  await benchBilling({ orders: 200, renders: 50, importRows: 10_000 });
}

if (runs("learning")) {
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
}

if (runs("training")) {
  const { benchTraining } = await import("./training");
  await benchTraining({ people: 10_000, units: 40, assignments: 5, runs: 30 });
}

if (runs("measurement")) {
  const { benchMeasurement } = await import("./measurement");
  await benchMeasurement({ staff: 7_000, leaders: 3_200, municipalities: 6, runs: 30 });
}

if (runs("retention")) {
  const { benchRetention } = await import("./retention");
  await benchRetention({ viewers: 10_000, durationSeconds: 600, runs: 20 });
}

if (runs("backup")) {
  const { benchBackup } = await import("./backup");
  await benchBackup({ databaseFile, sizeMiB: numberOption("backup-mib", 100), limitSeconds: 15 });
}

if (runs("writes")) {
  const { benchWriteCapacity } = await import("./write-capacity");
  await benchWriteCapacity({
    seconds: 8,
    processCounts: [1, 2, 4],
    nationalViewers: 5_000,
    mix: { quiz: 0.05, seat: 0.02 },
  });
}

// Closing checkpoints the WAL, so the bench.sqlite left in tests/.tmp can be inspected on its own.
const { sqlite } = await import("~/db.server");
sqlite().close();
fs.rmSync(mediaDir, { recursive: true, force: true });

if (flag("browser")) {
  const { benchBrowser } = await import("./browser");
  await benchBrowser({ modules: numberOption("modules", 8), rebuild: flag("rebuild") });
}

console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
