import { invoicesAwaitingIssue } from "./invoices.server";
import { sendDueNotices } from "./notices.server";
import { issueInvoice } from "./providers.server";

const INTERVAL_MS = 5 * 60 * 1000;

/**
 * Issues invoices that could not be issued when their order was placed, and sends the notices
 * that have fallen due. Each step is safe to repeat, so runs may overlap or be skipped.
 */
export async function runBillingJobs(now = new Date()) {
  for (const invoiceId of invoicesAwaitingIssue(now)) await issueInvoice(invoiceId, now);
  await sendDueNotices(now);
}

const globalForJobs = globalThis as unknown as { rettidigBillingJobs?: NodeJS.Timeout };

/** Runs the billing jobs every five minutes in this server process; once, however often the module is loaded. */
export function startBillingJobs() {
  if (globalForJobs.rettidigBillingJobs) return;
  const run = () => runBillingJobs().catch((error: unknown) => console.error("Faktureringsjobbet fejlede:", error));
  globalForJobs.rettidigBillingJobs = setInterval(run, INTERVAL_MS);
  globalForJobs.rettidigBillingJobs.unref();
  setTimeout(run, 10_000).unref();
}
