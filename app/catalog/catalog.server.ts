import { and, asc, eq, inArray } from "drizzle-orm";
import { courses, moduleProgress, modules, reflectionQuestions } from "#db/schema";
import { db } from "~/db.server";
import type { SessionUser } from "~/auth/session.server";
import { accessibleCourseIds } from "~/licensing/access.server";

type Viewer = Pick<SessionUser, "id" | "platformRole">;

export type ModuleState = "notStarted" | "started" | "watched";

export type ModuleSummary = {
  id: number;
  slug: string;
  position: number;
  title: string;
  durationSeconds: number | null;
  playedFraction: number;
  state: ModuleState;
};

export type CourseSummary = {
  id: number;
  slug: string;
  title: string;
  summary: string;
  modules: ModuleSummary[];
  watchedCount: number;
  totalSeconds: number;
  /** The first module not yet watched, where "continue" should lead. */
  nextModuleSlug: string | null;
};

function moduleState(watched: boolean, playedFraction: number): ModuleState {
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
      watchedAt: moduleProgress.watchedAt,
    })
    .from(modules)
    .leftJoin(moduleProgress, and(eq(moduleProgress.moduleId, modules.id), eq(moduleProgress.userId, viewer.id)))
    .where(inArray(modules.courseId, courseIds))
    .orderBy(asc(modules.courseId), asc(modules.position))
    .all();

  return courseRows.map((course) => {
    const courseModules: ModuleSummary[] = moduleRows
      .filter((row) => row.courseId === course.id)
      .map((row) => {
        const durationMs = (row.durationSeconds ?? 0) * 1000;
        const playedFraction = durationMs > 0 ? Math.min(1, (row.playedMs ?? 0) / durationMs) : 0;
        return {
          id: row.id,
          slug: row.slug,
          position: row.position,
          title: row.title,
          durationSeconds: row.durationSeconds,
          playedFraction,
          state: moduleState(row.watchedAt != null, playedFraction),
        };
      });
    return {
      id: course.id,
      slug: course.slug,
      title: course.title,
      summary: course.summary,
      modules: courseModules,
      watchedCount: courseModules.filter((m) => m.state === "watched").length,
      totalSeconds: courseModules.reduce((sum, m) => sum + (m.durationSeconds ?? 0), 0),
      nextModuleSlug: courseModules.find((m) => m.state !== "watched")?.slug ?? null,
    };
  });
}

/** The courses the viewer may take, in catalog order, with their own progress. */
export function listCoursesForViewer(viewer: Viewer): CourseSummary[] {
  return summariseCourses(viewer, accessibleCourseIds(viewer));
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
  previous: ModuleSummary | null;
  next: ModuleSummary | null;
};

export type ModuleLookup = { status: "ok"; detail: ModuleDetail } | { status: "notFound" } | { status: "forbidden" };

export function findModuleForViewer(viewer: Viewer, courseSlug: string, moduleSlug: string): ModuleLookup {
  const found = findCourseForViewer(viewer, courseSlug);
  if (found.status !== "ok") return found;
  const index = found.course.modules.findIndex((m) => m.slug === moduleSlug);
  const row = db
    .select()
    .from(modules)
    .where(and(eq(modules.slug, moduleSlug), eq(modules.courseId, found.course.id)))
    .get();
  if (index < 0 || !row) return { status: "notFound" };
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
      previous: found.course.modules[index - 1] ?? null,
      next: found.course.modules[index + 1] ?? null,
    },
  };
}

/** The module's course and media folder, for the media route's access check. */
export function findModuleMedia(moduleId: number) {
  return (
    db
      .select({ slug: modules.slug, courseId: modules.courseId, mediaVersion: modules.mediaVersion })
      .from(modules)
      .where(eq(modules.id, moduleId))
      .get() ?? null
  );
}
