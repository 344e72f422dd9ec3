import { desc, eq } from "drizzle-orm";
import { courses, type mediaJobKinds, mediaJobs, modules, type MediaJobStatus } from "#db/schema";
import { db } from "~/db.server";
import { storedVersion } from "./version-store.server";

export type MediaJobView = {
  id: number;
  kind: (typeof mediaJobKinds)[number];
  originalName: string;
  status: MediaJobStatus;
  progressPermille: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

/** The module's latest jobs, newest first, as the studio shows them. */
export function recentMediaJobs(moduleId: number, limit = 10): MediaJobView[] {
  return db
    .select({
      id: mediaJobs.id,
      kind: mediaJobs.kind,
      originalName: mediaJobs.originalName,
      status: mediaJobs.status,
      progressPermille: mediaJobs.progressPermille,
      error: mediaJobs.error,
      createdAt: mediaJobs.createdAt,
      finishedAt: mediaJobs.finishedAt,
    })
    .from(mediaJobs)
    .where(eq(mediaJobs.moduleId, moduleId))
    .orderBy(desc(mediaJobs.id))
    .limit(limit)
    .all();
}

/** What the studio's film page shows of a module: its current film and its latest jobs. */
export async function moduleFilmOverview(moduleId: number) {
  const row = db
    .select({
      id: modules.id,
      title: modules.title,
      slug: modules.slug,
      courseId: courses.id,
      courseTitle: courses.title,
      durationSeconds: modules.durationSeconds,
      mediaVersion: modules.mediaVersion,
      mediaSource: modules.mediaSource,
    })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(modules.id, moduleId))
    .get();
  if (!row) return null;
  const stored = row.mediaVersion ? storedVersion(row.slug, row.mediaVersion) : undefined;
  return {
    module: { id: row.id, title: row.title, courseId: row.courseId, courseTitle: row.courseTitle },
    film: row.mediaVersion
      ? {
          durationSeconds: row.durationSeconds ?? stored?.durationSeconds ?? 0,
          subtitles: stored?.subtitles ?? false,
          describedAudio: stored?.describedAudio ?? false,
          source: row.mediaSource,
        }
      : null,
    jobs: recentMediaJobs(moduleId),
  };
}

/** The module a film or subtitles are uploaded for, or null when there is none with that id. */
export function uploadTarget(moduleId: number) {
  const row = db
    .select({ moduleId: modules.id, mediaVersion: modules.mediaVersion })
    .from(modules)
    .where(eq(modules.id, moduleId))
    .get();
  return row ?? null;
}
