import { asc, count, desc, eq, inArray } from "drizzle-orm";
import { courses, discounts, orders, organisations, planCourses, plans } from "#db/schema";
import { slugFromTitle, unusedSlug } from "~/catalog/slugs";
import { db, type Tx } from "~/db.server";
import { seatListPrice } from "./pricing.server";
import type { Ore } from "./money";

/** What the owner sets on a plan; its list price is always seats × the price of one seat. */
export type PlanDetails = {
  name: string;
  summary: string;
  seatCount: number;
  periodMonths: number;
  /** One seat for the whole period, excluding VAT. */
  seatPrice: Ore;
  courseIds: number[];
};

export type DiscountDetails = {
  label: string;
  code?: string;
  organisationId?: number;
  /** Undefined for every plan. */
  planId?: number;
  basisPoints: number;
  validUntil?: string;
  maxUses?: number;
};

/** Everything the owner's price page shows: plans, discounts and what can be chosen in their forms. */
export function priceAdministration() {
  const coursesByPlan = new Map<number, number[]>();
  for (const row of db.select().from(planCourses).all())
    coursesByPlan.set(row.planId, [...(coursesByPlan.get(row.planId) ?? []), row.courseId]);
  const ordersByPlan = new Map(
    db
      .select({ planId: orders.planId, n: count() })
      .from(orders)
      .groupBy(orders.planId)
      .all()
      .map((row) => [row.planId, row.n]),
  );
  const usesByDiscount = new Map(
    db
      .select({ discountId: orders.discountId, n: count() })
      .from(orders)
      .groupBy(orders.discountId)
      .all()
      .map((row) => [row.discountId, row.n]),
  );
  const allPlans = db.select().from(plans).orderBy(desc(plans.active), asc(plans.listPriceOre), asc(plans.id)).all();
  const planNames = new Map(allPlans.map((plan) => [plan.id, plan.name]));
  const allOrganisations = db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .orderBy(asc(organisations.name))
    .all();
  const organisationNames = new Map(allOrganisations.map((organisation) => [organisation.id, organisation.name]));

  return {
    plans: allPlans.map((plan) => ({
      ...plan,
      seatPriceOre: seatListPrice(plan),
      courseIds: coursesByPlan.get(plan.id) ?? [],
      orderCount: ordersByPlan.get(plan.id) ?? 0,
    })),
    discounts: db
      .select()
      .from(discounts)
      .orderBy(desc(discounts.active), asc(discounts.label), asc(discounts.id))
      .all()
      .map((discount) => ({
        ...discount,
        planName: discount.planId === null ? null : (planNames.get(discount.planId) ?? null),
        organisationName:
          discount.organisationId === null ? null : (organisationNames.get(discount.organisationId) ?? null),
        uses: usesByDiscount.get(discount.id) ?? 0,
      })),
    courses: db.select({ id: courses.id, title: courses.title }).from(courses).orderBy(asc(courses.position)).all(),
    organisations: allOrganisations,
  };
}

const PLAN_SLUG_MAX_LENGTH = 60;

function unusedPlanSlug(tx: Tx, name: string): string {
  const base = slugFromTitle(name, "licens", PLAN_SLUG_MAX_LENGTH);
  const isTaken = (slug: string) => tx.select({ id: plans.id }).from(plans).where(eq(plans.slug, slug)).get() != null;
  return unusedSlug(base, isTaken, PLAN_SLUG_MAX_LENGTH);
}

function knownCourses(tx: Tx, courseIds: number[]): boolean {
  const found = tx.select({ n: count() }).from(courses).where(inArray(courses.id, courseIds)).get()?.n ?? 0;
  return found === courseIds.length;
}

function setPlanCourses(tx: Tx, planId: number, courseIds: number[]) {
  tx.delete(planCourses).where(eq(planCourses.planId, planId)).run();
  tx.insert(planCourses)
    .values(courseIds.map((courseId) => ({ planId, courseId })))
    .run();
}

const planColumns = (details: PlanDetails) => ({
  name: details.name,
  summary: details.summary,
  seatCount: details.seatCount,
  periodMonths: details.periodMonths,
  listPriceOre: details.seatCount * details.seatPrice,
});

/** A new plan, on sale at once. Its slug comes from its name and stays, as links and order history use it. */
export function createPlan(
  details: PlanDetails,
): { status: "created"; id: number; slug: string } | { status: "unknownCourse" } {
  const courseIds = [...new Set(details.courseIds)];
  return db.transaction((tx) => {
    if (courseIds.length === 0 || !knownCourses(tx, courseIds)) return { status: "unknownCourse" as const };
    const slug = unusedPlanSlug(tx, details.name);
    const { id } = tx
      .insert(plans)
      .values({ ...planColumns(details), slug })
      .returning({ id: plans.id })
      .get();
    setPlanCourses(tx, id, courseIds);
    return { status: "created" as const, id, slug };
  });
}

/**
 * Changes what later orders get. Licences already sold keep their own copy of the courses and
 * orders their own copy of the name and prices, so nothing bought is changed; only extra seats
 * bought later on a running licence are priced from the plan as it is then.
 */
export function updatePlan(
  planId: number,
  details: PlanDetails & { active: boolean },
): "saved" | "notFound" | "unknownCourse" {
  const courseIds = [...new Set(details.courseIds)];
  return db.transaction((tx) => {
    if (courseIds.length === 0 || !knownCourses(tx, courseIds)) return "unknownCourse";
    const updated = tx
      .update(plans)
      .set({ ...planColumns(details), active: details.active })
      .where(eq(plans.id, planId))
      .run();
    if (updated.changes === 0) return "notFound";
    setPlanCourses(tx, planId, courseIds);
    return "saved";
  });
}

/** A code any municipality can type, or an agreement one municipality gets by itself when it orders. */
export function createDiscount(
  details: DiscountDetails,
): "created" | "codeTaken" | "unknownPlan" | "unknownOrganisation" {
  return db.transaction((tx) => {
    if (
      details.planId !== undefined &&
      !tx.select({ id: plans.id }).from(plans).where(eq(plans.id, details.planId)).get()
    )
      return "unknownPlan";
    if (
      details.organisationId !== undefined &&
      !tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, details.organisationId)).get()
    ) {
      return "unknownOrganisation";
    }
    const inserted = tx
      .insert(discounts)
      .values({
        label: details.label,
        code: details.code?.toUpperCase() ?? null,
        organisationId: details.organisationId ?? null,
        planId: details.planId ?? null,
        percentBasisPoints: details.basisPoints,
        validUntil: details.validUntil ?? null,
        maxUses: details.maxUses ?? null,
      })
      .onConflictDoNothing({ target: discounts.code })
      .run();
    return inserted.changes === 1 ? "created" : "codeTaken";
  });
}

/** Orders keep the discount's label and percentage, so switching it off changes none already placed. */
export function setDiscountActive(discountId: number, active: boolean): "saved" | "notFound" {
  const updated = db.update(discounts).set({ active }).where(eq(discounts.id, discountId)).run();
  return updated.changes === 1 ? "saved" : "notFound";
}
