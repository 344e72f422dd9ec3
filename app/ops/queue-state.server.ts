import { and, count, eq, gt, inArray, isNotNull, max, min, ne, sql } from "drizzle-orm";
import { mediaJobs, outboxEmails, privacyPurges } from "#db/schema";
import { db } from "~/db.server";
import { SUPERSEDED } from "~/media/jobs.server";

const DAY_MS = 24 * 3600 * 1000;

export type MediaQueueState = {
  queued: number;
  running: number;
  /** Jobs that failed in the last 24 hours; a film replaced by a newer upload is not a failure. */
  failedLastDay: number;
  /** How long the oldest waiting job has waited; null when none waits. */
  oldestQueuedSeconds: number | null;
  /** The most silent running job's heartbeat: past STALE_AFTER_MS its worker has died. Null when nothing runs. */
  heartbeatAgeSeconds: number | null;
};

const seconds = (from: Date | null | undefined, now: Date) =>
  from ? Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000)) : null;

/** The transcoding queue in media_jobs as a monitor sees it, read in one pass over the status index. */
export function mediaQueueState(now: Date): MediaQueueState {
  const byStatus = db
    .select({
      status: mediaJobs.status,
      jobs: count(),
      oldestCreated: min(mediaJobs.createdAt),
      oldestHeartbeat: min(mediaJobs.heartbeatAt),
    })
    .from(mediaJobs)
    .where(inArray(mediaJobs.status, ["queued", "running"]))
    .groupBy(mediaJobs.status)
    .all();
  const queued = byStatus.find((row) => row.status === "queued");
  const running = byStatus.find((row) => row.status === "running");
  const failed = db
    .select({ jobs: count() })
    .from(mediaJobs)
    .where(
      and(
        eq(mediaJobs.status, "failed"),
        gt(mediaJobs.finishedAt, new Date(now.getTime() - DAY_MS)),
        ne(sql`coalesce(${mediaJobs.error}, '')`, SUPERSEDED),
      ),
    )
    .get();
  return {
    queued: queued?.jobs ?? 0,
    running: running?.jobs ?? 0,
    failedLastDay: failed?.jobs ?? 0,
    oldestQueuedSeconds: seconds(queued?.oldestCreated, now),
    heartbeatAgeSeconds: seconds(running?.oldestHeartbeat, now),
  };
}

/** Mail kept in the outbox because no SMTP server is configured: in production, mail nobody received. */
export function outboxEmailCount(): number {
  return db.select({ mails: count() }).from(outboxEmails).get()?.mails ?? 0;
}

/**
 * When the scheduled jobs last finished their nightly step: the privacy purge is the training
 * job's last step and the only one that records its runs, so its age says whether the job loop runs.
 */
export function lastNightlyRun(now: Date): { finishedSecondsAgo: number | null } {
  const row = db
    .select({ finishedAt: max(privacyPurges.finishedAt) })
    .from(privacyPurges)
    .where(isNotNull(privacyPurges.finishedAt))
    .get();
  return { finishedSecondsAgo: seconds(row?.finishedAt, now) };
}
