import type { BillingProviderName } from "#db/schema";
import { getEnv } from "~/env.server";
import { getInvoice, recordIssueFailure, recordIssueSuccess } from "./invoices.server";
import { manualProvider } from "./manual-provider.server";
import { stripeProvider } from "./stripe-provider.server";

/**
 * Where invoices are made. Both are called only after the order's transaction has committed,
 * and both may be called again for the same invoice: a retry must never make a second one.
 */
export type BillingProvider = {
  name: BillingProviderName;
  /** Makes, numbers and sends the invoice. Throws when the provider cannot be reached; the invoice stays pending. */
  issue(invoiceId: number, now: Date): Promise<void>;
  /** The owner has seen the municipality's bank transfer arrive. */
  markPaid(invoiceId: number, now: Date): Promise<void>;
};

/** Stripe when a key is configured; otherwise the platform numbers and renders invoices itself. */
export function activeProviderName(): BillingProviderName {
  return getEnv().STRIPE_SECRET_KEY ? "stripe" : "manual";
}

export function providerFor(name: BillingProviderName): BillingProvider {
  return name === "stripe" ? stripeProvider : manualProvider;
}

/**
 * Issues the invoice at its provider, outside any transaction. A failure is kept on the invoice
 * and tried again by the billing job; the order and licence are already saved either way.
 */
export async function issueInvoice(invoiceId: number, now = new Date()): Promise<"issued" | "deferred"> {
  const invoice = getInvoice(invoiceId);
  if (!invoice) throw new Error(`Faktura ${invoiceId} findes ikke`);
  try {
    await providerFor(invoice.provider).issue(invoiceId, now);
    recordIssueSuccess(invoiceId);
    return "issued";
  } catch (error) {
    console.error(`Faktura ${invoiceId} kunne ikke udstedes nu; den prøves igen senere:`, error);
    recordIssueFailure(invoiceId, error, now);
    return "deferred";
  }
}

export type MarkPaidResult = { status: "paid"; number: string } | { status: "notFound" } | { status: "notPayable" };

/** The owner records that the bank transfer for an issued invoice has arrived. */
export async function markInvoicePaid(invoiceId: number, now = new Date()): Promise<MarkPaidResult> {
  const invoice = getInvoice(invoiceId);
  if (!invoice) return { status: "notFound" };
  if (!invoice.number || invoice.status === "void" || invoice.status === "pending") return { status: "notPayable" };
  if (invoice.status !== "paid") await providerFor(invoice.provider).markPaid(invoiceId, now);
  return { status: "paid", number: invoice.number };
}
