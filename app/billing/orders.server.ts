import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { eanLocations, licences, orders, organisations, plans, type BillingProviderName } from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import type { MessageKey } from "~/i18n/da";
import { createLicence } from "~/licensing/licences.server";
import { administeredOrganisations } from "~/licensing/overview.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import type { OrderForm } from "./forms";
import { createInvoiceForOrder } from "./invoices.server";
import {
  activePlans,
  findDiscount,
  planBySlug,
  planCourseIds,
  priceExtraSeats,
  priceNewLicence,
  type AppliedDiscount,
  type Plan,
  type PricedOrder,
} from "./pricing.server";
import { activeProviderName, issueInvoice } from "./providers.server";

/** How far ahead a licence may be ordered to start. */
const LATEST_START_DAYS = 365;

export type OrderProblems = Partial<Record<keyof OrderForm, MessageKey>>;

export type PreparedOrder = {
  form: OrderForm;
  plan: Plan;
  /** The licence renewed or given extra seats. */
  licence: typeof licences.$inferSelect | null;
  priced: PricedOrder;
};

export type PrepareResult =
  { status: "ok"; order: PreparedOrder } | { status: "invalid"; problems: OrderProblems } | { status: "forbidden" };

function licenceOf(organisationId: number, licenceId: number | undefined) {
  if (licenceId === undefined) return null;
  return (
    db
      .select()
      .from(licences)
      .where(and(eq(licences.id, licenceId), eq(licences.organisationId, organisationId)))
      .get() ?? null
  );
}

/** The discount of the order that bought the licence, so extra seats cost what the first ones did. */
function discountOfLicence(licenceId: number): AppliedDiscount | null {
  const first = db
    .select({ id: orders.discountId, label: orders.discountLabel, basisPoints: orders.discountBasisPoints })
    .from(orders)
    .where(and(eq(orders.licenceId, licenceId), ne(orders.kind, "extraSeats")))
    .orderBy(asc(orders.id))
    .get();
  return first?.id && first.label && first.basisPoints > 0
    ? { id: first.id, label: first.label, basisPoints: first.basisPoints }
    : null;
}

/**
 * Checks an order against the database and prices it, without saving anything: the summary,
 * the quote and the order itself all come from here, so they always agree.
 */
export function prepareOrder(admin: Pick<SessionUser, "id">, form: OrderForm, now = new Date()): PrepareResult {
  if (!administeredOrganisations(admin).some((o) => o.id === form.organisationId)) return { status: "forbidden" };
  const problems: OrderProblems = {};
  const today = danishDate(now);

  const licence = licenceOf(form.organisationId, form.licenceId);
  if (form.kind !== "new" && !licence) return { status: "forbidden" };

  let plan: Plan | null;
  if (form.kind === "extraSeats") {
    plan = licence?.planId ? (db.select().from(plans).where(eq(plans.id, licence.planId)).get() ?? null) : null;
    if (!plan) problems.licenceId = "order.noPlanForExtra";
    if (licence && licence.endsOn < today) problems.licenceId = "order.licenceEnded";
  } else {
    plan = planBySlug(form.planSlug ?? "");
    if (!plan) problems.planSlug = "order.planRequired";
    const startsOn = form.startsOn ?? "";
    if (startsOn < today || startsOn > shiftDays(today, LATEST_START_DAYS)) problems.startsOn = "order.startsOnRange";
    if (form.kind === "renewal" && licence && startsOn <= licence.endsOn) problems.startsOn = "order.renewalOverlaps";
  }

  let discount: AppliedDiscount | null = null;
  if (plan) {
    const lookup = findDiscount({ organisationId: form.organisationId, planId: plan.id, code: form.discountCode }, now);
    if (lookup.status === "unknownCode") problems.discountCode = "order.discountUnknown";
    else if (lookup.status === "found") discount = lookup.discount;
    if (form.kind === "extraSeats" && licence && lookup.status === "none") discount = discountOfLicence(licence.id);
  }

  const eanOwner = db
    .select({ organisationId: eanLocations.organisationId })
    .from(eanLocations)
    .where(eq(eanLocations.ean, form.ean))
    .get();
  if (eanOwner && eanOwner.organisationId !== form.organisationId) problems.ean = "order.eanTaken";
  const cvrOwner = db.select({ id: organisations.id }).from(organisations).where(eq(organisations.cvr, form.cvr)).get();
  if (cvrOwner && cvrOwner.id !== form.organisationId) problems.cvr = "order.cvrTaken";

  if (Object.keys(problems).length > 0 || !plan) return { status: "invalid", problems };
  const priced =
    form.kind === "extraSeats" && licence
      ? priceExtraSeats(licence, plan, Number(form.seats), discount, now)
      : priceNewLicence(plan, form.startsOn ?? today, discount);
  return { status: "ok", order: { form, plan, licence, priced } };
}

