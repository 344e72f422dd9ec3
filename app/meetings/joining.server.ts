import { and, desc, eq, sql } from "drizzle-orm";
import { courses, meetingParticipants, meetingSessions, memberships, modules, organisations } from "#db/schema";
import { consumeAllowance, refundAllowance } from "~/auth/rate-limits.server";
import { db } from "~/db.server";
import { danishDate } from "~/i18n/dates";
import { holdsActiveSeat } from "~/licensing/access.server";
import { isOpen } from "./presenting.server";

export type JoinResult =
  | { status: "joined"; sessionId: number }
  | { status: "wrongCode" }
  | { status: "ended" }
  | { status: "noSeat" }
  | { status: "tooMany" };

/** Whether the person holds a seat today, in the meeting's municipality, on the course of its film. */
function holdsSeatFor(userId: number, organisationId: number, courseId: number, now: Date) {
  return (
    db
      .select({
        seated: holdsActiveSeat(
          { userId: sql`${userId}`, organisationId: organisations.id, courseId: sql`${courseId}` },
          danishDate(now),
        ).mapWith(Boolean),
      })
      .from(organisations)
      .where(eq(organisations.id, organisationId))
      .get()?.seated ?? false
  );
}

/**
 * Joins the meeting the code names. A code of another municipality reads as a wrong one, so
 * nobody learns which codes are in use elsewhere. Every try counts against the person and
 * their client address; a code that works gives its try back, so only wrong ones add up.
 */
export async function joinMeeting(
  userId: number,
  code: string,
  clientAddress: string,
  now = new Date(),
): Promise<JoinResult> {
  if (!(await consumeAllowance("meetingCodeClient", clientAddress))) return { status: "tooMany" };
  if (!(await consumeAllowance("meetingCodeUser", String(userId)))) return { status: "tooMany" };
  const result = joinByCode(userId, code, now);
  if (result.status === "joined") {
    await refundAllowance("meetingCodeClient", clientAddress);
    await refundAllowance("meetingCodeUser", String(userId));
  }
  return result;
}

function joinByCode(userId: number, code: string, now: Date): JoinResult {
  const session = db
    .select({
      id: meetingSessions.id,
      organisationId: meetingSessions.organisationId,
      endedAt: meetingSessions.endedAt,
      expiresAt: meetingSessions.expiresAt,
      courseId: modules.courseId,
    })
    .from(meetingSessions)
    .innerJoin(modules, eq(modules.id, meetingSessions.moduleId))
    .innerJoin(
      memberships,
      and(eq(memberships.organisationId, meetingSessions.organisationId), eq(memberships.userId, userId)),
    )
    .where(eq(meetingSessions.code, code))
    .orderBy(desc(meetingSessions.startedAt))
    .limit(1)
    .get();
  if (!session) return { status: "wrongCode" };
  if (!isOpen(session, now)) return { status: "ended" };
  if (!holdsSeatFor(userId, session.organisationId, session.courseId, now)) return { status: "noSeat" };
  db.insert(meetingParticipants)
    .values({ sessionId: session.id, userId, joinedAt: now, lastSeenAt: now })
    .onConflictDoUpdate({
      target: [meetingParticipants.sessionId, meetingParticipants.userId],
      set: { lastSeenAt: now },
    })
    .run();
  return { status: "joined", sessionId: session.id };
}

export type PresenceResult = { status: "ok"; ended: boolean; agreementAt: number | null } | { status: "notFound" };

/**
 * A participant's page saying it is still open. While the meeting runs it moves last_seen_at on;
 * afterwards it only tells the page that the meeting has ended and when the agreement was written.
 */
export function recordPresence(userId: number, sessionId: number, now = new Date()): PresenceResult {
  const found = db
    .select({
      endedAt: meetingSessions.endedAt,
      expiresAt: meetingSessions.expiresAt,
      agreementAt: meetingSessions.agreementAt,
    })
    .from(meetingParticipants)
    .innerJoin(meetingSessions, eq(meetingSessions.id, meetingParticipants.sessionId))
    .where(and(eq(meetingParticipants.sessionId, sessionId), eq(meetingParticipants.userId, userId)))
    .get();
  if (!found) return { status: "notFound" };
  const open = isOpen(found, now);
  if (open)
    db.update(meetingParticipants)
      .set({ lastSeenAt: now })
      .where(and(eq(meetingParticipants.sessionId, sessionId), eq(meetingParticipants.userId, userId)))
      .run();
  return { status: "ok", ended: !open, agreementAt: found.agreementAt?.getTime() ?? null };
}

/** The participant's page: what is shown, and after the meeting what was agreed. Null for anyone who did not join. */
export function participantMeeting(userId: number, sessionId: number, now = new Date()) {
  const found = db
    .select({
      id: meetingSessions.id,
      endedAt: meetingSessions.endedAt,
      expiresAt: meetingSessions.expiresAt,
      agreement: meetingSessions.agreement,
      agreementAt: meetingSessions.agreementAt,
      outcome: meetingParticipants.outcome,
      title: modules.title,
      moduleSlug: modules.slug,
      courseSlug: courses.slug,
    })
    .from(meetingParticipants)
    .innerJoin(meetingSessions, eq(meetingSessions.id, meetingParticipants.sessionId))
    .innerJoin(modules, eq(modules.id, meetingSessions.moduleId))
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(and(eq(meetingParticipants.sessionId, sessionId), eq(meetingParticipants.userId, userId)))
    .get();
  if (!found) return null;
  const { expiresAt, endedAt, agreementAt, ...rest } = found;
  return { ...rest, open: isOpen({ endedAt, expiresAt }, now), agreementAt: agreementAt?.getTime() ?? null };
}
