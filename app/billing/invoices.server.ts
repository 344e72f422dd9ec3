import { and, asc, desc, eq, inArray, max, sql } from "drizzle-orm";
import {
  invoiceLines,
  invoices,
  memberships,
  orders,
  organisations,
  unpaidInvoiceStatuses,
  type BillingProviderName,
  type InvoiceStatus,
} from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db, type Db, type Tx } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { MAX_PAYMENT_DAYS, type OioublInvoice } from "./oioubl-invoice.server";
import type { PricedOrder } from "./pricing.server";
import { seller } from "./seller.server";

export type Invoice = typeof invoices.$inferSelect;

const ISSUE_GRACE_MS = 5 * 60 * 1000;

/** Public bodies pay on 30 days, the most they may agree to. */
export const PAYMENT_DAYS = MAX_PAYMENT_DAYS;

/**
 * Saves the invoice for a new order, inside the order's transaction. The manual provider takes
 * the next number of its series here, so a rolled-back order never leaves a gap; a Stripe
 * invoice waits as "pending" until Stripe has made and numbered it.
 */
export function createInvoiceForOrder(
  tx: Tx,
  orderId: number,
  priced: PricedOrder,
  provider: BillingProviderName,
  now: Date,
): number {
  const issueDate = danishDate(now);
  const sequence =
    provider === "manual"
      ? (tx
          .select({ last: max(invoices.sequence) })
          .from(invoices)
          .get()?.last ?? 0) + 1
      : null;
  const { id } = tx
    .insert(invoices)
    .values({
      orderId,
      provider,
      sequence,
      number: sequence === null ? null : String(sequence),
      issueDate,
      dueDate: shiftDays(issueDate, PAYMENT_DAYS),
      netOre: priced.netOre,
      vatOre: priced.vatOre,
      grossOre: priced.grossOre,
      status: provider === "manual" ? "open" : "pending",
      statusAt: now,
      // The order issues it at once; the job picks it up only if the process stopped before that recorded an outcome.
      nextAttemptAt: new Date(now.getTime() + ISSUE_GRACE_MS),
    })
    .returning({ id: invoices.id })
    .get();
  priced.lines.forEach((line, index) => {
    tx.insert(invoiceLines)
      .values({ invoiceId: id, position: index + 1, unitCode: "EA", ...line })
      .run();
  });
  return id;
}

/**
 * Stripe's events arrive late, twice or out of order. A status only replaces one that comes
 * earlier in an invoice's life, or the same stage reported later: "finalized" arriving after
 * "paid" changes nothing, and a paid or voided invoice stays so.
 */
const STAGE: Record<InvoiceStatus, number> = {
  pending: 0,
  open: 1,
  sent: 2,
  payment_failed: 3,
  overdue: 3,
  uncollectible: 4,
  paid: 5,
  void: 5,
};

export function recordInvoiceStatus(
  database: Db | Tx,
  invoiceId: number,
  status: InvoiceStatus,
  at: Date,
  extra: { number?: string | null; paidAt?: Date } = {},
): boolean {
  const current = database
    .select({ status: invoices.status, statusAt: invoices.statusAt, number: invoices.number })
    .from(invoices)
    .where(eq(invoices.id, invoiceId))
    .get();
  if (!current) return false;
  const numberUpdate = extra.number && !current.number ? { number: extra.number } : {};
  const from = STAGE[current.status];
  const to = STAGE[status];
  const final = current.status === "paid" || current.status === "void";
  const moves =
    !final && (to > from || (to === from && status !== current.status && at.getTime() >= current.statusAt.getTime()));
  if (!moves) {
    if (Object.keys(numberUpdate).length > 0)
      database.update(invoices).set(numberUpdate).where(eq(invoices.id, invoiceId)).run();
    return false;
  }
  database
    .update(invoices)
    .set({ status, statusAt: at, ...numberUpdate, ...(status === "paid" ? { paidAt: extra.paidAt ?? at } : {}) })
    .where(eq(invoices.id, invoiceId))
    .run();
  return true;
}

export function getInvoice(invoiceId: number, database: Db | Tx = db): Invoice | null {
  return database.select().from(invoices).where(eq(invoices.id, invoiceId)).get() ?? null;
}

/**
 * The invoice, if the user may see it: the course owner sees every invoice, a municipality's
 * admins their own municipality's, and nobody else any.
 */
export function invoiceVisibleTo(user: Pick<SessionUser, "id" | "platformRole">, invoiceId: number) {
  const row = db
    .select({ invoice: invoices, organisationId: orders.organisationId })
    .from(invoices)
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .where(eq(invoices.id, invoiceId))
    .get();
  if (!row) return null;
  if (user.platformRole === "owner") return row.invoice;
  const admin = db
    .select({ role: memberships.role })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, user.id),
        eq(memberships.organisationId, row.organisationId),
        eq(memberships.role, "admin"),
      ),
    )
    .get();
  return admin ? row.invoice : null;
}