export type PlaceResult =
  | { status: "placed"; orderId: number; invoiceId: number; issued: "issued" | "deferred" }
  | { status: "duplicate"; orderId: number }
  | Exclude<PrepareResult, { status: "ok" }>;

/**
 * Places the order: the municipality's details, the licence (or its extra seats), the order and
 * its one invoice are saved together, and only then is the invoice issued at the provider, so a
 * provider that cannot be reached never loses or doubles an order.
 */
export async function placeOrder(
  admin: Pick<SessionUser, "id">,
  form: OrderForm,
  now = new Date(),
  provider: BillingProviderName = activeProviderName(),
): Promise<PlaceResult> {
  const earlier = form.requestKey
    ? db
        .select({ id: orders.id, organisationId: orders.organisationId })
        .from(orders)
        .where(eq(orders.requestKey, form.requestKey))
        .get()
    : undefined;
  if (earlier) {
    const own =
      earlier.organisationId === form.organisationId &&
      administeredOrganisations(admin).some((o) => o.id === earlier.organisationId);
    return own ? { status: "duplicate", orderId: earlier.id } : { status: "forbidden" };
  }

  const prepared = prepareOrder(admin, form, now);
  if (prepared.status !== "ok") return prepared;
  const { plan, licence, priced } = prepared.order;
  if (!form.requestKey) throw new Error("Et ordre-id mangler");
  const requestKey = form.requestKey;

  const saved = db.transaction(
    (tx) => {
      const organisation = tx
        .update(organisations)
        .set({
          cvr: form.cvr,
          streetName: form.streetName,
          buildingNumber: form.buildingNumber,
          postalCode: form.postalCode,
          city: form.city,
          invoiceEmail: form.invoiceEmail,
        })
        .where(eq(organisations.id, form.organisationId))
        .returning({ name: organisations.name })
        .get();
      tx.insert(eanLocations)
        .values({ organisationId: form.organisationId, ean: form.ean, label: organisation.name })
        .onConflictDoNothing()
        .run();

      let licenceId: number;
      if (form.kind === "extraSeats" && licence) {
        licenceId = licence.id;
        tx.update(licences)
          .set({ seatCount: sql`${licences.seatCount} + ${priced.seatCount}` })
          .where(eq(licences.id, licence.id))
          .run();
      } else {
        licenceId = createLicence(tx, {
          organisationId: form.organisationId,
          planId: plan.id,
          seatCount: priced.seatCount,
          startsOn: priced.startsOn,
          endsOn: priced.endsOn,
          courseIds: planCourseIds(plan.id, tx),
        });
      }

      const { id: orderId } = tx
        .insert(orders)
        .values({
          organisationId: form.organisationId,
          licenceId,
          kind: form.kind,
          planId: plan.id,
          planName: plan.name,
          seatCount: priced.seatCount,
          startsOn: priced.startsOn,
          endsOn: priced.endsOn,
          months: priced.months,
          ean: form.ean,
          orderReference: form.orderReference,
          personReference: form.personReference,
          buyerName: organisation.name,
          buyerCvr: form.cvr,
          buyerStreetName: form.streetName,
          buyerBuildingNumber: form.buildingNumber,
          buyerPostalCode: form.postalCode,
          buyerCity: form.city,
          buyerEmail: form.invoiceEmail,
          discountId: priced.discount?.id ?? null,
          discountLabel: priced.discount?.label ?? null,
          discountBasisPoints: priced.discount?.basisPoints ?? 0,
          listNetOre: priced.listNetOre,
          netOre: priced.netOre,
          vatOre: priced.vatOre,
          grossOre: priced.grossOre,
          placedBy: admin.id,
          requestKey,
          termsAcceptedAt: now,
        })
        .returning({ id: orders.id })
        .get();
      return { orderId, invoiceId: createInvoiceForOrder(tx, orderId, priced, provider, now) };
      // Immediate: the invoice number is read and taken in one write lock, also across processes.
    },
    { behavior: "immediate" },
  );

  const issued = await issueInvoice(saved.invoiceId, now);
  return { status: "placed", ...saved, issued };
}

