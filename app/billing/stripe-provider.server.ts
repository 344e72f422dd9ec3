import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import Stripe from "stripe";
import { invoiceLines, invoices, orders, organisations, platformSettings } from "#db/schema";
import { db, type Db, type Tx } from "~/db.server";
import { danishDate } from "~/i18n/dates";
import { getInvoice, PAYMENT_DAYS, recordInvoiceStatus, type Invoice } from "./invoices.server";
import { VAT_RATE_PERCENT } from "./money";
import { notifyInvoicePaid } from "./notices.server";
import type { BillingProvider } from "./providers.server";
import { seller } from "./seller.server";
import { stripeClient } from "./stripe.server";

type Order = typeof orders.$inferSelect;
type Organisation = typeof organisations.$inferSelect;

/** Where the id of the one VAT rate made at Stripe is kept, so every invoice reuses it. */
export const VAT_RATE_SETTING = "stripe.taxRate.vat25";
export const KEY_SCOPE_SETTING = "stripe.keyScope";

/**
 * The idempotency key for one step, derived from our ids, so a repeat of the step gets Stripe's
 * first answer instead of a second object. Stripe remembers keys for a day, and a re-seeded
 * database, or another installation on the same Stripe account, counts its invoices from 1
 * again: the scope, made once per database, keeps those from being handed each other's objects.
 */
function idempotencyKey(step: string): string {
  db.insert(platformSettings)
    .values({ key: KEY_SCOPE_SETTING, value: randomBytes(4).toString("hex") })
    .onConflictDoNothing()
    .run();
  const scope = db
    .select({ value: platformSettings.value })
    .from(platformSettings)
    .where(eq(platformSettings.key, KEY_SCOPE_SETTING))
    .get()?.value;
  return `rettidig-${scope}-${step}`;
}

function invoiceWithOrder(invoiceId: number) {
  const row = db
    .select({ invoice: invoices, order: orders, organisation: organisations })
    .from(invoices)
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .innerJoin(organisations, eq(organisations.id, orders.organisationId))
    .where(eq(invoices.id, invoiceId))
    .get();
  if (!row) throw new Error(`Faktura ${invoiceId} findes ikke`);
  return row;
}

/** A Stripe timestamp as the Danish calendar day it falls on. */
const danishDay = (unixSeconds: number) => danishDate(new Date(unixSeconds * 1000));

/** Noon UTC falls on the same calendar day in every time zone Stripe may render the period in. */
const middayOf = (isoDate: string) => Date.parse(`${isoDate}T12:00:00Z`) / 1000;

/** One customer per municipality; its id is kept the moment it exists, so no retry makes a second. */
async function ensureCustomer(stripe: Stripe, order: Order, organisation: Organisation): Promise<string> {
  if (organisation.stripeCustomerId) return organisation.stripeCustomerId;
  const customer = await stripe.customers.create(
    {
      name: order.buyerName,
      email: order.buyerEmail,
      address: {
        line1: `${order.buyerStreetName} ${order.buyerBuildingNumber}`,
        postal_code: order.buyerPostalCode,
        city: order.buyerCity,
        country: "DK",
      },
      preferred_locales: ["da"],
      tax_id_data: [{ type: "eu_vat", value: `DK${order.buyerCvr}` }],
      metadata: { organisationId: String(organisation.id), ean: order.ean, cvr: order.buyerCvr },
    },
    { idempotencyKey: idempotencyKey(`customer-org-${organisation.id}`) },
  );
  db.update(organisations)
    .set({ stripeCustomerId: customer.id })
    .where(and(eq(organisations.id, organisation.id), isNull(organisations.stripeCustomerId)))
    .run();
  return customer.id;
}

/**
 * The stored rate is checked before use: one archived in the dashboard, or made with the other
 * mode's key (test or live), cannot go on a new invoice, so a replacement is made and kept.
 */
async function usable(stripe: Stripe, taxRateId: string): Promise<boolean> {
  try {
    return (await stripe.taxRates.retrieve(taxRateId)).active;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing") return false;
    throw error;
  }
}

