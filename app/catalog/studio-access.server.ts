import { and, eq, gte, inArray } from "drizzle-orm";
import { licenceCourses, licences, planCourses, plans } from "#db/schema";
import { db } from "~/db.server";
import { danishDate } from "~/i18n/dates";
import { courseExists } from "./studio-courses.server";

// The owner sees and changes everything, so these take no viewer: the routes let only the owner in.

/**
 * Adds the course to running or coming licences; ones that have it already are left as they
 * are. Nothing is added unless every licence named can take it.
 */
export function grantCourseToLicences(
  courseId: number,
  licenceIds: number[],
  now = new Date(),
): { status: "saved"; added: number } | { status: "notFound" } | { status: "unknownLicence" } {
  const wanted = [...new Set(licenceIds)];
  return db.transaction((tx) => {
    if (!courseExists(tx, courseId)) return { status: "notFound" as const };
    const open = tx
      .select({ id: licences.id })
      .from(licences)
      .where(and(inArray(licences.id, wanted), gte(licences.endsOn, danishDate(now))))
      .all();
    if (open.length !== wanted.length) return { status: "unknownLicence" as const };
    const inserted = tx
      .insert(licenceCourses)
      .values(wanted.map((licenceId) => ({ licenceId, courseId })))
      .onConflictDoNothing()
      .run();
    return { status: "saved" as const, added: inserted.changes };
  });
}

/**
 * Puts the course in plans on sale, so municipalities can buy it from their next order; plans
 * that have it already are left as they are. Licences already sold keep their own courses (see
 * grantCourseToLicences). Nothing is added unless every plan named is on sale.
 */
export function addCourseToPlans(
  courseId: number,
  planIds: number[],
): { status: "saved" } | { status: "notFound" } | { status: "unknownPlan" } {
  const wanted = [...new Set(planIds)];
  return db.transaction((tx) => {
    if (!courseExists(tx, courseId)) return { status: "notFound" as const };
    const onSale = tx
      .select({ id: plans.id })
      .from(plans)
      .where(and(inArray(plans.id, wanted), eq(plans.active, true)))
      .all();
    if (onSale.length !== wanted.length) return { status: "unknownPlan" as const };
    tx.insert(planCourses)
      .values(wanted.map((planId) => ({ planId, courseId })))
      .onConflictDoNothing()
      .run();
    return { status: "saved" as const };
  });
}
