import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, max, sql } from "drizzle-orm";
import {
  courses,
  licenceCourses,
  licences,
  modules,
  orders,
  organisations,
  planCourses,
  plans,
  quizQuestions,
  quizzes,
  reflectionQuestions,
} from "#db/schema";
import { db, type Tx } from "~/db.server";
import { danishDate } from "~/i18n/dates";
import { RESERVED_MODULE_SLUGS, slugFromTitle, unusedSlug } from "./slugs";

// The owner sees and changes everything, so these take no viewer: the routes let only the owner in.

export type Direction = "up" | "down";
export type CourseDetails = { title: string; summary: string; certificateMinutes?: number };
export type ModuleDetails = { title: string; description: string };

export type StudioModule = {
  id: number;
  slug: string;
  title: string;
  published: boolean;
  hasFilm: boolean;
  durationSeconds: number | null;
  /** Null when the module has no quiz. */
  quizQuestionCount: number | null;
  reflectionCount: number;
};

function studioModules(courseIds: number[]) {
  if (courseIds.length === 0) return [];
  return db
    .select({
      id: modules.id,
      courseId: modules.courseId,
      slug: modules.slug,
      title: modules.title,
      published: modules.published,
      mediaVersion: modules.mediaVersion,
      durationSeconds: modules.durationSeconds,
      quizId: quizzes.id,
      quizQuestionCount: sql<number>`(select count(*) from ${quizQuestions} where ${quizQuestions.quizId} = ${quizzes.id})`,
      reflectionCount: sql<number>`(select count(*) from ${reflectionQuestions} where ${reflectionQuestions.moduleId} = ${modules.id})`,
    })
    .from(modules)
    .leftJoin(quizzes, eq(quizzes.moduleId, modules.id))
    .where(inArray(modules.courseId, courseIds))
    .orderBy(asc(modules.courseId), asc(modules.position))
    .all()
    .map((row) => ({
      courseId: row.courseId,
      module: {
        id: row.id,
        slug: row.slug,
        title: row.title,
        published: row.published,
        hasFilm: row.mediaVersion !== null,
        durationSeconds: row.durationSeconds,
        quizQuestionCount: row.quizId === null ? null : row.quizQuestionCount,
        reflectionCount: row.reflectionCount,
      } satisfies StudioModule,
    }));
}

/** Learners see a published course's published modules, and only those with a film can be played. */
function learnersSeeAFilm(courseModules: StudioModule[]) {
  return courseModules.some((module) => module.published && module.hasFilm);
}

/** Every course in catalog order, with what each module has and lacks. */
export function studioOverview() {
  const courseRows = db
    .select({ id: courses.id, slug: courses.slug, title: courses.title, published: courses.published })
    .from(courses)
    .orderBy(asc(courses.position), asc(courses.id))
    .all();
  const rows = studioModules(courseRows.map((course) => course.id));
  return courseRows.map((course) => {
    const courseModules = rows.filter((row) => row.courseId === course.id).map((row) => row.module);
    return { ...course, modules: courseModules, showsAFilm: learnersSeeAFilm(courseModules) };
  });
}

/** One course with its modules, the licences it can be given to and the plans on sale; null if unknown. */
export function studioCourse(courseId: number, now = new Date()) {
  const course = db
    .select({
      id: courses.id,
      slug: courses.slug,
      title: courses.title,
      summary: courses.summary,
      published: courses.published,
      certificateMinutes: courses.certificateMinutes,
    })
    .from(courses)
    .where(eq(courses.id, courseId))
    .get();
  if (!course) return null;
  const courseModules = studioModules([courseId]).map((row) => row.module);
  const coursePlans = db
    .select({
      id: plans.id,
      name: plans.name,
      active: plans.active,
      includesCourse:
        sql<boolean>`exists (select 1 from ${planCourses} where ${planCourses.planId} = ${plans.id} and ${planCourses.courseId} = ${courseId})`.mapWith(
          Boolean,
        ),
    })
    .from(plans)
    .orderBy(asc(plans.name), asc(plans.id))
    .all();
  return {
    course: {
      ...course,
      showsAFilm: learnersSeeAFilm(courseModules),
      // Municipalities can only buy the course through a plan on sale that includes it.
      forSale: coursePlans.some((plan) => plan.active && plan.includesCourse),
    },
    modules: courseModules,
    // A licence that has ended opens nothing, so only running and coming ones are offered. One
    // municipality can hold several alike, so each comes with what tells it apart: the plan it
    // was bought as and the municipality's own reference on the order that created it.
    licences: db
      .select({
        id: licences.id,
        organisationName: organisations.name,
        planName: plans.name,
        orderReference: sql<
          string | null
        >`(select ${orders.orderReference} from ${orders} where ${orders.licenceId} = ${licences.id} order by ${orders.id} limit 1)`,
        startsOn: licences.startsOn,
        endsOn: licences.endsOn,
        seatCount: licences.seatCount,
        includesCourse:
          sql<boolean>`exists (select 1 from ${licenceCourses} where ${licenceCourses.licenceId} = ${licences.id} and ${licenceCourses.courseId} = ${courseId})`.mapWith(
            Boolean,
          ),
      })
      .from(licences)
      .innerJoin(organisations, eq(organisations.id, licences.organisationId))
      .leftJoin(plans, eq(plans.id, licences.planId))
      .where(gte(licences.endsOn, danishDate(now)))
      .orderBy(asc(organisations.name), asc(licences.startsOn), asc(licences.id))
      .all(),
    plans: coursePlans,
  };
}

/** One module with its course and reflection questions; null if unknown. */
export function studioModule(moduleId: number) {
  const row = db
    .select({
      id: modules.id,
      slug: modules.slug,
      title: modules.title,
      description: modules.description,
      published: modules.published,
      mediaVersion: modules.mediaVersion,
      durationSeconds: modules.durationSeconds,
      courseId: courses.id,
      courseSlug: courses.slug,
      courseTitle: courses.title,
    })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(modules.id, moduleId))
    .get();
  if (!row) return null;
  const { mediaVersion, courseId, courseSlug, courseTitle, ...module } = row;
  const quizQuestionCount = db
    .select({ n: sql<number>`count(${quizQuestions.id})` })
    .from(quizzes)
    .leftJoin(quizQuestions, eq(quizQuestions.quizId, quizzes.id))
    .where(eq(quizzes.moduleId, moduleId))
    .groupBy(quizzes.id)
    .get()?.n;
  return {
    course: { id: courseId, slug: courseSlug, title: courseTitle },
    module: { ...module, hasFilm: mediaVersion !== null, quizQuestionCount: quizQuestionCount ?? null },
    reflectionQuestions: db
      .select({ text: reflectionQuestions.text })
      .from(reflectionQuestions)
      .where(eq(reflectionQuestions.moduleId, moduleId))
      .orderBy(asc(reflectionQuestions.position))
      .all()
      .map((question) => question.text),
  };
}

function courseExists(tx: Tx, courseId: number) {
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
): "saved" | "notFound" | "noFilm" {
  return db.transaction((tx) => {
    const module = tx
      .select({ courseId: modules.courseId, mediaVersion: modules.mediaVersion })
      .from(modules)
      .where(eq(modules.id, moduleId))
      .get();
    if (!module || (courseId !== undefined && module.courseId !== courseId)) return "notFound";
    if (published && module.mediaVersion === null) return "noFilm";
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