async function vatRate(stripe: Stripe): Promise<string> {
  const stored = db
    .select({ value: platformSettings.value })
    .from(platformSettings)
    .where(eq(platformSettings.key, VAT_RATE_SETTING))
    .get()?.value;
  if (stored && (await usable(stripe, stored))) return stored;
  const rate = await stripe.taxRates.create(
    {
      display_name: "Moms",
      description: `Dansk moms ${VAT_RATE_PERCENT} %`,
      percentage: VAT_RATE_PERCENT,
      inclusive: false,
      country: "DK",
      jurisdiction: "DK",
      tax_type: "vat",
    },
    { idempotencyKey: idempotencyKey(stored ? `taxrate-vat25-replacing-${stored}` : "taxrate-vat25") },
  );
  db.insert(platformSettings)
    .values({ key: VAT_RATE_SETTING, value: rate.id })
    .onConflictDoUpdate({ target: platformSettings.key, set: { value: rate.id } })
    .run();
  return rate.id;
}

/** Stripe has no Danish bank transfer, so the invoice tells the municipality where to pay. */
function paymentTexts() {
  const s = seller();
  return {
    description: `Betales senest på forfaldsdatoen ved bankoverførsel til reg.nr. ${s.bankRegNo}, kontonr. ${s.bankAccountNo}. Skriv fakturanummeret i meddelelsen.`,
    footer: `${s.name} · CVR ${s.cvr} · ${s.streetName} ${s.buildingNumber}, ${s.postalCode} ${s.city} · ${s.email} · Bank: reg.nr. ${s.bankRegNo}, kontonr. ${s.bankAccountNo}`,
  };
}

async function createDraft(stripe: Stripe, invoice: Invoice, order: Order, customer: string): Promise<Stripe.Invoice> {
  const draft = await stripe.invoices.create(
    {
      customer,
      collection_method: "send_invoice",
      days_until_due: PAYMENT_DAYS,
      currency: "dkk",
      // We finalize and send ourselves, in order; Stripe must not do either on its own schedule.
      auto_advance: false,
      // Only the lines made for this invoice, never anything else pending on the customer.
      pending_invoice_items_behavior: "exclude",
      custom_fields: [
        { name: "EAN", value: order.ean },
        { name: "Ordrenr.", value: order.orderReference },
        { name: "Personreference", value: order.personReference },
        { name: "Licensperiode", value: `${order.startsOn} – ${order.endsOn}` },
      ],
      ...paymentTexts(),
      // Lets a webhook find our invoice even before its Stripe id has been stored here.
      metadata: { invoiceId: String(invoice.id), orderId: String(order.id) },
    },
    { idempotencyKey: idempotencyKey(`invoice-${invoice.id}`) },
  );
  db.update(invoices)
    .set({ stripeInvoiceId: draft.id })
    .where(and(eq(invoices.id, invoice.id), isNull(invoices.stripeInvoiceId)))
    .run();
  return draft;
}

/**
 * Adds the lines a draft does not have yet. Each item carries its position in its metadata,
 * which Stripe copies to the invoice's line, so a retry sees which ones an earlier try made.
 * A draft shows its first ten lines; an order has one.
 */
async function addMissingLines(stripe: Stripe, draft: Stripe.Invoice, customer: string, invoiceId: number) {
  const attached = new Set(draft.lines.data.map((line) => line.metadata.position));
  const missing = db
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.position))
    .all()
    .filter((line) => !attached.has(String(line.position)));
  if (missing.length === 0) return;
  const taxRate = await vatRate(stripe);
  for (const line of missing) {
    await stripe.invoiceItems.create(
      {
        invoice: draft.id,
        customer,
        currency: "dkk",
        description: line.description,
        quantity: line.quantity,
        unit_amount_decimal: Stripe.Decimal.from(line.unitPriceOre),
        tax_rates: [taxRate],
        ...(line.periodStart && line.periodEnd
          ? { period: { start: middayOf(line.periodStart), end: middayOf(line.periodEnd) } }
          : {}),
        metadata: { invoiceId: String(invoiceId), position: String(line.position) },
      },
      { idempotencyKey: idempotencyKey(`invoice-${invoiceId}-line-${line.position}`) },
    );
  }
}

