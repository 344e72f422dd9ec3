import { and, desc, eq, lt, sql } from "drizzle-orm";
import * as schema from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import type { Db, Tx } from "~/db.server";
import { isValidCvr, isValidEan } from "~/licensing/danish-ids";
import { createLicence } from "~/licensing/licences.server";
import { danishDate, firstOfMonth } from "~/i18n/dates";
import { periodEnd } from "~/licensing/periods";
import { DEMO_PASSWORD, demoOrganisations, demoOwner } from "./accounts";
import { seedCatalog } from "./catalog";
import { seedFeedback } from "./feedback";
import { municipalPlan, pilotDiscount, pilotPlan } from "./plans";
import { seedDemoQuizzes } from "./quizzes";

export function isDatabaseEmpty(db: Db) {
  return !db.select({ id: schema.users.id }).from(schema.users).limit(1).get();
}

/**
 * Creates the demo catalog, municipalities and accounts. Safe to run again: catalog texts
 * are brought up to date, while passwords, progress and media already built are left alone.
 */
export async function seedDatabase(db: Db, now = new Date()) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const organisation of demoOrganisations) {
    if (!isValidCvr(organisation.cvr) || !isValidEan(organisation.ean.ean)) {
      throw new Error(`Ugyldigt CVR- eller EAN-nummer i demodata for ${organisation.name}`);
    }
  }

  db.transaction((tx) => {
    const courseIds: number[] = [];
    seedCatalog.forEach((course, courseIndex) => {
      const courseRow = tx
        .insert(schema.courses)
        .values({ slug: course.slug, position: courseIndex + 1, title: course.title, summary: course.summary })
        .onConflictDoUpdate({
          target: schema.courses.slug,
          set: { position: courseIndex + 1, title: course.title, summary: course.summary },
        })
        .returning({ id: schema.courses.id })
        .get();
      courseIds.push(courseRow.id);

      // Positions are unique per course, so move the existing ones out of the way before renumbering.
      tx.update(schema.modules)
        .set({ position: sql`-${schema.modules.position}` })
        .where(eq(schema.modules.courseId, courseRow.id))
        .run();
      course.modules.forEach((module, moduleIndex) => {
        const moduleRow = tx
          .insert(schema.modules)
          .values({
            courseId: courseRow.id,
            slug: module.slug,
            position: moduleIndex + 1,
            title: module.title,
            description: module.description,
          })
          .onConflictDoUpdate({
            target: schema.modules.slug,
            set: {
              courseId: courseRow.id,
              position: moduleIndex + 1,
              title: module.title,
              description: module.description,
            },
          })
          .returning({ id: schema.modules.id })
          .get();
        tx.delete(schema.reflectionQuestions).where(eq(schema.reflectionQuestions.moduleId, moduleRow.id)).run();
        module.reflectionQuestions.forEach((text, questionIndex) => {
          tx.insert(schema.reflectionQuestions)
            .values({ moduleId: moduleRow.id, position: questionIndex + 1, text })
            .run();
        });
      });
      // Modules the owner added in the studio follow the demo films, in the order they had.
      const added = tx
        .select({ id: schema.modules.id })
        .from(schema.modules)
        .where(and(eq(schema.modules.courseId, courseRow.id), lt(schema.modules.position, 0)))
        .orderBy(desc(schema.modules.position))
        .all();
      added.forEach((module, index) => {
        tx.update(schema.modules)
          .set({ position: course.modules.length + index + 1 })
          .where(eq(schema.modules.id, module.id))
          .run();
      });
    });

    seedDemoQuizzes(tx, now);
    const pilotPlanId = ensurePilotPlan(tx, courseIds);
    for (const organisation of demoOrganisations) {
      const details = { name: organisation.name, cvr: organisation.cvr, ...organisation.address };
      const organisationRow = tx
        .insert(schema.organisations)
        .values({ slug: organisation.slug, ...details })
        .onConflictDoUpdate({ target: schema.organisations.slug, set: details })
        .returning({ id: schema.organisations.id })
        .get();
      for (const domain of organisation.domains) {
        tx.insert(schema.organisationDomains)
          .values({ domain, organisationId: organisationRow.id })
          .onConflictDoNothing()
          .run();
      }
      const unitIds = new Map<string, number>();
      for (const unit of organisation.units) {
        const row = tx
          .insert(schema.organisationUnits)
          .values({ organisationId: organisationRow.id, ...unit })
          .onConflictDoUpdate({
            target: [schema.organisationUnits.organisationId, schema.organisationUnits.name],
            set: { kind: unit.kind },
          })
          .returning({ id: schema.organisationUnits.id })
          .get();
        unitIds.set(unit.name, row.id);
      }
      tx.insert(schema.eanLocations)
        .values({ organisationId: organisationRow.id, ...organisation.ean })
        .onConflictDoNothing()
        .run();
      const licenceId = organisation.holdsPilotLicence
        ? ensurePilotLicence(tx, organisationRow.id, pilotPlanId, courseIds, now)
        : null;
      for (const person of organisation.people) {
        const userId = ensureUser(tx, person.email, person.name, passwordHash);
        const membership = { role: person.role, unitId: person.unit ? (unitIds.get(person.unit) ?? null) : null };
        tx.insert(schema.memberships)
          .values({ userId, organisationId: organisationRow.id, ...membership })
          .onConflictDoUpdate({
            target: [schema.memberships.userId, schema.memberships.organisationId],
            set: membership,
          })
          .run();
        if (licenceId != null) {
          const seated = tx
            .insert(schema.seats)
            .values({ licenceId, userId, claimedAt: now })
            .onConflictDoNothing()
            .run();
          if (seated.changes === 1) {
            tx.insert(schema.seatEvents)
              .values({ licenceId, kind: "claimed", subjectEmail: person.email, actorUserId: userId, at: now })
              .run();
          }
        }
      }
    }

    const ownerId = ensureUser(tx, demoOwner.email, demoOwner.name, passwordHash);
    tx.update(schema.users).set({ platformRole: "owner" }).where(eq(schema.users.id, ownerId)).run();
    seedFeedback(tx, now);
  });
}

