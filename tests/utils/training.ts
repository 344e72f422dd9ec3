import { eq } from "drizzle-orm";
import { organisations, organisationUnits, trainingAssignments, trainingCycles } from "#db/schema";
import { db } from "~/db.server";
import { courseIdOf } from "./feedback";
import { userIdByEmail } from "./requests";

/**
 * Rows of mandatory training written straight into the test database, for tests of one step
 * (reminders, overviews, refreshers) that should not depend on how rounds are opened. Tests of
 * assignments and rounds themselves go through app/training.
 */
export function organisationIdBySlug(slug: string): number {
  const row = db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)).get();
  if (!row) throw new Error(`No seeded organisation ${slug}`);
  return row.id;
}

export function unitIdByName(name: string): number {
  const row = db
    .select({ id: organisationUnits.id })
    .from(organisationUnits)
    .where(eq(organisationUnits.name, name))
    .get();
  if (!row) throw new Error(`No seeded unit ${name}`);
  return row.id;
}

type AssignmentRow = typeof trainingAssignments.$inferInsert;

/** A Demo Kommune assignment of "Unges egne fortællinger" to everyone, due on the given day unless overridden. */
export function givenAssignment(overrides: Partial<AssignmentRow> & { dueOn?: string } = {}) {
  const [row] = db
    .insert(trainingAssignments)
    .values({
      organisationId: organisationIdBySlug("demo-kommune"),
      courseId: courseIdOf("unges-egne-fortaellinger"),
      scope: "everyone",
      dueMode: "date",
      ...overrides,
      dueOn: overrides.dueMode === "afterSeat" ? null : (overrides.dueOn ?? "2027-03-01"),
    })
    .returning()
    .all();
  if (!row) throw new Error("The assignment was not written");
  return row;
}

type CycleRow = typeof trainingCycles.$inferInsert;

/** A current round for a seeded person under an assignment, open unless overridden. */
export function givenCycle(
  email: string,
  assignment: { id: number; organisationId: number; courseId: number },
  overrides: Partial<CycleRow> = {},
) {
  const [row] = db
    .insert(trainingCycles)
    .values({
      organisationId: assignment.organisationId,
      userId: userIdByEmail(email),
      courseId: assignment.courseId,
      assignmentId: assignment.id,
      number: 1,
      openedOn: "2027-01-01",
      dueOn: "2027-03-01",
      ...overrides,
    })
    .returning()
    .all();
  if (!row) throw new Error("The round was not written");
  return row;
}