/**
 * Stripe's dates become the invoice's own, as its number does (see recordInvoiceStatus), so the
 * PDF and the OIOUBL file say what Stripe's invoice says. The webhooks adopt them too, in case
 * an event reports a finalized invoice before a retry of ours has.
 */
export function adoptStripeDates(
  database: Db | Tx,
  invoiceId: number,
  stripeInvoice: Pick<Stripe.Invoice, "due_date" | "status_transitions">,
) {
  const finalizedAt = stripeInvoice.status_transitions.finalized_at;
  const dueDate = stripeInvoice.due_date;
  if (!finalizedAt || !dueDate) return;
  database
    .update(invoices)
    .set({ issueDate: danishDay(finalizedAt), dueDate: danishDay(dueDate) })
    .where(eq(invoices.id, invoiceId))
    .run();
}

function recordFinalized(invoiceId: number, finalized: Stripe.Invoice, now: Date) {
  const { number } = finalized;
  if (!number) return;
  db.transaction((tx) => {
    adoptStripeDates(tx, invoiceId, finalized);
    recordInvoiceStatus(tx, invoiceId, "open", now, { number });
  });
}

/** Pending or open: not yet sent, by us or (as a webhook may have told us) by Stripe. */
const awaitsIssue = (status: Invoice["status"] | undefined) => status === "pending" || status === "open";

/**
 * Invoices through Stripe, for bank transfer. Every step can be repeated after a crash or a
 * timeout at any point: a repeated creation gets what Stripe made the first time (see
 * idempotencyKey), and a retry continues from the state of the Stripe invoice.
 */
export const stripeProvider: BillingProvider = {
  name: "stripe",

  async issue(invoiceId, now) {
    const { invoice, order, organisation } = invoiceWithOrder(invoiceId);
    if (!awaitsIssue(invoice.status)) return;
    const stripe = stripeClient();
    const customer = await ensureCustomer(stripe, order, organisation);
    let stripeInvoice = invoice.stripeInvoiceId
      ? await stripe.invoices.retrieve(invoice.stripeInvoiceId)
      : await createDraft(stripe, invoice, order, customer);
    // Finalizing and sending are keyed per attempt, as a retry has already checked the state:
    // Stripe keeps a failed answer under its key for a day, and would repeat it to every retry.
    if (stripeInvoice.status === "draft") {
      await addMissingLines(stripe, stripeInvoice, customer, invoiceId);
      stripeInvoice = await stripe.invoices.finalizeInvoice(
        stripeInvoice.id,
        { auto_advance: false },
        { idempotencyKey: idempotencyKey(`invoice-${invoiceId}-finalize-${invoice.attempts}`) },
      );
    }
    // Two documents with one number must not disagree: the PDF and OIOUBL file are ours.
    if (stripeInvoice.status !== "draft" && stripeInvoice.total !== invoice.grossOre) {
      throw new Error(
        `Stripes faktura ${stripeInvoice.id} lyder på ${stripeInvoice.total} øre, men ordren på ${invoice.grossOre} øre; den sendes ikke`,
      );
    }
    recordFinalized(invoiceId, stripeInvoice, now);
    if (stripeInvoice.status === "open" && awaitsIssue(getInvoice(invoiceId)?.status)) {
      await stripe.invoices.sendInvoice(stripeInvoice.id, undefined, {
        idempotencyKey: idempotencyKey(`invoice-${invoiceId}-send-${invoice.attempts}`),
      });
      recordInvoiceStatus(db, invoiceId, "sent", now);
    }
  },

  async markPaid(invoiceId, now) {
    const invoice = getInvoice(invoiceId);
    if (!invoice) throw new Error(`Faktura ${invoiceId} findes ikke`);
    if (invoice.status === "paid") return;
    if (!invoice.stripeInvoiceId)
      throw new Error("Fakturaen er ikke oprettet hos Stripe endnu, så den kan ikke markeres som betalt.");
    await stripeClient().invoices.pay(
      invoice.stripeInvoiceId,
      { paid_out_of_band: true },
      { idempotencyKey: idempotencyKey(`invoice-${invoiceId}-paid-out-of-band`) },
    );
    if (recordInvoiceStatus(db, invoiceId, "paid", now)) await notifyInvoicePaid(invoiceId);
  },
};
