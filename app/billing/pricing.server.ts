import { and, asc, count, eq, isNull, ne, or } from "drizzle-orm";
import { courses, discounts, type licences, orders, planCourses, plans } from "#db/schema";
import { db, type Db, type Tx } from "~/db.server";
import { danishDate } from "~/i18n/dates";
import { periodEnd } from "~/licensing/periods";
import { applyDiscount, formatKroner, prorate, withVat, type Ore } from "./money";

export type Plan = typeof plans.$inferSelect;

/** The plans a municipality can order, cheapest first. */
export function activePlans(database: Db | Tx = db) {
  return database
    .select()
    .from(plans)
    .where(eq(plans.active, true))
    .orderBy(asc(plans.listPriceOre), asc(plans.id))
    .all();
}

/** The price page: each plan on sale, its price a seat and the titles of the courses it covers. */
export function priceList() {
  return activePlans().map((plan) => ({
    slug: plan.slug,
    name: plan.name,
    summary: plan.summary,
    seatCount: plan.seatCount,
    periodMonths: plan.periodMonths,
    listPriceOre: plan.listPriceOre,
    seatPriceOre: seatListPrice(plan),
    courses: db
      .select({ title: courses.title })
      .from(planCourses)
      .innerJoin(courses, eq(courses.id, planCourses.courseId))
      .where(and(eq(planCourses.planId, plan.id), eq(courses.published, true)))
      .orderBy(asc(courses.position))
      .all()
      .map((row) => row.title),
  }));
}

export function planBySlug(slug: string, database: Db | Tx = db): Plan | null {
  return (
    database
      .select()
      .from(plans)
      .where(and(eq(plans.slug, slug), eq(plans.active, true)))
      .get() ?? null
  );
}

export function planCourseIds(planId: number, database: Db | Tx = db): number[] {
  return database
    .select({ id: planCourses.courseId })
    .from(planCourses)
    .where(eq(planCourses.planId, planId))
    .all()
    .map((row) => row.id);
}

/** The list price of one seat for the plan's whole period; plans are priced so that it is whole øre. */
export function seatListPrice(plan: Pick<Plan, "listPriceOre" | "seatCount">): Ore {
  return prorate(plan.listPriceOre, 1, plan.seatCount);
}

export type AppliedDiscount = { id: number; label: string; basisPoints: number };

export type DiscountLookup =
  { status: "none" } | { status: "found"; discount: AppliedDiscount } | { status: "unknownCode" };

/**
 * The discount an order gets: the code the admin typed, when it is valid for this municipality,
 * plan and day; otherwise the municipality's own agreement for the plan, if it has one.
 */
export function findDiscount(
  { organisationId, planId, code }: { organisationId: number; planId: number; code: string | null | undefined },
  now = new Date(),
  database: Db | Tx = db,
): DiscountLookup {
  const today = danishDate(now);
  const usable = (row: typeof discounts.$inferSelect) => {
    if (!row.active || (row.validUntil !== null && row.validUntil < today)) return false;
    if (row.planId !== null && row.planId !== planId) return false;
    if (row.organisationId !== null && row.organisationId !== organisationId) return false;
    if (row.maxUses === null) return true;
    // Extra seats carry the licence's discount along; only orders that chose it use it up.
    const used =
      database
        .select({ n: count() })
        .from(orders)
        .where(and(eq(orders.discountId, row.id), ne(orders.kind, "extraSeats")))
        .get()?.n ?? 0;
    return used < row.maxUses;
  };
  const toApplied = (row: typeof discounts.$inferSelect): DiscountLookup => ({
    status: "found",
    discount: { id: row.id, label: row.label, basisPoints: row.percentBasisPoints },
  });

  const typed = code?.trim().toUpperCase();
  if (typed) {
    const row = database.select().from(discounts).where(eq(discounts.code, typed)).get();
    return row && usable(row) ? toApplied(row) : { status: "unknownCode" };
  }
  const agreement = database
    .select()
    .from(discounts)
    .where(
      and(
        isNull(discounts.code),
        eq(discounts.organisationId, organisationId),
        or(isNull(discounts.planId), eq(discounts.planId, planId)),
      ),
    )
    .all()
    .find(usable);
  return agreement ? toApplied(agreement) : { status: "none" };
}

