import { relations, sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { users } from "./identity";
import { licences, plans } from "./licensing";
import { organisations } from "./organisations";

/**
 * A price agreement: a discount on a plan (or every plan), either for one municipality, applied
 * by itself, or behind a code any municipality can enter when ordering.
 */
export const discounts = sqliteTable(
  "discounts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Shown on the order summary and the invoice line, e.g. "Pilotaftale". */
    label: text("label").notNull(),
    /** Upper case; null for an agreement that belongs to one municipality. */
    code: text("code").unique(),
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    planId: integer("plan_id").references(() => plans.id, { onDelete: "cascade" }),
    /** Hundredths of a percent: 7500 is 75 %. */
    percentBasisPoints: integer("percent_basis_points").notNull(),
    /** Last day it can be used (YYYY-MM-DD), inclusive; null for no end. */
    validUntil: text("valid_until"),
    maxUses: integer("max_uses"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    check("discounts_percent", sql`${t.percentBasisPoints} between 1 and 10000`),
    check("discounts_code_or_organisation", sql`${t.code} is not null or ${t.organisationId} is not null`),
    check("discounts_code_upper", sql`${t.code} is null or ${t.code} = upper(${t.code})`),
  ],
);

export const orderKinds = ["new", "renewal", "extraSeats"] as const;

/**
 * What a municipality ordered, with everything the invoice needs copied in: a later change of
 * address, plan or discount never changes an order already placed.
 */
export const orders = sqliteTable(
  "orders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "restrict" }),
    /** The licence the order created (new, renewal) or added seats to (extraSeats). */
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: orderKinds }).notNull(),
    planId: integer("plan_id").references(() => plans.id, { onDelete: "set null" }),
    planName: text("plan_name").notNull(),
    seatCount: integer("seat_count").notNull(),
    /** The period the order pays for: for extra seats, the rest of the licence's period. */
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on").notNull(),
    months: integer("months").notNull(),
    ean: text("ean").notNull(),
    orderReference: text("order_reference").notNull(),
    personReference: text("person_reference").notNull(),
    buyerName: text("buyer_name").notNull(),
    buyerCvr: text("buyer_cvr").notNull(),
    buyerStreetName: text("buyer_street_name").notNull(),
    buyerBuildingNumber: text("buyer_building_number").notNull(),
    buyerPostalCode: text("buyer_postal_code").notNull(),
    buyerCity: text("buyer_city").notNull(),
    buyerEmail: text("buyer_email").notNull(),
    discountId: integer("discount_id").references(() => discounts.id, { onDelete: "set null" }),
    discountLabel: text("discount_label"),
    discountBasisPoints: integer("discount_basis_points").notNull().default(0),
    /** Before any discount, excluding VAT. */
    listNetOre: integer("list_net_ore").notNull(),
    netOre: integer("net_ore").notNull(),
    vatOre: integer("vat_ore").notNull(),
    grossOre: integer("gross_ore").notNull(),
    placedBy: integer("placed_by").references(() => users.id, { onDelete: "set null" }),
    /** A key from the order form, so a double click or a resent form places one order, not two. */
    requestKey: text("request_key").notNull().unique(),
    termsAcceptedAt: integer("terms_accepted_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("orders_organisation").on(t.organisationId),
    index("orders_licence").on(t.licenceId),
    check("orders_totals", sql`${t.grossOre} = ${t.netOre} + ${t.vatOre} and ${t.netOre} >= 0`),
    check("orders_seats_positive", sql`${t.seatCount} > 0`),
  ],
);

export const billingProviders = ["manual", "stripe"] as const;
export type BillingProviderName = (typeof billingProviders)[number];

/**
 * pending: saved here, not yet created at the provider (Stripe unreachable: retried later).
 * open: finalized, awaiting payment; sent: sent to the customer; the rest as Stripe names them.
 */
export const invoiceStatuses = [
  "pending",
  "open",
  "sent",
  "payment_failed",
  "overdue",
  "paid",
  "void",
  "uncollectible",
] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/**
 * Issued to the municipality and not (yet) paid. A pending invoice has not reached the
 * municipality at all, so it can be neither overdue nor a reason to stop new seats.
 */
export const unpaidInvoiceStatuses = [
  "open",
  "sent",
  "payment_failed",
  "overdue",
  "uncollectible",
] as const satisfies readonly InvoiceStatus[];

/** One per order. */
export const invoices = sqliteTable(
  "invoices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id")
      .notNull()
      .unique()
      .references(() => orders.id, { onDelete: "restrict" }),
    provider: text("provider", { enum: billingProviders }).notNull(),
    /** The manual provider's unbroken series: 1, 2, 3, ... with no gaps. */
    sequence: integer("sequence").unique(),
    /** The number printed on the invoice; for Stripe, set when Stripe finalizes it. */
    number: text("number").unique(),
    issueDate: text("issue_date").notNull(),
    dueDate: text("due_date").notNull(),
    netOre: integer("net_ore").notNull(),
    vatOre: integer("vat_ore").notNull(),
    grossOre: integer("gross_ore").notNull(),
    status: text("status", { enum: invoiceStatuses }).notNull(),
    /** When the status last changed, by the provider's clock: an older event never overrides a newer one. */
    statusAt: integer("status_at", { mode: "timestamp_ms" }).notNull(),
    paidAt: integer("paid_at", { mode: "timestamp_ms" }),
    stripeInvoiceId: text("stripe_invoice_id").unique(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("invoices_status").on(t.status, t.dueDate),
    check("invoices_totals", sql`${t.grossOre} = ${t.netOre} + ${t.vatOre}`),
    check(
      "invoices_manual_numbered",
      sql`${t.provider} <> 'manual' or (${t.sequence} is not null and ${t.number} is not null)`,
    ),
  ],
);

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    quantity: integer("quantity").notNull(),
    /** UN/ECE Recommendation 20 code: "EA" for seats. */
    unitCode: text("unit_code").notNull(),
    unitPriceOre: integer("unit_price_ore").notNull(),
    lineNetOre: integer("line_net_ore").notNull(),
    periodStart: text("period_start"),
    periodEnd: text("period_end"),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.position] })],
);

/** Every Stripe event handled, once: a repeated delivery finds its id here and changes nothing. */
export const stripeEvents = sqliteTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
});

/** seats_full: someone signing in through the municipality's login found no free seat; the admin is told once. */
export const licenceNoticeKinds = ["ends_in_60_days", "ends_in_30_days", "invoice_overdue", "seats_full"] as const;

/** Notices mailed about a licence, so each is sent once however often the job runs. */
export const licenceNotices = sqliteTable(
  "licence_notices",
  {
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: licenceNoticeKinds }).notNull(),
    /** For invoice notices, which invoice; 0 for the licence's own. */
    invoiceId: integer("invoice_id").notNull().default(0),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.licenceId, t.kind, t.invoiceId] })],
);

export const ordersRelations = relations(orders, ({ one }) => ({
  organisation: one(organisations, { fields: [orders.organisationId], references: [organisations.id] }),
  licence: one(licences, { fields: [orders.licenceId], references: [licences.id] }),
  invoice: one(invoices),
}));

export const invoicesRelations = relations(invoices, ({ one, many }) => ({
  order: one(orders, { fields: [invoices.orderId], references: [orders.id] }),
  lines: many(invoiceLines),
}));

export const invoiceLinesRelations = relations(invoiceLines, ({ one }) => ({
  invoice: one(invoices, { fields: [invoiceLines.invoiceId], references: [invoices.id] }),
}));
