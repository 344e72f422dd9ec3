import { and, eq } from "drizzle-orm";
import { moduleProgress, modules } from "#db/schema";
import { db } from "~/db.server";
import { getSessionSecret } from "~/env.server";
import { isId, signToken, verifyToken } from "~/utils/signed-token.server";
import {
  clipRanges,
  coveredSeconds,
  mergeRanges,
  subtractRanges,
  type ProgressReport,
  type Range,
} from "./played-ranges";

/** A film counts as watched once this share of its duration has really been played. */
export const WATCHED_SHARE = 0.9;
/** The fastest playback speed the player offers: playing time is credited at most this much faster than wall time. */
export const MAX_PLAYBACK_RATE = 2;
/** Allowance for the player's first frames and the report's own rounding; it does not add up across reports. */
const CREDIT_SLACK_SECONDS = 3;

export type ProgressStatus = {
  playedSeconds: number;
  playedFraction: number;
  watched: boolean;
  lastPositionSeconds: number;
};

export type RecordResult =
  | {
      status: "ok";
      progress: ProgressStatus;
      acceptedSeconds: number;
      refusedSeconds: number;
      /** This report made the film count as watched: the moment a module, and so a course, may become complete. */
      becameWatched: boolean;
      /** The first seconds credited on this film (in this round of the course): the person has started. */
      firstProgress: boolean;
    }
  | { status: "unknownView" };

const VIEW_PURPOSE = "rettidig-playback-view-v1";

type PlaybackView = { userId: number; moduleId: number; openedAt: Date };

/**
 * Opens a view of a module's player: the signed record of who opened which film when, which
 * later reports are measured against. It is stored nowhere, so showing the page writes nothing
 * and opening a film any number of times leaves no rows behind; the signature keeps anyone from
 * choosing their own opening time.
 */
export function openPlaybackView(userId: number, moduleId: number, now = new Date()): string {
  return signToken(VIEW_PURPOSE, { u: userId, m: moduleId, o: now.getTime() }, getSessionSecret());
}

/** The view a player names, when it is genuine and the user's own. */
function readPlaybackView(viewId: string, userId: number): PlaybackView | null {
  const checked = verifyToken(VIEW_PURPOSE, viewId, getSessionSecret());
  if (!checked.ok) return null;
  const { u, m, o } = checked.data;
  if (!isId(u) || !isId(m) || typeof o !== "number" || !Number.isSafeInteger(o) || u !== userId) return null;
  return { userId: u, moduleId: m, openedAt: new Date(o) };
}

/** The course of a view the user opened, or null when the view is not theirs or its module is gone. */
export function findViewCourse(viewId: string, userId: number): number | null {
  const view = readPlaybackView(viewId, userId);
  if (!view) return null;
  return (
    db.select({ courseId: modules.courseId }).from(modules).where(eq(modules.id, view.moduleId)).get()?.courseId ?? null
  );
}

export function parseStoredRanges(json: string): Range[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? mergeRanges(value as Range[]) : [];
  } catch {
    return [];
  }
}

/** Takes ranges in order until their total length reaches the budget; the rest is not believed. */
export function takeWithinBudget(ranges: Range[], budgetSeconds: number): Range[] {
  const taken: Range[] = [];
  let left = Math.max(0, budgetSeconds);
  for (const [start, end] of ranges) {
    if (left <= 0) break;
    const length = Math.min(end - start, left);
    taken.push([start, start + length]);
    left -= length;
  }
  return taken;
}

function roundRanges(ranges: Range[]): Range[] {
  return ranges.map(([s, e]) => [Math.round(s * 100) / 100, Math.round(e * 100) / 100]);
}

export function progressStatus(
  playedMs: number,
  durationSeconds: number | null,
  watchedAt: Date | null,
  lastPositionMs: number,
): ProgressStatus {
  const durationMs = (durationSeconds ?? 0) * 1000;
  return {
    playedSeconds: playedMs / 1000,
    playedFraction: durationMs > 0 ? Math.min(1, playedMs / durationMs) : 0,
    watched: watchedAt != null,
    lastPositionSeconds: lastPositionMs / 1000,
  };
}

