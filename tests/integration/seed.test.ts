import { count } from "drizzle-orm";
import * as schema from "#db/schema";
import { seedDatabase } from "#db/seed";
import { db } from "~/db.server";

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
    const before = counts();
    const usersBefore = db.select().from(schema.users).all();
    await seedDatabase(db);
    await seedDatabase(db);
    expect(counts()).toEqual(before);
    expect(db.select().from(schema.users).all()).toEqual(usersBefore);
  });
});
