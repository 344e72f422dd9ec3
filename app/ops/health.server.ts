import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { backupSettingsFromEnv, backupStatus } from "~/backup/schedule.server";
import { db, MIGRATIONS_FOLDER } from "~/db.server";
import { getEnv } from "~/env.server";
import { STALE_AFTER_MS } from "~/media/jobs.server";
import { diskVolumes, type Volume } from "./disk-space.server";
import { lastNightlyRun, mediaQueueState, type MediaQueueState } from "./queue-state.server";

/** A job waiting this long while nothing runs means no worker is taking jobs (none started, or all stopped). */
const QUEUE_WAIT_WARN_SECONDS = 15 * 60;
/** The nightly purge runs once a day from 02:00; a day and some hours without one means the job loop stopped. */
const NIGHTLY_LATE_SECONDS = 27 * 3600;

type CheckState = "ok" | "warn" | "fail";
type Check = { state: CheckState; detail: Record<string, unknown> };

/** The newest migration in the code, read once: the folder does not change while the process runs. */
let newestMigrationMillis: number | undefined;

function databaseCheck(): Check {
  try {
    newestMigrationMillis ??= Math.max(
      ...readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => m.folderMillis),
    );
    const row = db.get<{ applied: number | null }>(sql`select max(created_at) as applied from __drizzle_migrations`);
    const applied = Number(row.applied ?? 0);
    // Behind: an upgrade's migrations have not run. Ahead: an older release was started on a newer database.
    const migrations =
      applied === newestMigrationMillis ? "current" : applied < newestMigrationMillis ? "behind" : "ahead";
    return { state: migrations === "current" ? "ok" : "fail", detail: { migrations } };
  } catch (error) {
    return { state: "fail", detail: { error: error instanceof Error ? error.message : String(error) } };
  }
}

async function diskCheck(): Promise<Check> {
  const env = getEnv();
  // Room for one more film upload and its encoded ladder beside it.
  const volumes: Volume[] = await diskVolumes(
    { database: env.DATABASE_PATH, media: env.MEDIA_DIR, uploads: env.UPLOAD_DIR },
    2 * env.MAX_UPLOAD_BYTES,
  );
  const state = volumes.some((v) => v.state === "full")
    ? "fail"
    : volumes.some((v) => v.state === "low")
      ? "warn"
      : "ok";
  return { state, detail: { volumes } };
}

function workerCheck(now: Date): Check {
  const queue: MediaQueueState = mediaQueueState(now);
  const silent = queue.heartbeatAgeSeconds !== null && queue.heartbeatAgeSeconds * 1000 > STALE_AFTER_MS;
  const unattended =
    queue.running === 0 && queue.oldestQueuedSeconds !== null && queue.oldestQueuedSeconds > QUEUE_WAIT_WARN_SECONDS;
  const nightly = lastNightlyRun(now);
  const late = nightly.finishedSecondsAgo !== null && nightly.finishedSecondsAgo > NIGHTLY_LATE_SECONDS;
  return {
    state: silent || unattended || late ? "warn" : "ok",
    detail: { mediaQueue: queue, nightlyJob: nightly },
  };
}

/**
 * Backups are a warning, never a reason to stop serving. A process that has just started has had
 * no chance to make its first one yet, so "none yet" only counts after two intervals of uptime.
 */
function backupCheck(now: Date): Check {
  const settings = backupSettingsFromEnv();
  const status = backupStatus(now, settings);
  const justStarted = status.lastBackupAt === null && process.uptime() < 2 * settings.intervalMinutes * 60;
  const late = status.overdue && !justStarted;
  return { state: late || status.failuresSinceLastBackup > 0 ? "warn" : "ok", detail: { ...status } };
}

export type PlatformHealth = {
  status: "ok" | "degraded" | "unavailable";
  checks: Record<string, CheckState | Check>;
};

/**
 * What /healthz answers. "unavailable" (503) when the platform cannot serve: the database does not
 * answer or its migrations are not the code's, or a volume is full. "degraded" (still 200, still
 * usable) when something needs an operator soon: a volume low on space, a silent media worker, a
 * nightly job that did not run, a backup that failed or is late. Details (sizes, counts, ages; never anyone's data) only for
 * `detailed`, the operator's view.
 */
export async function platformHealth(now: Date, { detailed }: { detailed: boolean }): Promise<PlatformHealth> {
  const checks: Record<string, Check> = {
    database: databaseCheck(),
    disk: await diskCheck(),
    worker: workerCheck(now),
    backup: backupCheck(now),
  };
  const states = Object.values(checks).map((check) => check.state);
  const status = states.includes("fail") ? "unavailable" : states.includes("warn") ? "degraded" : "ok";
  return {
    status,
    checks: Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, detailed ? check : check.state])),
  };
}
