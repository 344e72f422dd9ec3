import Stripe from "stripe";
import { getEnv } from "~/env.server";

/**
 * Pinned to the version this SDK's types describe, so neither a change of the account's default
 * version in the dashboard nor an SDK update changes the objects and events we read without us
 * noticing. Raise it together with the `stripe` package, and point the webhook endpoint at it.
 */
const STRIPE_API_VERSION = "2026-10-28.endive";

let client: Stripe | undefined;

function apiBase(url: string | undefined) {
  if (!url) return {};
  const parsed = new URL(url);
  const protocol = parsed.protocol === "http:" ? "http" : "https";
  return { host: parsed.hostname, port: parsed.port || (protocol === "http" ? 80 : 443), protocol } as const;
}

/** The one Stripe client of the process; it talks to STRIPE_API_BASE instead of Stripe when that is set. */
export function stripeClient(): Stripe {
  if (client) return client;
  const env = getEnv();
  if (!env.STRIPE_SECRET_KEY) {
    throw new Error("STRIPE_SECRET_KEY er ikke sat, så fakturaen kan ikke oprettes hos Stripe.");
  }
  client = new Stripe(env.STRIPE_SECRET_KEY, {
    apiVersion: STRIPE_API_VERSION,
    // One quick retry for a dropped connection; anything longer is the billing job's backoff.
    maxNetworkRetries: 1,
    // An order waits on this call, and a failure only postpones the invoice, so fail within seconds.
    timeout: 10_000,
    appInfo: { name: "Rettidig" },
    ...apiBase(env.STRIPE_API_BASE),
  });
  return client;
}
