import { and, asc, eq, isNull } from "drizzle-orm";
import {
  meetingParticipants,
  meetingPlayback,
  meetingSessions,
  meetingSettings,
  moduleProgress,
  modules,
} from "#db/schema";
import { db } from "~/db.server";
import { coveredSeconds, mergeRanges } from "~/learning/played-ranges";
import { parseStoredRanges, WATCHED_SHARE } from "~/learning/progress.server";
import { recordCourseProgress } from "~/training/cycles.server";
import { filmRangesPresent } from "./presence";

const roundToHundredths = (seconds: number) => Math.round(seconds * 100) / 100;

/**
 * Credits an ended meeting: each participant who was present for at least WATCHED_SHARE of the
 * film gets "watched" when the municipality lets a meeting count as seeing the film, else
 * "discussed". Watched adds the seconds they saw to their own progress and marks the film as
 * seen, in one transaction; the course's completion hook runs afterwards, outside it. Only
 * participants not yet settled are looked at, so settling again changes nothing.
 */
export function settleMeeting(sessionId: number, now = new Date()) {
  const credited = db.transaction((tx) => {
    const session = tx
      .select({
        organisationId: meetingSessions.organisationId,
        moduleId: meetingSessions.moduleId,
        startedAt: meetingSessions.startedAt,
        endedAt: meetingSessions.endedAt,
        courseId: modules.courseId,
        durationSeconds: modules.durationSeconds,
      })
      .from(meetingSessions)
      .innerJoin(modules, eq(modules.id, meetingSessions.moduleId))
      .where(eq(meetingSessions.id, sessionId))
      .get();
    if (!session?.endedAt || !session.durationSeconds) return null;
    const countsAsWatched =
      tx
        .select({ on: meetingSettings.countsAsWatched })
        .from(meetingSettings)
        .where(eq(meetingSettings.organisationId, session.organisationId))
        .get()?.on ?? false;
    const playback = tx
      .select({ fromSecond: meetingPlayback.fromSecond, toSecond: meetingPlayback.toSecond, at: meetingPlayback.at })
      .from(meetingPlayback)
      .where(eq(meetingPlayback.sessionId, sessionId))
      .orderBy(asc(meetingPlayback.at), asc(meetingPlayback.id))
      .all();
    const participants = tx
      .select({
        userId: meetingParticipants.userId,
        joinedAt: meetingParticipants.joinedAt,
        lastSeenAt: meetingParticipants.lastSeenAt,
      })
      .from(meetingParticipants)
      .where(and(eq(meetingParticipants.sessionId, sessionId), isNull(meetingParticipants.outcome)))
      .all();
    const watched: number[] = [];
    for (const participant of participants) {
      const seen = filmRangesPresent(session, playback, {
        joinedAt: participant.joinedAt,
        // Nobody is present after the meeting ended, whatever their page last said.
        lastSeenAt: participant.lastSeenAt < session.endedAt ? participant.lastSeenAt : session.endedAt,
      });
      if (coveredSeconds(seen) < session.durationSeconds * WATCHED_SHARE) continue;
      const outcome = countsAsWatched ? "watched" : "discussed";
      tx.update(meetingParticipants)
        .set({ outcome })
        .where(and(eq(meetingParticipants.sessionId, sessionId), eq(meetingParticipants.userId, participant.userId)))
        .run();
      if (outcome === "watched") {
        creditFilm(tx, participant.userId, session.moduleId, session.durationSeconds, seen, now);
        watched.push(participant.userId);
      }
    }
    return { courseId: session.courseId, watched };
  });
  for (const userId of credited?.watched ?? []) recordCourseProgress(userId, credited!.courseId, now);
  return credited?.watched.length ?? 0;
}

type Transaction = Parameters<Parameters<typeof db.transaction>[0]>[0];

/** The seconds seen at the meeting join the person's own played ranges; the film is watched from now. */
function creditFilm(
  tx: Transaction,
  userId: number,
  moduleId: number,
  durationSeconds: number,
  seen: [number, number][],
  now: Date,
) {
  const existing = tx
    .select({ playedRanges: moduleProgress.playedRanges, watchedAt: moduleProgress.watchedAt })
    .from(moduleProgress)
    .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.moduleId, moduleId)))
    .get();
  const merged = mergeRanges([...(existing ? parseStoredRanges(existing.playedRanges) : []), ...seen]).map(
    ([start, end]): [number, number] => [roundToHundredths(start), roundToHundredths(Math.min(end, durationSeconds))],
  );
  const values = {
    playedRanges: JSON.stringify(merged),
    playedMs: Math.round(coveredSeconds(merged) * 1000),
    watchedAt: existing?.watchedAt ?? now,
    updatedAt: now,
  };
  tx.insert(moduleProgress)
    .values({ userId, moduleId, ...values })
    .onConflictDoUpdate({ target: [moduleProgress.userId, moduleProgress.moduleId], set: values })
    .run();
}