function ensurePilotPlan(tx: Tx, courseIds: number[]): number {
  let pilotPlanId = 0;
  for (const plan of [pilotPlan, municipalPlan]) {
    const { id } = tx
      .insert(schema.plans)
      .values(plan)
      .onConflictDoUpdate({ target: schema.plans.slug, set: { name: plan.name, summary: plan.summary } })
      .returning({ id: schema.plans.id })
      .get();
    for (const courseId of courseIds)
      tx.insert(schema.planCourses).values({ planId: id, courseId }).onConflictDoNothing().run();
    if (plan === pilotPlan) pilotPlanId = id;
  }
  tx.insert(schema.discounts)
    .values({ ...pilotDiscount, planId: pilotPlanId })
    .onConflictDoNothing()
    .run();
  return pilotPlanId;
}

/** The demo municipality's licence runs for a year from the month the demo was seeded, so it is always current. */
function ensurePilotLicence(tx: Tx, organisationId: number, planId: number, courseIds: number[], now: Date): number {
  const existing = tx
    .select({ id: schema.licences.id })
    .from(schema.licences)
    .where(eq(schema.licences.organisationId, organisationId))
    .get();
  if (existing) return existing.id;
  const startsOn = firstOfMonth(danishDate(now));
  return createLicence(tx, {
    organisationId,
    planId,
    seatCount: pilotPlan.seatCount,
    startsOn,
    endsOn: periodEnd(startsOn, pilotPlan.periodMonths),
    courseIds,
  });
}

function ensureUser(tx: Tx, email: string, name: string, passwordHash: string): number {
  const existing = tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, email)).get();
  if (existing) return existing.id;
  return tx.insert(schema.users).values({ email, name, passwordHash }).returning({ id: schema.users.id }).get().id;
}