/**
 * The smallest number of months, counted from `startsOn`, that reaches `endsOn`: what extra
 * seats bought part-way through a licence pay for. A month begun counts as a whole month.
 */
function monthsCovering(startsOn: string, endsOn: string): number {
  let months = 1;
  while (periodEnd(startsOn, months) < endsOn) months += 1;
  return months;
}

export type PricedLine = {
  description: string;
  quantity: number;
  unitPriceOre: Ore;
  lineNetOre: Ore;
  periodStart: string;
  periodEnd: string;
};

export type PricedOrder = {
  planName: string;
  seatCount: number;
  startsOn: string;
  endsOn: string;
  months: number;
  discount: AppliedDiscount | null;
  listNetOre: Ore;
  netOre: Ore;
  vatOre: Ore;
  grossOre: Ore;
  lines: PricedLine[];
};

function describeLine(
  planName: string,
  seatCount: number,
  months: number,
  discount: AppliedDiscount | null,
  listSeatOre: Ore,
) {
  const seats = `${seatCount} ${seatCount === 1 ? "plads" : "pladser"}`;
  const base = `${planName}: ${seats} i ${months} ${months === 1 ? "måned" : "måneder"}`;
  if (!discount) return base;
  const percent = new Intl.NumberFormat("da-DK", { maximumFractionDigits: 2 }).format(discount.basisPoints / 100);
  return `${base} (${discount.label}: ${percent} % rabat på listeprisen ${formatKroner(listSeatOre)} pr. plads)`;
}

function priced(
  plan: Pick<Plan, "name" | "listPriceOre" | "seatCount" | "periodMonths">,
  seatCount: number,
  startsOn: string,
  endsOn: string,
  months: number,
  discount: AppliedDiscount | null,
): PricedOrder {
  // Extra seats pay the share of the period that is left; a whole period pays the plan's price.
  const listSeatOre = prorate(seatListPrice(plan), months, plan.periodMonths);
  const unitPriceOre = discount ? applyDiscount(listSeatOre, discount.basisPoints / 100) : listSeatOre;
  const lineNetOre = unitPriceOre * seatCount;
  const totals = withVat(lineNetOre);
  return {
    planName: plan.name,
    seatCount,
    startsOn,
    endsOn,
    months,
    discount,
    listNetOre: listSeatOre * seatCount,
    netOre: totals.net,
    vatOre: totals.vat,
    grossOre: totals.gross,
    lines: [
      {
        description: describeLine(plan.name, seatCount, months, discount, listSeatOre),
        quantity: seatCount,
        unitPriceOre,
        lineNetOre,
        periodStart: startsOn,
        periodEnd: endsOn,
      },
    ],
  };
}

/** A new licence on the plan: its seats for its whole period from `startsOn`. */
export function priceNewLicence(plan: Plan, startsOn: string, discount: AppliedDiscount | null): PricedOrder {
  return priced(plan, plan.seatCount, startsOn, periodEnd(startsOn, plan.periodMonths), plan.periodMonths, discount);
}

/**
 * Extra seats on a running licence, from `today` (or the licence's start, if it has not begun)
 * to its end, at the plan's price a seat for the months left and the discount the licence got.
 */
export function priceExtraSeats(
  licence: Pick<typeof licences.$inferSelect, "startsOn" | "endsOn">,
  plan: Plan,
  seatCount: number,
  discount: AppliedDiscount | null,
  now = new Date(),
): PricedOrder {
  const today = danishDate(now);
  const startsOn = today > licence.startsOn ? today : licence.startsOn;
  const months = Math.min(monthsCovering(startsOn, licence.endsOn), plan.periodMonths);
  return priced(plan, seatCount, startsOn, licence.endsOn, months, discount);
}
