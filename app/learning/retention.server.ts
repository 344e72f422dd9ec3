import { and, asc, eq, ne, sql } from "drizzle-orm";
import {
  courses,
  moduleProgress,
  moduleProgressArchive,
  modules,
  professions,
  users,
  type Profession,
} from "#db/schema";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { db } from "~/db.server";
import { MIN_GROUP } from "~/feedback/forms";
import { idFromPath } from "~/utils/form-schema";
import { invariantResponse } from "~/utils/http.server";
import { parseStoredRanges } from "./progress.server";
import { coveredSecondSpans, retentionCounts, type RetentionCounts } from "./retention";
import { countedPeople } from "./statistics.server";

export type RetentionFilters = { organisationId: number | null; profession: Profession | null };

export type FilmRetention =
  /** The film has not been encoded, so it has no length to measure against. */
  | { status: "noFilm" }
  /** Fewer than MIN_GROUP people in the group: no figure at all, not even how many. */
  | { status: "tooFew" }
  | { status: "shown"; people: number; counts: RetentionCounts };

/**
 * The filters as the address names them: kommune (an id) and faggruppe (a profession). Anything
 * else there is not a filter the page offers, so it is refused rather than quietly ignored.
 */
export function parseRetentionFilters(search: URLSearchParams): RetentionFilters {
  const organisationParam = search.get("kommune") ?? "";
  const professionParam = search.get("faggruppe") ?? "";
  const organisationId = organisationParam === "" ? null : idFromPath(organisationParam);
  const profession = professions.find((candidate) => candidate === professionParam) ?? null;
  invariantResponse(organisationParam === "" || organisationId !== null, "retention.filterUnreadable");
  invariantResponse(professionParam === "" || profession !== null, "retention.filterUnreadable");
  return { organisationId, profession };
}

/** Every film the owner can pick, course by course in the order of the studio. */
export function retentionFilms() {
  return db
    .select({ id: modules.id, title: modules.title, courseTitle: courses.title })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .orderBy(asc(courses.position), asc(modules.position))
    .all();
}

/** The film being looked at, or null when there is no such module. */
export function retentionFilm(moduleId: number) {
  return (
    db
      .select({ id: modules.id, title: modules.title, durationSeconds: modules.durationSeconds })
      .from(modules)
      .where(eq(modules.id, moduleId))
      .get() ?? null
  );
}

/**
 * Every round of viewing of the film by the people the filters select: the live row of each person
 * and the rounds archived when a refresher started the course again. An archived round is a
 * viewing of its own: the person came back to the film months later, and where they stopped then
 * says as much about the film as the first time; pooling the rounds would let one round's ranges
 * hide the other's drop-off. Learners only (the owner trying out her films is not counted), and a
 * person with memberships of two municipalities counts in each, as on the statistics page.
 */
function viewingRounds(moduleId: number, filters: RetentionFilters) {
  const inGroup = (userId: SQLiteColumn) =>
    and(
      countedPeople(userId, filters.organisationId),
      filters.profession == null
        ? undefined
        : sql`${userId} in (select ${users.id} from ${users} where ${users.profession} = ${filters.profession})`,
    );
  const live = db
    .select({ userId: moduleProgress.userId, playedRanges: moduleProgress.playedRanges })
    .from(moduleProgress)
    .where(
      and(eq(moduleProgress.moduleId, moduleId), ne(moduleProgress.playedRanges, "[]"), inGroup(moduleProgress.userId)),
    );
  const archived = db
    .select({ userId: moduleProgressArchive.userId, playedRanges: moduleProgressArchive.playedRanges })
    .from(moduleProgressArchive)
    .where(
      and(
        eq(moduleProgressArchive.moduleId, moduleId),
        ne(moduleProgressArchive.playedRanges, "[]"),
        inGroup(moduleProgressArchive.userId),
      ),
    );
  return live.unionAll(archived).all();
}

/**
 * The retention curve of one film for the group the filters select: per whole second how many
 * viewings were watching, where they stopped for good and where they skipped ahead. Under
 * MIN_GROUP people nothing is counted out, so a narrow filter cannot single anyone out.
 */
export function filmRetention(
  film: { id: number; durationSeconds: number | null },
  filters: RetentionFilters,
): FilmRetention {
  if (!film.durationSeconds) return { status: "noFilm" };
  const duration = film.durationSeconds;
  const rounds = viewingRounds(film.id, filters).map((round) => ({
    userId: round.userId,
    ranges: parseStoredRanges(round.playedRanges),
  }));
  // Viewers are the people with a round that covered a whole second; a glimpse is not a viewing.
  const people = new Set(
    rounds.filter((round) => coveredSecondSpans(round.ranges, duration).length > 0).map((round) => round.userId),
  ).size;
  if (people < MIN_GROUP) return { status: "tooFew" };
  const counts = retentionCounts(
    rounds.map((round) => round.ranges),
    duration,
  );
  return { status: "shown", people, counts };
}
