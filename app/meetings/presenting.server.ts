import { randomInt } from "node:crypto";
import { and, asc, count, eq, exists, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import {
  courses,
  meetingParticipants,
  meetingPresenters,
  meetingSessions,
  memberships,
  modules,
  reflectionQuestions,
} from "#db/schema";
import { db } from "~/db.server";
import { danishDate } from "~/i18n/dates";
import { holdsActiveSeat } from "~/licensing/access.server";
import { CODE_ALPHABET, CODE_LENGTH } from "./forms";
import { settleMeeting } from "./crediting.server";

/** A meeting longer than this is over, whether or not anyone pressed "Afslut mødet". */
export const MEETING_HOURS = 4;
/** Someone whose page said it was there this recently counts as in the room. */
const PRESENT_WITHIN_MS = 45_000;

/** The published film, with its course, that a meeting may show. */
function publishedModule(moduleId: number) {
  return (
    db
      .select({ id: modules.id, courseId: modules.courseId })
      .from(modules)
      .innerJoin(courses, and(eq(courses.id, modules.courseId), eq(courses.published, true)))
      .where(and(eq(modules.id, moduleId), eq(modules.published, true)))
      .get() ?? null
  );
}

/**
 * Where the person may show the course's films at a staff meeting: a municipality in which they
 * hold a seat on the course today and either lead, administer or were allowed by a leader. The
 * meeting belongs to that municipality and to the person's unit there.
 */
export function presenterSeat(userId: number, courseId: number, now = new Date()) {
  const allowed = exists(
    db
      .select({ one: sql`1` })
      .from(meetingPresenters)
      .where(
        and(
          eq(meetingPresenters.organisationId, memberships.organisationId),
          eq(meetingPresenters.userId, memberships.userId),
        ),
      ),
  );
  return (
    db
      .select({ organisationId: memberships.organisationId, unitId: memberships.unitId })
      .from(memberships)
      .where(
        and(
          eq(memberships.userId, userId),
          holdsActiveSeat(
            { userId: memberships.userId, organisationId: memberships.organisationId, courseId: sql`${courseId}` },
            danishDate(now),
          ),
          or(inArray(memberships.role, ["leader", "admin"]), allowed),
        ),
      )
      .orderBy(asc(memberships.createdAt))
      .limit(1)
      .get() ?? null
  );
}

/** Whether the film's page offers this person "Vis på personalemødet". */
export function mayPresent(userId: number, moduleId: number, now = new Date()) {
  const module = publishedModule(moduleId);
  return module != null && presenterSeat(userId, module.courseId, now) != null;
}

const newCode = () =>
  Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");

const isCodeClash = (error: unknown) =>
  error instanceof Error && "code" in error && error.code === "SQLITE_CONSTRAINT_UNIQUE";

/**
 * Meetings left open past their time are ended as of that time and credited, so their codes
 * are free again and their participants get what they were present for. The UPDATE claims each
 * meeting for one process, and settling only touches participants not yet settled. Returns how
 * many it ended.
 */
export function closeExpiredMeetings(now = new Date()): number {
  const expired = db
    .update(meetingSessions)
    .set({ endedAt: meetingSessions.expiresAt })
    .where(and(isNull(meetingSessions.endedAt), lte(meetingSessions.expiresAt, now)))
    .returning({ id: meetingSessions.id })
    .all();
  for (const { id } of expired) settleMeeting(id, now);
  return expired.length;
}

export type StartResult = { status: "started"; sessionId: number } | { status: "notAllowed" };

/** "Vis på personalemødet": opens a meeting with a code no other open meeting has. */
export function startMeeting(userId: number, moduleId: number, now = new Date()): StartResult {
  const module = publishedModule(moduleId);
  const seat = module && presenterSeat(userId, module.courseId, now);
  if (!module || !seat) return { status: "notAllowed" };
  closeExpiredMeetings(now);
  // The partial unique index decides a clash; with 32^6 codes a second try is already rare.
  for (let attempt = 0; ; attempt++) {
    try {
      const row = db
        .insert(meetingSessions)
        .values({
          organisationId: seat.organisationId,
          unitId: seat.unitId,
          moduleId,
          presenterId: userId,
          code: newCode(),
          startedAt: now,
          expiresAt: new Date(now.getTime() + MEETING_HOURS * 3600_000),
        })
        .returning({ id: meetingSessions.id })
        .get();
      return { status: "started", sessionId: row.id };
    } catch (error) {
      if (!isCodeClash(error) || attempt >= 9) throw error;
    }
  }
}

export const isOpen = (session: { endedAt: Date | null; expiresAt: Date }, now: Date) =>
  session.endedAt == null && session.expiresAt > now;

/** How many participants' pages have said they are there within the last moments. */
export function participantsPresent(sessionId: number, now = new Date()) {
  return (
    db
      .select({ present: count() })
      .from(meetingParticipants)
      .where(
        and(
          eq(meetingParticipants.sessionId, sessionId),
          gt(meetingParticipants.lastSeenAt, new Date(now.getTime() - PRESENT_WITHIN_MS)),
        ),
      )
      .get()?.present ?? 0
  );
}

/** The presenter's view of their meeting; null for anyone else, so others learn nothing of it. */
export function presenterMeeting(userId: number, sessionId: number, now = new Date()) {
  const session = db
    .select({
      id: meetingSessions.id,
      code: meetingSessions.code,
      expiresAt: meetingSessions.expiresAt,
      endedAt: meetingSessions.endedAt,
      agreement: meetingSessions.agreement,
      moduleId: modules.id,
      moduleSlug: modules.slug,
      title: modules.title,
      durationSeconds: modules.durationSeconds,
      mediaVersion: modules.mediaVersion,
      courseId: courses.id,
      courseSlug: courses.slug,
    })
    .from(meetingSessions)
    .innerJoin(modules, eq(modules.id, meetingSessions.moduleId))
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(and(eq(meetingSessions.id, sessionId), eq(meetingSessions.presenterId, userId)))
    .get();
  if (!session) return null;
  const questions = db
    .select({ text: reflectionQuestions.text })
    .from(reflectionQuestions)
    .where(eq(reflectionQuestions.moduleId, session.moduleId))
    .orderBy(asc(reflectionQuestions.position))
    .all()
    .map((question) => question.text);
  return { ...session, open: isOpen(session, now), questions, present: participantsPresent(sessionId, now) };
}

export type EndResult = { status: "ended" } | { status: "notFound" };

/** "Afslut mødet": closes joining and playback, then credits the participants (once, however often it is pressed). */
export function endMeeting(userId: number, sessionId: number, now = new Date()): EndResult {
  const session = db
    .select({ endedAt: meetingSessions.endedAt, expiresAt: meetingSessions.expiresAt })
    .from(meetingSessions)
    .where(and(eq(meetingSessions.id, sessionId), eq(meetingSessions.presenterId, userId)))
    .get();
  if (!session) return { status: "notFound" };
  if (session.endedAt == null) {
    const endedAt = session.expiresAt < now ? session.expiresAt : now;
    db.update(meetingSessions)
      .set({ endedAt })
      .where(and(eq(meetingSessions.id, sessionId), isNull(meetingSessions.endedAt)))
      .run();
  }
  settleMeeting(sessionId, now);
  return { status: "ended" };
}

export type AgreementResult = { status: "saved" } | { status: "notEnded" } | { status: "notFound" };

/** "Det aftalte vi", written by the presenter once the meeting is over, and rewritten whenever they like. */
export function saveAgreement(userId: number, sessionId: number, text: string, now = new Date()): AgreementResult {
  const session = db
    .select({ endedAt: meetingSessions.endedAt })
    .from(meetingSessions)
    .where(and(eq(meetingSessions.id, sessionId), eq(meetingSessions.presenterId, userId)))
    .get();
  if (!session) return { status: "notFound" };
  if (session.endedAt == null) return { status: "notEnded" };
  db.update(meetingSessions)
    .set({ agreement: text.length > 0 ? text : null, agreementAt: text.length > 0 ? now : null })
    .where(eq(meetingSessions.id, sessionId))
    .run();
  return { status: "saved" };
}

/** The presenter's count of who is in the room, polled by their page; null for anyone else. */
export function presenterCount(userId: number, sessionId: number, now = new Date()) {
  const session = db
    .select({ id: meetingSessions.id })
    .from(meetingSessions)
    .where(and(eq(meetingSessions.id, sessionId), eq(meetingSessions.presenterId, userId)))
    .get();
  return session ? participantsPresent(sessionId, now) : null;
}