/**
 * Merges what a player reports it has played into the user's progress on the module.
 * Only the parts not already on record are new. They are credited no faster than wall time
 * allows (at the fastest playback speed), counted from when this view was opened and from
 * whatever was credited before, by any view: skipping ahead, inventing ranges, or opening
 * the film in many tabs gains nothing.
 */
export function recordProgress(userId: number, report: ProgressReport, now = new Date()): RecordResult {
  const view = readPlaybackView(report.viewId, userId);
  if (!view) return { status: "unknownView" };
  // Immediate: the transaction reads before it writes, and a second process writing meanwhile would
  // otherwise fail the report with SQLITE_BUSY_SNAPSHOT instead of waiting (tests/bench/write-capacity.ts).
  return db.transaction(
    (tx) => {
      const module = tx
        .select({ durationSeconds: modules.durationSeconds })
        .from(modules)
        .where(eq(modules.id, view.moduleId))
        .get();
      if (!module) return { status: "unknownView" } as const;

      const duration = module.durationSeconds ?? 0;
      const existing = tx
        .select()
        .from(moduleProgress)
        .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.moduleId, view.moduleId)))
        .get();
      const stored = existing ? parseStoredRanges(existing.playedRanges) : [];

      const fresh = subtractRanges(clipRanges(report.ranges, duration), stored);
      const clockStart = Math.max(view.openedAt.getTime(), existing?.creditClock?.getTime() ?? 0);
      const budget = ((now.getTime() - clockStart) / 1000) * MAX_PLAYBACK_RATE + CREDIT_SLACK_SECONDS;
      const accepted = takeWithinBudget(fresh, budget);
      const merged = roundRanges(mergeRanges([...stored, ...accepted]));
      const acceptedSeconds = Math.max(0, coveredSeconds(merged) - coveredSeconds(stored));
      const refusedSeconds = Math.max(0, coveredSeconds(fresh) - acceptedSeconds);
      const creditClock =
        acceptedSeconds > 0
          ? new Date(clockStart + (acceptedSeconds / MAX_PLAYBACK_RATE) * 1000)
          : (existing?.creditClock ?? null);

      const playedMs = Math.round(coveredSeconds(merged) * 1000);
      // A film played to the end starts from the beginning next time; otherwise it resumes where it stopped.
      const lastPositionMs = report.ended
        ? 0
        : Math.round(Math.min(Math.max(0, report.positionSeconds), duration) * 1000);
      const watchedAt =
        existing?.watchedAt ?? (duration > 0 && playedMs >= duration * 1000 * WATCHED_SHARE ? now : null);
      const values = {
        playedRanges: JSON.stringify(merged),
        playedMs,
        lastPositionMs,
        watchedAt,
        creditClock,
        updatedAt: now,
      };

      tx.insert(moduleProgress)
        .values({ userId, moduleId: view.moduleId, ...values })
        .onConflictDoUpdate({ target: [moduleProgress.userId, moduleProgress.moduleId], set: values })
        .run();

      return {
        status: "ok",
        progress: progressStatus(playedMs, duration, watchedAt, lastPositionMs),
        acceptedSeconds,
        refusedSeconds,
        becameWatched: watchedAt != null && existing?.watchedAt == null,
        firstProgress: acceptedSeconds > 0 && stored.length === 0,
      } as const;
    },
    { behavior: "immediate" },
  );
}

export function getModuleProgress(userId: number, moduleId: number, durationSeconds: number | null): ProgressStatus {
  const row = db
    .select()
    .from(moduleProgress)
    .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.moduleId, moduleId)))
    .get();
  return progressStatus(row?.playedMs ?? 0, durationSeconds, row?.watchedAt ?? null, row?.lastPositionMs ?? 0);
}
