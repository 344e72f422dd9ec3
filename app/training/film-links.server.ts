import { and, asc, eq, inArray } from "drizzle-orm";
import { modules } from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { completedModulesByUser } from "~/learning/completion.server";

export type CoursePerson = { userId: number; courseId: number; courseSlug: string };

/**
 * Where each person should go on with a course: the first published module, in course order,
 * they have not completed yet, as a full address for a mail or a calendar. A course with nothing
 * left (completed since the round was last looked at) or without modules opens on its own page.
 * One query per course, however many people. Keyed `${userId}:${courseId}`.
 */
export function filmLinks(people: CoursePerson[]): Map<string, string> {
  const base = getEnv().PUBLIC_URL;
  const links = new Map<string, string>();
  const byCourse = new Map<number, CoursePerson[]>();
  for (const person of people) byCourse.set(person.courseId, [...(byCourse.get(person.courseId) ?? []), person]);
  const courseIds = [...byCourse.keys()];
  const moduleRows =
    courseIds.length === 0
      ? []
      : db
          .select({ id: modules.id, slug: modules.slug, courseId: modules.courseId })
          .from(modules)
          .where(and(inArray(modules.courseId, courseIds), eq(modules.published, true)))
          .orderBy(asc(modules.position))
          .all();
  for (const [courseId, coursePeople] of byCourse) {
    const courseModules = moduleRows.filter((row) => row.courseId === courseId);
    const completed = completedModulesByUser(
      coursePeople.map((person) => person.userId),
      courseModules.map((row) => row.id),
    );
    for (const person of coursePeople) {
      const done = completed.get(person.userId);
      const next = courseModules.find((row) => !done?.has(row.id));
      const path = next ? `/kurser/${person.courseSlug}/${next.slug}` : `/kurser/${person.courseSlug}`;
      links.set(`${person.userId}:${courseId}`, `${base}${path}`);
    }
  }
  return links;
}

/** Where one person should go on with one course (see filmLinks). */
export function filmLink(person: CoursePerson): string {
  return filmLinks([person]).values().next().value ?? `${getEnv().PUBLIC_URL}/kurser/${person.courseSlug}`;
}
