import { and, eq, inArray } from "drizzle-orm";
import { courses, memberships, organisationCourses } from "#db/schema";
import { db } from "~/db.server";
import type { SessionUser } from "~/auth/session.server";

/**
 * The one place that decides who may take which course. Today: course owners see every
 * course, everyone else the published courses of the organisations they belong to.
 * Licensing swaps the membership rule for "holds an active seat" here and nowhere else.
 */
export function accessibleCourseIds(user: Pick<SessionUser, "id" | "platformRole">): number[] {
  if (user.platformRole === "owner") {
    return db.select({ id: courses.id }).from(courses).all().map((row) => row.id);
  }
  const organisationIds = db
    .select({ id: memberships.organisationId })
    .from(memberships)
    .where(eq(memberships.userId, user.id));
  return db
    .selectDistinct({ id: courses.id })
    .from(courses)
    .innerJoin(organisationCourses, eq(organisationCourses.courseId, courses.id))
    .where(and(eq(courses.published, true), inArray(organisationCourses.organisationId, organisationIds)))
    .all()
    .map((row) => row.id);
}

export function canAccessCourse(user: Pick<SessionUser, "id" | "platformRole">, courseId: number): boolean {
  return accessibleCourseIds(user).includes(courseId);
}
