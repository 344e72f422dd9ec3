import { and, asc, eq, inArray } from "drizzle-orm";
import { courses, moduleProgress, modules, reflectionQuestions } from "#db/schema";
import { db } from "~/db.server";
import type { SessionUser } from "~/auth/session.server";
import { moduleCompletions, type QuizStanding } from "~/learning/completion.server";
import { accessibleCourseIds } from "~/licensing/access.server";
import { learnerObligations } from "~/training/obligations.server";

type Viewer = Pick<SessionUser, "id" | "platformRole">;

/** "watched": the film is seen but the module's quiz is not yet passed. */
export type ModuleState = "notStarted" | "started" | "watched" | "complete";

export type ModuleSummary = {
  id: number;
  slug: string;
  position: number;
  title: string;
  durationSeconds: number | null;
  playedFraction: number;
  state: ModuleState;
  /** Null when the module has no quiz. */
  quiz: QuizStanding | null;
};

export type CourseSummary = {
  id: number;
  slug: string;
  title: string;
  summary: string;
  modules: ModuleSummary[];
  /** Films watched, whether or not their quizzes are passed. */
  watchedCount: number;
  /** Modules complete: the film watched and the quiz, if any, passed. The course's progress. */
  completedCount: number;
  totalSeconds: number;
  /** The first module not yet complete, where "continue" should lead. */
  nextModuleSlug: string | null;
};

function moduleState(complete: boolean, watched: boolean, playedFraction: number): ModuleState {
  if (complete) return "complete";
  if (watched) return "watched";
  return playedFraction > 0 ? "started" : "notStarted";
}

function summariseCourses(viewer: Viewer, courseIds: number[]): CourseSummary[] {
  if (courseIds.length === 0) return [];
  const courseRows = db
    .select()
    .from(courses)
    .where(inArray(courses.id, courseIds))
    .orderBy(asc(courses.position))
    .all();
  const moduleRows = db
    .select({
      id: modules.id,
      courseId: modules.courseId,
      slug: modules.slug,
      position: modules.position,
      title: modules.title,
      durationSeconds: modules.durationSeconds,
      playedMs: moduleProgress.playedMs,
    })
    .from(modules)
    .leftJoin(moduleProgress, and(eq(moduleProgress.moduleId, modules.id), eq(moduleProgress.userId, viewer.id)))
    // Like unpublished courses, unpublished modules are the owner's to preview and no one else's.
    .where(
      and(
        inArray(modules.courseId, courseIds),
        viewer.platformRole === "owner" ? undefined : eq(modules.published, true),
      ),
    )
    .orderBy(asc(modules.courseId), asc(modules.position))
    .all();
  const completions = moduleCompletions(
    viewer.id,
    moduleRows.map((row) => row.id),
  );

  return courseRows.map((course) => {
    const courseModules: ModuleSummary[] = moduleRows
      .filter((row) => row.courseId === course.id)
      .map((row) => {
        const durationMs = (row.durationSeconds ?? 0) * 1000;
        const playedFraction = durationMs > 0 ? Math.min(1, (row.playedMs ?? 0) / durationMs) : 0;
        const completion = completions.get(row.id);
        return {
          id: row.id,
          slug: row.slug,
          position: row.position,
          title: row.title,
          durationSeconds: row.durationSeconds,
          playedFraction,
          state: moduleState(completion?.complete ?? false, completion?.watched ?? false, playedFraction),
          quiz: completion?.quiz ?? null,
        };
      });
    return {
      id: course.id,
      slug: course.slug,
      title: course.title,
      summary: course.summary,
      modules: courseModules,
      watchedCount: courseModules.filter((m) => m.state === "watched" || m.state === "complete").length,
      completedCount: courseModules.filter((m) => m.state === "complete").length,
      totalSeconds: courseModules.reduce((sum, m) => sum + (m.durationSeconds ?? 0), 0),
      nextModuleSlug: courseModules.find((m) => m.state !== "complete")?.slug ?? null,
    };
  });
}

/** The courses the viewer may take, in catalog order, with their own progress. */
export function listCoursesForViewer(viewer: Viewer): CourseSummary[] {
  return summariseCourses(viewer, accessibleCourseIds(viewer));
}

/**
 * "Mine kurser": the courses a municipality has made mandatory for the viewer first, overdue ones
 * first and then by due date, each with its round; the optional courses after, in catalog order.
 */
export function myCourses(viewer: Viewer, now = new Date()) {
  const courses = summariseCourses(viewer, accessibleCourseIds(viewer, now));
  const mandatory = learnerObligations(viewer.id, now).flatMap((obligation) => {
    const course = courses.find((c) => c.id === obligation.courseId);
    return course ? [{ ...course, obligation }] : [];
  });
  const optional = courses.filter((course) => !mandatory.some((m) => m.id === course.id));
  return { mandatory, optional };
}

export type CourseLookup = { status: "ok"; course: CourseSummary } | { status: "notFound" } | { status: "forbidden" };

export function findCourseForViewer(viewer: Viewer, courseSlug: string): CourseLookup {
  const course = db.select({ id: courses.id }).from(courses).where(eq(courses.slug, courseSlug)).get();
  if (!course) return { status: "notFound" };
  if (!accessibleCourseIds(viewer).includes(course.id)) return { status: "forbidden" };
  const [summary] = summariseCourses(viewer, [course.id]);
  return summary ? { status: "ok", course: summary } : { status: "notFound" };
}

export type ModuleDetail = {
  course: CourseSummary;
  module: {
    id: number;
    slug: string;
    position: number;
    title: string;
    description: string;
    durationSeconds: number | null;
    mediaVersion: string | null;
    reflectionQuestions: string[];
  };
  /** The module's own progress and quiz standing. */
  summary: ModuleSummary;
  previous: ModuleSummary | null;
  next: ModuleSummary | null;
};

export type ModuleLookup = { status: "ok"; detail: ModuleDetail } | { status: "notFound" } | { status: "forbidden" };

export function findModuleForViewer(viewer: Viewer, courseSlug: string, moduleSlug: string): ModuleLookup {
  const found = findCourseForViewer(viewer, courseSlug);
  if (found.status !== "ok") return found;
  const index = found.course.modules.findIndex((m) => m.slug === moduleSlug);
  const summary = found.course.modules[index];
  const row = db
    .select()
    .from(modules)
    .where(and(eq(modules.slug, moduleSlug), eq(modules.courseId, found.course.id)))
    .get();
  if (!summary || !row) return { status: "notFound" };
  const questions = db
    .select({ text: reflectionQuestions.text })
    .from(reflectionQuestions)
    .where(eq(reflectionQuestions.moduleId, row.id))
    .orderBy(asc(reflectionQuestions.position))
    .all();
  return {
    status: "ok",
    detail: {
      course: found.course,
      module: {
        id: row.id,
        slug: row.slug,
        position: row.position,
        title: row.title,
        description: row.description,
        durationSeconds: row.durationSeconds,
        mediaVersion: row.mediaVersion,
        reflectionQuestions: questions.map((q) => q.text),
      },
      summary,
      previous: found.course.modules[index - 1] ?? null,
      next: found.course.modules[index + 1] ?? null,
    },
  };
}

/** The module's course, media folder and whether learners may see it, for the media route's access check. */
export function findModuleMedia(moduleId: number) {
  return (
    db
      .select({
        slug: modules.slug,
        courseId: modules.courseId,
        mediaVersion: modules.mediaVersion,
        published: modules.published,
      })
      .from(modules)
      .where(eq(modules.id, moduleId))
      .get() ?? null
  );
}