/** An order of one of the admin's municipalities (or any, for the owner), with its invoice; null otherwise. */
export function orderVisibleTo(user: Pick<SessionUser, "id" | "platformRole">, orderId: number) {
  const order = db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!order) return null;
  if (user.platformRole !== "owner" && !administeredOrganisations(user).some((o) => o.id === order.organisationId))
    return null;
  return order;
}

/**
 * Where the order form starts: ?plan= from the price page, ?forny=<licence> for a renewal
 * prefilled from the licence's last order, ?ekstra=<licence> for extra seats. Null when the
 * licence is not one of the admin's.
 */
export function orderFormStart(admin: Pick<SessionUser, "id">, search: URLSearchParams, now = new Date()) {
  const administered = administeredOrganisations(admin);
  const plansOnSale = activePlans();
  const licenceParam = search.get("forny") ?? search.get("ekstra");
  const kind: OrderForm["kind"] = search.has("forny") ? "renewal" : search.has("ekstra") ? "extraSeats" : "new";
  const licence =
    licenceParam === null
      ? null
      : (administered.map((o) => licenceOf(o.id, Number(licenceParam) || undefined)).find((row) => row !== null) ??
        null);
  if (kind !== "new" && !licence) return null;

  const organisationId =
    licence?.organisationId ??
    administered.find((o) => String(o.id) === search.get("organisation"))?.id ??
    administered[0]?.id;
  if (organisationId === undefined) return null;
  const today = danishDate(now);
  const renewedPlan = licence?.planId ? plansOnSale.find((plan) => plan.id === licence.planId)?.slug : undefined;
  const requestedPlan = plansOnSale.find((plan) => plan.slug === search.get("plan"))?.slug;
  const dayAfter = licence ? shiftDays(licence.endsOn, 1) : today;
  return {
    organisations: administered,
    plans: plansOnSale.map((plan) => ({ slug: plan.slug, name: plan.name, listPriceOre: plan.listPriceOre })),
    licence: licence ? { id: licence.id, startsOn: licence.startsOn, endsOn: licence.endsOn } : null,
    values: {
      ...orderDefaults(organisationId),
      kind,
      licenceId: licence ? String(licence.id) : undefined,
      planSlug: requestedPlan ?? renewedPlan ?? plansOnSale[0]?.slug ?? "",
      startsOn: kind === "renewal" && dayAfter > today ? dayAfter : today,
      seats: kind === "extraSeats" ? "10" : undefined,
      discountCode: "",
      // A new requisition number for every order: the municipality's bookkeeping matches on it.
      orderReference: "",
    },
  };
}

/** The values a new order form starts from: the municipality's details and its last order's references. */
function orderDefaults(organisationId: number) {
  const organisation = db.select().from(organisations).where(eq(organisations.id, organisationId)).get();
  const last = db.select().from(orders).where(eq(orders.organisationId, organisationId)).orderBy(desc(orders.id)).get();
  const ean =
    last?.ean ??
    db
      .select({ ean: eanLocations.ean })
      .from(eanLocations)
      .where(eq(eanLocations.organisationId, organisationId))
      .orderBy(asc(eanLocations.id))
      .get()?.ean;
  return {
    organisationId: String(organisationId),
    cvr: organisation?.cvr ?? "",
    streetName: organisation?.streetName ?? "",
    buildingNumber: organisation?.buildingNumber ?? "",
    postalCode: organisation?.postalCode ?? "",
    city: organisation?.city ?? "",
    invoiceEmail: organisation?.invoiceEmail ?? "",
    ean: ean ?? "",
    personReference: last?.personReference ?? "",
  };
}
