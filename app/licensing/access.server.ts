import { and, asc, eq, exists, gte, isNull, lte, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { courses, licenceCourses, licences, memberships, organisations, seats, type MembershipRole } from "#db/schema";
import { db } from "~/db.server";
import type { SessionUser } from "~/auth/session.server";
import { danishDate } from "~/i18n/dates";

/**
 * The one place that decides who may take which course: course owners see every course,
 * everyone else the published courses of the licences on which they hold a seat today.
 * A seat taken back, or a licence whose period has ended, opens nothing; history stays.
 */
export function accessibleCourseIds(user: Pick<SessionUser, "id" | "platformRole">, now = new Date()): number[] {
  if (user.platformRole === "owner") {
    return db
      .select({ id: courses.id })
      .from(courses)
      .all()
      .map((row) => row.id);
  }
  const today = danishDate(now);
  return db
    .selectDistinct({ id: courses.id })
    .from(seats)
    .innerJoin(licences, eq(licences.id, seats.licenceId))
    .innerJoin(licenceCourses, eq(licenceCourses.licenceId, licences.id))
    .innerJoin(courses, eq(courses.id, licenceCourses.courseId))
    .where(
      and(
        eq(seats.userId, user.id),
        isNull(seats.revokedAt),
        lte(licences.startsOn, today),
        gte(licences.endsOn, today),
        eq(courses.published, true),
      ),
    )
    .all()
    .map((row) => row.id);
}

/**
 * For queries over many people (reminders, digests): the person holds a seat today on a licence of
 * the municipality that includes the course. The same rule as accessibleCourseIds, as an EXISTS
 * over the outer query's columns; what a municipality asks of its people needs its own licence.
 */
export function holdsActiveSeat(
  person: { userId: SQLWrapper; organisationId: SQLWrapper; courseId: SQLWrapper },
  today: string,
): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(seats)
      .innerJoin(licences, eq(licences.id, seats.licenceId))
      .innerJoin(
        licenceCourses,
        and(eq(licenceCourses.licenceId, licences.id), eq(licenceCourses.courseId, person.courseId)),
      )
      .where(
        and(
          eq(seats.userId, person.userId),
          isNull(seats.revokedAt),
          eq(licences.organisationId, person.organisationId),
          lte(licences.startsOn, today),
          gte(licences.endsOn, today),
        ),
      ),
  );
}

export function canAccessCourse(
  user: Pick<SessionUser, "id" | "platformRole">,
  courseId: number,
  now = new Date(),
): boolean {
  return accessibleCourseIds(user, now).includes(courseId);
}

export type CourseSeat = { organisationId: number; organisationName: string; role: MembershipRole | null };

/**
 * The seat through which a person has a course today, by the same rule as accessibleCourseIds:
 * which municipality a certificate names and which feedback form the person gets. With seats
 * in several municipalities, the first one taken decides.
 */
export function courseSeat(userId: number, courseId: number, now = new Date()): CourseSeat | null {
  const today = danishDate(now);
  return (
    db
      .select({ organisationId: organisations.id, organisationName: organisations.name, role: memberships.role })
      .from(seats)
      .innerJoin(licences, eq(licences.id, seats.licenceId))
      .innerJoin(licenceCourses, and(eq(licenceCourses.licenceId, licences.id), eq(licenceCourses.courseId, courseId)))
      .innerJoin(courses, and(eq(courses.id, licenceCourses.courseId), eq(courses.published, true)))
      .innerJoin(organisations, eq(organisations.id, licences.organisationId))
      .leftJoin(
        memberships,
        and(eq(memberships.userId, seats.userId), eq(memberships.organisationId, licences.organisationId)),
      )
      .where(
        and(
          eq(seats.userId, userId),
          isNull(seats.revokedAt),
          lte(licences.startsOn, today),
          gte(licences.endsOn, today),
        ),
      )
      .orderBy(asc(seats.claimedAt), asc(seats.id))
      .limit(1)
      .get() ?? null
  );
}
