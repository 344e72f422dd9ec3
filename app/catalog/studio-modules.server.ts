import { and, asc, desc, eq, gt, lt, max } from "drizzle-orm";
import { modules, reflectionQuestions } from "#db/schema";
import { db } from "~/db.server";
import { hasDanishSubtitles } from "~/media/version-store.server";
import { RESERVED_MODULE_SLUGS, slugFromTitle, unusedSlug } from "./slugs";
import { courseExists, type Direction } from "./studio-courses.server";

// The owner sees and changes everything, so these take no viewer: the routes let only the owner in.

export type ModuleDetails = { title: string; description: string };

/**
 * A new module, last in its course and hidden until published. Its slug names its media folder
 * and sits beside the learner's own pages, so it is unique everywhere and never reserved. Its
 * film will be uploaded, so the demo's placeholder builder must not make one for it.
 */
export function createModule(
  courseId: number,
  details: ModuleDetails,
): { status: "created"; id: number; slug: string } | { status: "notFound" } {
  return db.transaction((tx) => {
    if (!courseExists(tx, courseId)) return { status: "notFound" as const };
    const slug = unusedSlug(
      slugFromTitle(details.title, "modul"),
      (candidate) =>
        RESERVED_MODULE_SLUGS.includes(candidate) ||
        tx.select({ id: modules.id }).from(modules).where(eq(modules.slug, candidate)).get() !== undefined,
    );
    const last =
      tx
        .select({ position: max(modules.position) })
        .from(modules)
        .where(eq(modules.courseId, courseId))
        .get()?.position ?? 0;
    const created = tx
      .insert(modules)
      .values({
        courseId,
        slug,
        position: last + 1,
        title: details.title,
        description: details.description,
        published: false,
        mediaSource: "upload",
      })
      .returning({ id: modules.id, slug: modules.slug })
      .get();
    return { status: "created" as const, ...created };
  });
}

export function updateModule(moduleId: number, details: ModuleDetails): "saved" | "notFound" {
  const updated = db
    .update(modules)
    .set({ title: details.title, description: details.description })
    .where(eq(modules.id, moduleId))
    .run();
  return updated.changes === 1 ? "saved" : "notFound";
}

/** Swaps the module with its neighbour in the course; a module already first or last stays. */
export function moveModule(courseId: number, moduleId: number, direction: Direction): "saved" | "notFound" {
  return db.transaction((tx) => {
    const current = tx
      .select({ position: modules.position })
      .from(modules)
      .where(and(eq(modules.id, moduleId), eq(modules.courseId, courseId)))
      .get();
    if (!current) return "notFound";
    const neighbour = tx
      .select({ id: modules.id, position: modules.position })
      .from(modules)
      .where(
        and(
          eq(modules.courseId, courseId),
          direction === "up" ? lt(modules.position, current.position) : gt(modules.position, current.position),
        ),
      )
      .orderBy(direction === "up" ? desc(modules.position) : asc(modules.position))
      .get();
    if (!neighbour) return "saved";
    // Positions are unique within a course, so one of the two waits on a position no module uses.
    tx.update(modules).set({ position: -moduleId }).where(eq(modules.id, moduleId)).run();
    tx.update(modules).set({ position: current.position }).where(eq(modules.id, neighbour.id)).run();
    tx.update(modules).set({ position: neighbour.position }).where(eq(modules.id, moduleId)).run();
    return "saved";
  });
}

/** Only a module with a film can be published; `courseId`, when given, is the course it must belong to. */
export function setModulePublished(
  moduleId: number,
  published: boolean,
  courseId?: number,
): "saved" | "notFound" | "noFilm" | "noSubtitles" {
  return db.transaction((tx) => {
    const module = tx
      .select({ courseId: modules.courseId, slug: modules.slug, mediaVersion: modules.mediaVersion })
      .from(modules)
      .where(eq(modules.id, moduleId))
      .get();
    if (!module || (courseId !== undefined && module.courseId !== courseId)) return "notFound";
    if (published && module.mediaVersion === null) return "noFilm";
    // Films published by a public body must be captioned; the studio's only subtitle track is Danish.
    if (published && !hasDanishSubtitles(module.slug, module.mediaVersion, tx)) return "noSubtitles";
    tx.update(modules).set({ published }).where(eq(modules.id, moduleId)).run();
    return "saved";
  });
}

/** The module's questions become exactly these, in this order. */
export function saveReflectionQuestions(moduleId: number, questions: string[]): "saved" | "notFound" {
  return db.transaction((tx) => {
    if (!tx.select({ id: modules.id }).from(modules).where(eq(modules.id, moduleId)).get()) return "notFound";
    tx.delete(reflectionQuestions).where(eq(reflectionQuestions.moduleId, moduleId)).run();
    if (questions.length > 0) {
      tx.insert(reflectionQuestions)
        .values(questions.map((text, index) => ({ moduleId, position: index + 1, text })))
        .run();
    }
    return "saved";
  });
}
