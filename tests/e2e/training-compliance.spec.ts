import { expect, test } from "@playwright/test";
import { and, eq, inArray, like } from "drizzle-orm";
import {
  courses,
  memberships,
  organisations,
  organisationUnits,
  rateLimits,
  trainingAssignments,
  trainingCycles,
  users,
} from "#db/schema";
import { openDatabase } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { expectNoSeriousViolations, serverDatabaseFile, signIn } from "./helpers";

const OVERDUE = { email: "kim.overblik@demo-kommune.dk", name: "Kim Overblik", unit: "Skovbrynets Børnehus" };
const ON_TIME = { email: "pia.overblik@demo-kommune.dk", name: "Pia Overblik", unit: "Sundhedsplejen" };

/**
 * Two people of their own in Demo Kommune, so no other spec's learner gets a mandatory course: one
 * in the leader's unit who is past the deadline, one in another unit who has just started. Written
 * straight to the browser tests' database, as rounds are opened by a job the e2e server does not run.
 */
function arrange(baseURL: string) {
  const { db, sqlite } = openDatabase(serverDatabaseFile(baseURL));
  try {
    const demo = db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, "demo-kommune"))
      .get()!;
    const course = db
      .select({ id: courses.id })
      .from(courses)
      .where(eq(courses.slug, "unges-egne-fortaellinger"))
      .get()!;
    const today = danishDate();
    // A retry against the same server starts afresh.
    const earlier = db
      .select({ id: users.id })
      .from(users)
      .where(like(users.email, "%.overblik@demo-kommune.dk"))
      .all();
    if (earlier.length > 0)
      db.delete(users)
        .where(
          inArray(
            users.id,
            earlier.map((row) => row.id),
          ),
        )
        .run();
    db.delete(rateLimits)
      .where(like(rateLimits.key, `%${OVERDUE.email}%`))
      .run();
    const assignment = db
      .insert(trainingAssignments)
      .values({ organisationId: demo.id, courseId: course.id, scope: "everyone", dueMode: "date", dueOn: today })
      .returning({ id: trainingAssignments.id })
      .get();
    for (const [person, dueOn] of [
      [OVERDUE, shiftDays(today, -12)],
      [ON_TIME, shiftDays(today, 20)],
    ] as const) {
      const user = db
        .insert(users)
        .values({ email: person.email, name: person.name, passwordHash: null })
        .returning({ id: users.id })
        .get();
      const unit = db
        .select({ id: organisationUnits.id })
        .from(organisationUnits)
        .where(and(eq(organisationUnits.organisationId, demo.id), eq(organisationUnits.name, person.unit)))
        .get()!;
      db.insert(memberships)
        .values({ userId: user.id, organisationId: demo.id, role: "learner", unitId: unit.id })
        .run();
      db.insert(trainingCycles)
        .values({
          organisationId: demo.id,
          userId: user.id,
          courseId: course.id,
          assignmentId: assignment.id,
          number: 1,
          openedOn: shiftDays(today, -40),
          dueOn,
          startedAt: new Date(),
        })
        .run();
    }
  } finally {
    sqlite.close();
  }
}

test("the admin sees the overview with the overdue and reminds them; the leader sees their own unit only", async ({
  browser,
  baseURL,
}) => {
  arrange(baseURL!);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "admin@demo-kommune.dk");
  await admin.goto("/administration/obligatorisk/overblik");
  await expect(admin.getByRole("heading", { level: 1, name: "Overblik over obligatoriske kurser" })).toBeVisible();
  const perUnit = admin.getByRole("region", { name: "Pr. enhed" });
  await expect(perUnit.getByRole("row", { name: /Skovbrynets Børnehus/ })).toBeVisible();
  await expect(perUnit.getByRole("row", { name: /Sundhedsplejen/ })).toBeVisible();
  await expectNoSeriousViolations(admin);
  await admin.getByRole("button", { name: `Send påmindelse til ${OVERDUE.name} om Unges egne fortællinger` }).click();
  await expect(admin.getByRole("status")).toHaveText(`Påmindelsen er sendt til ${OVERDUE.name}.`);
  await admin.getByRole("button", { name: `Send påmindelse til ${OVERDUE.name} om Unges egne fortællinger` }).click();
  await expect(admin.getByRole("alert")).toContainText(`${OVERDUE.name} har allerede fået en påmindelse i dag.`);
  await adminContext.close();

  const leaderContext = await browser.newContext();
  const leader = await leaderContext.newPage();
  await signIn(leader, "leder@demo-kommune.dk");
  await leader.goto("/leder/obligatorisk/overblik");
  await expect(
    leader.getByRole("heading", { level: 2, name: "Obligatoriske kurser i Skovbrynets Børnehus" }),
  ).toBeVisible();
  await expect(leader.getByRole("cell", { name: OVERDUE.name, exact: true })).toBeVisible();
  await expect(leader.getByText(ON_TIME.name)).toHaveCount(0);
  await expect(leader.getByRole("region", { name: "Pr. enhed" })).toHaveCount(0);
  await leaderContext.close();
});
