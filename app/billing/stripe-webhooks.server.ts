import { and, eq, isNull } from "drizzle-orm";
import Stripe from "stripe";
import { invoices, stripeEvents, type InvoiceStatus } from "#db/schema";
import { db, type Tx } from "~/db.server";
import { getEnv } from "~/env.server";
import { recordInvoiceStatus } from "./invoices.server";
import { notifyInvoicePaid } from "./notices.server";
import { adoptStripeDates } from "./stripe-provider.server";

const STATUS_OF_EVENT = {
  "invoice.finalized": "open",
  "invoice.sent": "sent",
  "invoice.paid": "paid",
  "invoice.payment_succeeded": "paid",
  "invoice.payment_failed": "payment_failed",
  "invoice.overdue": "overdue",
  "invoice.voided": "void",
  "invoice.marked_uncollectible": "uncollectible",
} as const satisfies Partial<Record<Stripe.Event["type"], InvoiceStatus>>;

type InvoiceEvent = Extract<Stripe.Event, { type: keyof typeof STATUS_OF_EVENT }>;

const isInvoiceEvent = (event: Stripe.Event): event is InvoiceEvent => event.type in STATUS_OF_EVENT;

export type WebhookResult = { status: 200 | 400 | 503; message: string };

/**
 * Our invoice, by its Stripe id or else by the ids we put in its metadata, which an event carries
 * even when it arrives before the Stripe id was stored here; then the id is stored with it.
 */
function ourInvoiceId(tx: Tx, object: Stripe.Invoice): number | null {
  const known = tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.stripeInvoiceId, object.id)).get();
  if (known) return known.id;
  const invoiceId = Number(object.metadata?.invoiceId);
  const orderId = Number(object.metadata?.orderId);
  if (!Number.isSafeInteger(invoiceId) || !Number.isSafeInteger(orderId)) return null;
  // The order must match too: another installation on the same Stripe account has its own invoice 7.
  const claimed = tx
    .update(invoices)
    .set({ stripeInvoiceId: object.id })
    .where(
      and(
        eq(invoices.id, invoiceId),
        eq(invoices.orderId, orderId),
        eq(invoices.provider, "stripe"),
        isNull(invoices.stripeInvoiceId),
      ),
    )
    .run();
  return claimed.changes === 1 ? invoiceId : null;
}

/**
 * Records one event, once: its id and the status change are saved in the same transaction, so
 * a repeated delivery finds the id and changes nothing. Stripe's events come late, twice and out
 * of order; recordInvoiceStatus keeps an older one from undoing a newer one. Every verified event
 * is answered 200, including types and invoices we do not know (dashboard invoices, other
 * installations), since Stripe would otherwise deliver them again for days.
 */
function recordEvent(event: Stripe.Event, now: Date): { message: string; paidInvoiceId?: number } {
  return db.transaction((tx) => {
    const fresh =
      tx.insert(stripeEvents).values({ id: event.id, type: event.type, receivedAt: now }).onConflictDoNothing().run()
        .changes === 1;
    if (!fresh) return { message: "Hændelsen er allerede behandlet." };
    if (!isInvoiceEvent(event)) return { message: "Hændelsestypen bruges ikke og er ignoreret." };
    const object = event.data.object;
    const invoiceId = ourInvoiceId(tx, object);
    if (invoiceId === null) return { message: "Fakturaen er ikke fra Rettidig og er ignoreret." };
    adoptStripeDates(tx, invoiceId, object);
    const status = STATUS_OF_EVENT[event.type];
    const paidAt = object.status_transitions.paid_at;
    const moved = recordInvoiceStatus(tx, invoiceId, status, new Date(event.created * 1000), {
      number: object.number,
      ...(paidAt ? { paidAt: new Date(paidAt * 1000) } : {}),
    });
    if (!moved) return { message: "Fakturaen har allerede denne eller en nyere status." };
    return { message: "Fakturaens status er opdateret.", ...(status === "paid" ? { paidInvoiceId: invoiceId } : {}) };
  });
}

/** Verifies and handles one delivery to /webhooks/stripe. Nothing is stored unless the signature holds. */
export async function handleStripeWebhook(
  rawBody: string | Buffer,
  signature: string | null,
  now = new Date(),
): Promise<WebhookResult> {
  const secret = getEnv().STRIPE_WEBHOOK_SECRET;
  // 503 rather than 400: Stripe keeps delivering, and the events arrive once the secret is set.
  if (!secret)
    return { status: 503, message: "Stripe-webhooks er ikke sat op på serveren (STRIPE_WEBHOOK_SECRET mangler)." };
  if (!signature) return { status: 400, message: "Stripe-Signature-headeren mangler." };
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret, undefined, undefined, now.getTime());
  } catch {
    return { status: 400, message: "Signaturen kunne ikke bekræftes. Hændelsen er afvist." };
  }

  let outcome: ReturnType<typeof recordEvent>;
  try {
    outcome = recordEvent(event, now);
  } catch (error) {
    console.error(`Stripe-hændelse ${event.id} kunne ikke gemmes; Stripe sender den igen:`, error);
    return { status: 503, message: "Hændelsen kunne ikke gemmes lige nu. Stripe sender den igen." };
  }

  if (outcome.paidInvoiceId !== undefined) {
    // The payment is recorded either way; a failed mail must not make Stripe resend an event we have.
    try {
      await notifyInvoicePaid(outcome.paidInvoiceId);
    } catch (error) {
      console.error(`Besked om betaling af faktura ${outcome.paidInvoiceId} kunne ikke sendes:`, error);
    }
  }
  return { status: 200, message: outcome.message };
}