/** Everything printed on the invoice, from the order's copy of the buyer and the configured seller. */
export function invoiceDocument(invoiceId: number, database: Db | Tx = db): OioublInvoice | null {
  const row = database
    .select({ invoice: invoices, order: orders })
    .from(invoices)
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .where(eq(invoices.id, invoiceId))
    .get();
  if (!row?.invoice.number) return null;
  const { invoice, order } = row;
  const lines = database
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.position))
    .all();
  return {
    number: invoice.number ?? "",
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    orderReference: order.orderReference,
    orderDate: danishDate(order.createdAt),
    note: `Licens ${order.startsOn} – ${order.endsOn}`,
    seller: seller(),
    buyer: {
      name: order.buyerName,
      cvr: order.buyerCvr,
      streetName: order.buyerStreetName,
      buildingNumber: order.buyerBuildingNumber,
      postalCode: order.buyerPostalCode,
      city: order.buyerCity,
      countryCode: "DK",
      email: order.buyerEmail,
      ean: order.ean,
      personReference: order.personReference,
    },
    lines: lines.map((line) => ({
      id: String(line.position),
      description: line.description,
      quantity: line.quantity,
      unitCode: line.unitCode,
      unitPriceOre: line.unitPriceOre,
      lineNetOre: line.lineNetOre,
      period: line.periodStart && line.periodEnd ? { start: line.periodStart, end: line.periodEnd } : undefined,
    })),
    totals: { netOre: invoice.netOre, vatOre: invoice.vatOre, grossOre: invoice.grossOre },
  };
}

/** What the admin's overview and the owner's list show of each invoice. */
const invoiceSummary = {
  id: invoices.id,
  number: invoices.number,
  provider: invoices.provider,
  status: invoices.status,
  issueDate: invoices.issueDate,
  dueDate: invoices.dueDate,
  grossOre: invoices.grossOre,
  netOre: invoices.netOre,
  vatOre: invoices.vatOre,
  paidAt: invoices.paidAt,
  orderId: orders.id,
  orderReference: orders.orderReference,
  licenceId: orders.licenceId,
  organisationName: organisations.name,
};

export type InvoiceSummary = ReturnType<typeof invoicesOfLicence>[number];

export function invoiceOfOrder(orderId: number): InvoiceSummary | null {
  return (
    db
      .select(invoiceSummary)
      .from(invoices)
      .innerJoin(orders, eq(orders.id, invoices.orderId))
      .innerJoin(organisations, eq(organisations.id, orders.organisationId))
      .where(eq(orders.id, orderId))
      .get() ?? null
  );
}

export function invoicesOfLicence(licenceId: number) {
  return db
    .select(invoiceSummary)
    .from(invoices)
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .innerJoin(organisations, eq(organisations.id, orders.organisationId))
    .where(eq(orders.licenceId, licenceId))
    .orderBy(desc(invoices.id))
    .all();
}

/** The owner's list: every invoice, newest first, with why an invoice is still on its way. */
export function allInvoices() {
  return db
    .select({ ...invoiceSummary, lastError: invoices.lastError })
    .from(invoices)
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .innerJoin(organisations, eq(organisations.id, orders.organisationId))
    .orderBy(desc(invoices.id))
    .all();
}

/** Past due and still unpaid, whether or not the provider has said so yet. */
function isOverdue(invoice: Pick<Invoice, "status" | "dueDate">, now = new Date()) {
  return (unpaidInvoiceStatuses as readonly string[]).includes(invoice.status) && invoice.dueDate < danishDate(now);
}

export type PaymentState = "none" | "paid" | "awaiting" | "overdue";

/** A licence's payment state, from its invoices: voided ones do not count. */
export function paymentState(licenceInvoices: Pick<Invoice, "status" | "dueDate">[], now = new Date()): PaymentState {
  const counted = licenceInvoices.filter((invoice) => invoice.status !== "void");
  if (counted.length === 0) return "none";
  if (counted.some((invoice) => isOverdue(invoice, now))) return "overdue";
  return counted.every((invoice) => invoice.status === "paid") ? "paid" : "awaiting";
}

/** Invoices whose issuing failed (Stripe unreachable, mail refused) and whose next try is due. */
export function invoicesAwaitingIssue(now = new Date()): number[] {
  return db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(inArray(invoices.status, ["pending", "open"]), sql`${invoices.nextAttemptAt} <= ${now.getTime()}`))
    .orderBy(asc(invoices.id))
    .all()
    .map((row) => row.id);
}

const RETRY_CEILING_MS = 6 * 3600 * 1000;

/** After a failed attempt: wait 1, 2, 4, ... minutes, at most six hours, and keep the reason for the owner. */
export function recordIssueFailure(invoiceId: number, error: unknown, now: Date) {
  const current = getInvoice(invoiceId);
  if (!current) return;
  const attempts = current.attempts + 1;
  const delay = Math.min(60_000 * 2 ** (attempts - 1), RETRY_CEILING_MS);
  db.update(invoices)
    .set({
      attempts,
      lastError: error instanceof Error ? error.message : String(error),
      nextAttemptAt: new Date(now.getTime() + delay),
    })
    .where(eq(invoices.id, invoiceId))
    .run();
}

export function recordIssueSuccess(invoiceId: number) {
  db.update(invoices).set({ lastError: null, nextAttemptAt: null }).where(eq(invoices.id, invoiceId)).run();
}
