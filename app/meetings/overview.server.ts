import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import {
  meetingParticipants,
  meetingPresenters,
  meetingSessions,
  meetingSettings,
  memberships,
  modules,
  organisationUnits,
  users,
} from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { administers } from "~/licensing/overview.server";

/** The most meetings an overview lists; a municipality's newest come first. */
const OVERVIEW_LIMIT = 200;

/**
 * A municipality's staff meetings, or one unit's: film, when, who showed it, how many joined and
 * how many got the film credited (watched or discussed).
 */
export function meetingOverview(organisationId: number, unitId: number | null) {
  const attendance = db
    .select({
      sessionId: meetingParticipants.sessionId,
      joined: count().as("joined"),
      credited: count(meetingParticipants.outcome).as("credited"),
      watched: sql<number>`sum(${meetingParticipants.outcome} = 'watched')`.as("watched"),
    })
    .from(meetingParticipants)
    .groupBy(meetingParticipants.sessionId)
    .as("attendance");
  return db
    .select({
      id: meetingSessions.id,
      startedAt: meetingSessions.startedAt,
      endedAt: meetingSessions.endedAt,
      film: modules.title,
      unit: organisationUnits.name,
      presenter: users.name,
      joined: sql<number>`coalesce(${attendance.joined}, 0)`,
      credited: sql<number>`coalesce(${attendance.credited}, 0)`,
      watched: sql<number>`coalesce(${attendance.watched}, 0)`,
    })
    .from(meetingSessions)
    .innerJoin(modules, eq(modules.id, meetingSessions.moduleId))
    .leftJoin(organisationUnits, eq(organisationUnits.id, meetingSessions.unitId))
    .leftJoin(users, eq(users.id, meetingSessions.presenterId))
    .leftJoin(attendance, eq(attendance.sessionId, meetingSessions.id))
    .where(
      and(
        eq(meetingSessions.organisationId, organisationId),
        unitId == null ? undefined : eq(meetingSessions.unitId, unitId),
      ),
    )
    .orderBy(desc(meetingSessions.startedAt), desc(meetingSessions.id))
    .limit(OVERVIEW_LIMIT)
    .all()
    .map((row) => ({ ...row, startedAt: row.startedAt.getTime(), ended: row.endedAt != null, endedAt: undefined }));
}

export const countsAsWatched = (organisationId: number) =>
  db
    .select({ on: meetingSettings.countsAsWatched })
    .from(meetingSettings)
    .where(eq(meetingSettings.organisationId, organisationId))
    .get()?.on ?? false;

/** The admin's switch "Film set på personalemøde tæller som set"; it applies to meetings that end after it. */
export function setCountsAsWatched(
  admin: Pick<SessionUser, "id">,
  organisationId: number,
  on: boolean,
  now = new Date(),
): "saved" | "notFound" {
  if (!administers(admin, organisationId)) return "notFound";
  db.insert(meetingSettings)
    .values({ organisationId, countsAsWatched: on, updatedAt: now })
    .onConflictDoUpdate({ target: meetingSettings.organisationId, set: { countsAsWatched: on, updatedAt: now } })
    .run();
  return "saved";
}

/** The staff of a leader's unit (leaders and admins may present anyway), with whether each may start meetings. */
export function unitPresenters(organisationId: number, unitId: number) {
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      allowed: sql<number>`${meetingPresenters.userId} is not null`.mapWith(Boolean),
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(
      meetingPresenters,
      and(eq(meetingPresenters.organisationId, organisationId), eq(meetingPresenters.userId, memberships.userId)),
    )
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        eq(memberships.unitId, unitId),
        eq(memberships.role, "learner"),
        isNull(memberships.unlistedAt),
      ),
    )
    .orderBy(users.name)
    .all();
}

export type PresenterChange = { status: "changed"; name: string } | { status: "notInUnit" };

/**
 * A leader allows a member of their own unit to start meetings, or withdraws it. The unit is the
 * leader's, so the query itself refuses anyone outside it.
 */
export function setPresenter(
  leader: { userId: number; organisationId: number; unitId: number },
  userId: number,
  allowed: boolean,
  now = new Date(),
): PresenterChange {
  const member = unitPresenters(leader.organisationId, leader.unitId).find((person) => person.userId === userId);
  if (!member) return { status: "notInUnit" };
  if (allowed)
    db.insert(meetingPresenters)
      .values({ organisationId: leader.organisationId, userId, grantedBy: leader.userId, grantedAt: now })
      .onConflictDoNothing()
      .run();
  else
    db.delete(meetingPresenters)
      .where(and(eq(meetingPresenters.organisationId, leader.organisationId), eq(meetingPresenters.userId, userId)))
      .run();
  return { status: "changed", name: member.name };
}
