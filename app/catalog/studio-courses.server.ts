import { and, asc, eq, isNotNull, max } from "drizzle-orm";
import { courses, modules } from "#db/schema";
import { db, type Tx } from "~/db.server";
import { slugFromTitle, unusedSlug } from "./slugs";

// The owner sees and changes everything, so these take no viewer: the routes let only the owner in.

export type Direction = "up" | "down";
export type CourseDetails = { title: string; summary: string; certificateMinutes?: number };

export function courseExists(tx: Tx, courseId: number) {
  return tx.select({ id: courses.id }).from(courses).where(eq(courses.id, courseId)).get() !== undefined;
}

/** A new course, last in the catalog and hidden from learners until it is published. */
export function createCourse(details: Omit<CourseDetails, "certificateMinutes">): { id: number; slug: string } {
  return db.transaction((tx) => {
    const slug = unusedSlug(
      slugFromTitle(details.title, "kursus"),
      (candidate) => tx.select({ id: courses.id }).from(courses).where(eq(courses.slug, candidate)).get() !== undefined,
    );
    const last =
      tx
        .select({ position: max(courses.position) })
        .from(courses)
        .get()?.position ?? 0;
    return tx
      .insert(courses)
      .values({ slug, position: last + 1, title: details.title, summary: details.summary, published: false })
      .returning({ id: courses.id, slug: courses.slug })
      .get();
  });
}

/** The slug stays as it was: links and certificates already name it. */
export function updateCourse(courseId: number, details: CourseDetails): "saved" | "notFound" {
  const updated = db
    .update(courses)
    .set({ title: details.title, summary: details.summary, certificateMinutes: details.certificateMinutes ?? null })
    .where(eq(courses.id, courseId))
    .run();
  return updated.changes === 1 ? "saved" : "notFound";
}

/** Course positions may repeat, so the catalog is numbered afresh with the two courses swapped. */
export function moveCourse(courseId: number, direction: Direction): "saved" | "notFound" {
  return db.transaction((tx) => {
    const order = tx
      .select({ id: courses.id, position: courses.position })
      .from(courses)
      .orderBy(asc(courses.position), asc(courses.id))
      .all();
    const index = order.findIndex((course) => course.id === courseId);
    if (index < 0) return "notFound";
    const other = direction === "up" ? index - 1 : index + 1;
    if (other < 0 || other >= order.length) return "saved";
    [order[index], order[other]] = [order[other]!, order[index]!];
    order.forEach((course, newIndex) => {
      if (course.position !== newIndex + 1)
        tx.update(courses)
          .set({ position: newIndex + 1 })
          .where(eq(courses.id, course.id))
          .run();
    });
    return "saved";
  });
}

/** Publishing needs a published module with a film, or learners would open an empty course. */
export function setCoursePublished(courseId: number, published: boolean): "saved" | "notFound" | "noFilm" {
  return db.transaction((tx) => {
    if (!courseExists(tx, courseId)) return "notFound";
    if (published) {
      const playable = tx
        .select({ id: modules.id })
        .from(modules)
        .where(and(eq(modules.courseId, courseId), eq(modules.published, true), isNotNull(modules.mediaVersion)))
        .get();
      if (!playable) return "noFilm";
    }
    tx.update(courses).set({ published }).where(eq(courses.id, courseId)).run();
    return "saved";
  });
}
