import { and, desc, eq, exists, isNotNull, or, sql } from "drizzle-orm";
import { meetingParticipants, meetingSessions, memberships } from "#db/schema";
import { db } from "~/db.server";
import { mayPresent } from "./presenting.server";

/**
 * What a film's page shows of staff meetings for this person: whether they may show the film at
 * one, what their own meetings credited them with, and the agreements of meetings on the film
 * they took part in or that were held in their unit. Nothing from other units' meetings they
 * were not at, and nothing from another municipality.
 */
export function filmMeetingNotes(userId: number, moduleId: number, now = new Date()) {
  const attended = db
    .select({ outcome: meetingParticipants.outcome, endedAt: meetingSessions.endedAt })
    .from(meetingParticipants)
    .innerJoin(meetingSessions, eq(meetingSessions.id, meetingParticipants.sessionId))
    .where(
      and(
        eq(meetingParticipants.userId, userId),
        eq(meetingSessions.moduleId, moduleId),
        isNotNull(meetingParticipants.outcome),
        isNotNull(meetingSessions.endedAt),
      ),
    )
    .orderBy(desc(meetingSessions.endedAt))
    .all();
  const tookPart = exists(
    db
      .select({ one: sql`1` })
      .from(meetingParticipants)
      .where(and(eq(meetingParticipants.sessionId, meetingSessions.id), eq(meetingParticipants.userId, userId))),
  );
  const ownUnit = exists(
    db
      .select({ one: sql`1` })
      .from(memberships)
      .where(
        and(
          eq(memberships.userId, userId),
          eq(memberships.organisationId, meetingSessions.organisationId),
          eq(memberships.unitId, meetingSessions.unitId),
        ),
      ),
  );
  const agreements = db
    .select({ id: meetingSessions.id, agreement: meetingSessions.agreement, endedAt: meetingSessions.endedAt })
    .from(meetingSessions)
    .where(and(eq(meetingSessions.moduleId, moduleId), isNotNull(meetingSessions.agreement), or(tookPart, ownUnit)))
    .orderBy(desc(meetingSessions.endedAt))
    .limit(20)
    .all();
  return {
    mayPresent: mayPresent(userId, moduleId, now),
    attended: attended.map((row) => ({ outcome: row.outcome!, endedAt: row.endedAt!.getTime() })),
    agreements: agreements.map((row) => ({ id: row.id, text: row.agreement!, endedAt: row.endedAt?.getTime() ?? 0 })),
  };
}
