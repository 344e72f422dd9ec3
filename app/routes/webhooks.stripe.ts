import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { handleStripeWebhook } from "~/billing/stripe-webhooks.server";

// Invoice events are a few kilobytes; anything near this is not from Stripe.
const MAX_BODY_BYTES = 1024 * 1024;

const answer = (status: number, message: string) =>
  json({ message }, { status, headers: { "Cache-Control": "no-store" } });

/** Where Stripe reports what happens to our invoices. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return answer(405, "Kun POST er tilladt.");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES) return answer(413, "Hændelsen er for stor.");
  // The signature covers the exact bytes Stripe sent, so they are passed on undecoded.
  const body = Buffer.from(await request.arrayBuffer());
  if (body.byteLength > MAX_BODY_BYTES) return answer(413, "Hændelsen er for stor.");
  const result = await handleStripeWebhook(body, request.headers.get("stripe-signature"));
  return answer(result.status, result.message);
}

export async function loader() {
  return answer(405, "Kun POST er tilladt.");
}
