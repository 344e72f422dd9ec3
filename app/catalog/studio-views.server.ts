import { asc, eq, gte, inArray, sql } from "drizzle-orm";
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
import { db } from "~/db.server";
import { danishDate } from "~/i18n/dates";
import { hasDanishSubtitles } from "~/media/version-store.server";

// The owner sees and changes everything, so these take no viewer: the routes let only the owner in.

export type StudioModule = {
  id: number;
  slug: string;
  title: string;
  published: boolean;
  hasFilm: boolean;
  /** A module can be published only with a film that has Danish subtitles. */
  hasDanishSubtitles: boolean;
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
        hasDanishSubtitles: hasDanishSubtitles(row.slug, row.mediaVersion),
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
    module: {
      ...module,
      hasFilm: mediaVersion !== null,
      hasDanishSubtitles: hasDanishSubtitles(module.slug, mediaVersion),
      quizQuestionCount: quizQuestionCount ?? null,
    },
    reflectionQuestions: db
      .select({ text: reflectionQuestions.text })
      .from(reflectionQuestions)
      .where(eq(reflectionQuestions.moduleId, moduleId))
      .orderBy(asc(reflectionQuestions.position))
      .all()
      .map((question) => question.text),
  };
}
