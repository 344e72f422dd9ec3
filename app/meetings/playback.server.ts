import { and, eq, max } from "drizzle-orm";
import { meetingPlayback, meetingSessions, modules } from "#db/schema";
import { db } from "~/db.server";
import { clipRanges, subtractRanges, type ProgressReport, type Range } from "~/learning/played-ranges";
import { MAX_PLAYBACK_RATE, takeWithinBudget } from "~/learning/progress.server";
import { isOpen } from "./presenting.server";

/** Allowance for the player's first frames and the report's own rounding, as for a learner's own progress. */
const CREDIT_SLACK_SECONDS = 3;

export type PlaybackResult = { status: "ok"; playedSeconds: number } | { status: "notFound" } | { status: "closed" };

/**
 * Stores what the presenter's player reports it played at the meeting, with the time it
 * arrived: only film seconds not on record for the meeting yet, and no more of them than the
 * time since the last report allows at the fastest speed, so ranges cannot be invented ahead
 * of the film. A report without ranges says that the film starts to play. The presenter's own progress is not touched: the meeting's playback is what counts.
 */
export function recordMeetingPlayback(
  userId: number,
  sessionId: number,
  report: Pick<ProgressReport, "ranges" | "positionSeconds">,
  now = new Date(),
): PlaybackResult {
  return db.transaction((tx) => {
    const session = tx
      .select({
        startedAt: meetingSessions.startedAt,
        endedAt: meetingSessions.endedAt,
        expiresAt: meetingSessions.expiresAt,
        durationSeconds: modules.durationSeconds,
      })
      .from(meetingSessions)
      .innerJoin(modules, eq(modules.id, meetingSessions.moduleId))
      .where(and(eq(meetingSessions.id, sessionId), eq(meetingSessions.presenterId, userId)))
      .get();
    if (!session) return { status: "notFound" } as const;
    if (!isOpen(session, now)) return { status: "closed" } as const;
    // Play pressed: a row without seconds marks when the film started to run, so the seconds of the
    // next report are placed after it, however fast they were played.
    if (report.ranges.length === 0) {
      const second = Math.floor(Math.min(Math.max(0, report.positionSeconds), session.durationSeconds ?? 0));
      tx.insert(meetingPlayback).values({ sessionId, fromSecond: second, toSecond: second, at: now }).run();
    }
    const stored = tx
      .select({ fromSecond: meetingPlayback.fromSecond, toSecond: meetingPlayback.toSecond })
      .from(meetingPlayback)
      .where(eq(meetingPlayback.sessionId, sessionId))
      .all()
      .map((row): Range => [row.fromSecond, row.toSecond]);
    const lastReport =
      tx
        .select({ at: max(meetingPlayback.at) })
        .from(meetingPlayback)
        .where(eq(meetingPlayback.sessionId, sessionId))
        .get()?.at ?? session.startedAt;
    const fresh = subtractRanges(clipRanges(report.ranges, session.durationSeconds ?? 0), stored);
    const budget = ((now.getTime() - lastReport.getTime()) / 1000) * MAX_PLAYBACK_RATE + CREDIT_SLACK_SECONDS;
    // Whole seconds, as the table keeps them: a part second waits for the next report.
    const accepted = takeWithinBudget(fresh, budget)
      .map(([start, end]): Range => [Math.ceil(start), Math.floor(end)])
      .filter(([start, end]) => end > start);
    for (const [fromSecond, toSecond] of accepted)
      tx.insert(meetingPlayback).values({ sessionId, fromSecond, toSecond, at: now }).run();
    const playedSeconds = [...stored, ...accepted].reduce((total, [start, end]) => total + end - start, 0);
    return { status: "ok", playedSeconds } as const;
  });
}
