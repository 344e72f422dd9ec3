import { asc, count, eq } from "drizzle-orm";
import * as schema from "#db/schema";
import { seedDatabase } from "~/cli/seed/seed-database";
import { db } from "~/db.server";
import { dumpTables } from "../utils/table-dump";

function counts() {
  const tables = {
    users: schema.users,
    organisations: schema.organisations,
    memberships: schema.memberships,
    courses: schema.courses,
    modules: schema.modules,
    reflectionQuestions: schema.reflectionQuestions,
    plans: schema.plans,
    licences: schema.licences,
    licenceCourses: schema.licenceCourses,
    seats: schema.seats,
    seatEvents: schema.seatEvents,
    eanLocations: schema.eanLocations,
  };
  return Object.fromEntries(
    Object.entries(tables).map(([name, table]) => [name, db.select({ n: count() }).from(table).get()?.n ?? 0]),
  );
}

/** Every row of every table; reflection questions are written anew on each run (nothing refers to them), so without their ids. */
function everyRow() {
  const tables = dumpTables();
  const questions = (tables.reflection_questions ?? []) as Record<string, unknown>[];
  return { ...tables, reflection_questions: questions.map(({ id: _id, ...rest }) => rest) };
}

describe("the demo seed", () => {
  it("creates 16 films in 4 courses, two municipalities, the pilot licence and the demo accounts", () => {
    const now = counts();
    expect(now.courses).toBe(4);
    expect(now.modules).toBe(16);
    expect(now.organisations).toBe(2);
    expect(now.users).toBe(7);
    expect(now.reflectionQuestions).toBeGreaterThanOrEqual(48);
    expect(now.plans).toBe(2);
    expect(now.licences).toBe(1);
    expect(now.licenceCourses).toBe(4);
    expect(now.seats).toBe(4);
    expect(now.seatEvents).toBe(4);
  });

  it("changes nothing when run again", async () => {
    const before = everyRow();
    expect(Object.keys(before).length).toBeGreaterThan(30);
    await seedDatabase(db);
    await seedDatabase(db);
    expect(everyRow()).toEqual(before);
  });

  it("keeps the modules the owner added to a demo course after its films, in their order", async () => {
    const course = db.select().from(schema.courses).where(eq(schema.courses.slug, "unges-egne-fortaellinger")).get()!;
    for (const [slug, position] of [
      ["ejerens-foerste", 5],
      ["ejerens-anden", 6],
    ] as const) {
      db.insert(schema.modules)
        .values({
          courseId: course.id,
          slug,
          position,
          title: slug,
          description: "Lagt til i studiet.",
          published: false,
        })
        .run();
    }
    await seedDatabase(db);
    const order = db
      .select({ slug: schema.modules.slug, position: schema.modules.position })
      .from(schema.modules)
      .where(eq(schema.modules.courseId, course.id))
      .orderBy(asc(schema.modules.position))
      .all();
    expect(order.map((m) => m.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(order.slice(4).map((m) => m.slug)).toEqual(["ejerens-foerste", "ejerens-anden"]);
  });
});
