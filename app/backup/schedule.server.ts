import path from "node:path";
import { and, desc, eq, gt, isNotNull, isNull, lt, or, sql, sum } from "drizzle-orm";
import { databaseBackups } from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { type BackupMade, makeBackup } from "./backup.server";
import { type BackupTarget, backupTargetFromEnv } from "./targets.server";

/**
 * A claim this old with neither a finish nor a failure belongs to a process that died mid-backup.
 * A backup takes seconds (100 MiB: about 1 s to copy, as long again to check) plus the upload: a
 * database of 5 GB, the most one object may hold, takes under 9 minutes at 10 MB/s. Taken over at
 * 15 minutes, a slot whose backup died at the start of the hour is made by the round 15–20
 * minutes later, still in the same hour.
 */
export const ABANDONED_AFTER_MS = 15 * 60 * 1000;

export type BackupSettings = {
  databaseFile: string;
  target: BackupTarget;
  keep: number;
  intervalMinutes: number;
};

export function backupSettingsFromEnv(): BackupSettings {
  const env = getEnv();
  return {
    databaseFile: path.resolve(env.DATABASE_PATH),
    target: backupTargetFromEnv(),
    keep: env.BACKUP_KEEP,
    intervalMinutes: env.BACKUP_INTERVAL_MINUTES,
  };
}

/** The start of the slot `now` falls in: slots are counted from the epoch, so every process agrees. */
export function backupSlot(now: Date, intervalMinutes: number): Date {
  const length = intervalMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / length) * length);
}

/**
 * Takes a slot's backup for this process: the first to insert the slot's row makes it. A slot
 * whose last attempt failed, or whose claim was left unfinished for ABANDONED_AFTER_MS (the
 * process died), is taken again by the next round; one update, so of racing processes one takes it.
 */
function claimSlot(slot: string, now: Date): boolean {
  const inserted = db.insert(databaseBackups).values({ slot, startedAt: now }).onConflictDoNothing().run();
  if (inserted.changes === 1) return true;
  const retaken = db
    .update(databaseBackups)
    .set({ startedAt: now, error: null, failedAt: null, attempts: sql`${databaseBackups.attempts} + 1` })
    .where(
      and(
        eq(databaseBackups.slot, slot),
        isNull(databaseBackups.finishedAt),
        or(
          isNotNull(databaseBackups.failedAt),
          lt(databaseBackups.startedAt, new Date(now.getTime() - ABANDONED_AFTER_MS)),
        ),
      ),
    )
    .run();
  return retaken.changes === 1;
}

export type BackupOutcome =
  { status: "alreadyClaimed" } | ({ status: "backedUp" } & BackupMade) | { status: "failed"; error: string };

/** Makes the backup of a claimed slot and writes down how it went; a failure is kept for the status and retried. */
async function backUpClaimed(slot: string, now: Date, settings: BackupSettings): Promise<BackupOutcome> {
  try {
    const made = await makeBackup({ ...settings, now });
    db.update(databaseBackups)
      .set({ finishedAt: now, name: made.name, sizeBytes: made.sizeBytes, target: made.target })
      .where(eq(databaseBackups.slot, slot))
      .run();
    return { status: "backedUp", ...made };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Sikkerhedskopien af databasen til ${settings.target.describe} fejlede:`, message);
    db.update(databaseBackups)
      .set({ error: message, failedAt: now, target: settings.target.describe })
      .where(eq(databaseBackups.slot, slot))
      .run();
    return { status: "failed", error: message };
  }
}

/**
 * The scheduled backup, a step of the training job (every five minutes): once per slot of
 * BACKUP_INTERVAL_MINUTES, by whichever process claims the slot first. What is due is read from
 * `database_backups`, so a restart neither repeats nor skips a slot.
 */
export async function runScheduledBackup(
  now = new Date(),
  settings: BackupSettings = backupSettingsFromEnv(),
): Promise<BackupOutcome> {
  const slot = backupSlot(now, settings.intervalMinutes).toISOString();
  if (!claimSlot(slot, now)) return { status: "alreadyClaimed" };
  return backUpClaimed(slot, now, settings);
}

/** A backup now, outside the schedule (`npm run db:backup`), recorded like the scheduled ones. */
export async function backupNow(now = new Date(), settings: BackupSettings = backupSettingsFromEnv()) {
  const slot = `manual:${now.toISOString()}`;
  db.insert(databaseBackups).values({ slot, startedAt: now }).run();
  return backUpClaimed(slot, now, settings);
}

export type BackupStatus = {
  /** Where new backups go. */
  target: string;
  lastBackupAt: Date | null;
  lastBackupName: string | null;
  lastBackupBytes: number | null;
  /** Failed attempts since the last backup that worked. */
  failuresSinceLastBackup: number;
  lastError: string | null;
  /** No backup for two intervals (or none yet after the first): something to look at. */
  overdue: boolean;
};

/** What /healthz and an operator want to know about the backups, read from the database alone. */
export function backupStatus(now = new Date(), settings: BackupSettings = backupSettingsFromEnv()): BackupStatus {
  const last = db
    .select()
    .from(databaseBackups)
    .where(isNotNull(databaseBackups.finishedAt))
    .orderBy(desc(databaseBackups.finishedAt))
    .limit(1)
    .get();
  const sinceLast = last?.finishedAt ? gt(databaseBackups.failedAt, last.finishedAt) : undefined;
  const failures = db
    .select({ attempts: sum(databaseBackups.attempts) })
    .from(databaseBackups)
    .where(and(isNull(databaseBackups.finishedAt), isNotNull(databaseBackups.failedAt), sinceLast))
    .get();
  const lastFailure = db
    .select({ error: databaseBackups.error })
    .from(databaseBackups)
    .where(and(isNotNull(databaseBackups.failedAt), sinceLast))
    .orderBy(desc(databaseBackups.failedAt))
    .limit(1)
    .get();
  const allowedGap = 2 * settings.intervalMinutes * 60_000;
  return {
    target: settings.target.describe,
    lastBackupAt: last?.finishedAt ?? null,
    lastBackupName: last?.name ?? null,
    lastBackupBytes: last?.sizeBytes ?? null,
    failuresSinceLastBackup: Number(failures?.attempts ?? 0),
    lastError: lastFailure?.error ?? null,
    overdue: !last?.finishedAt || now.getTime() - last.finishedAt.getTime() > allowedGap,
  };
}
