import { eq } from "drizzle-orm";
import { users } from "#db/schema";
import { createSession } from "~/auth/session.server";
import { db } from "~/db.server";

export const BASE = "http://localhost:3000";

export function userIdByEmail(email: string): number {
  const row = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (!row) throw new Error(`No seeded user ${email}`);
  return row.id;
}

/** The Cookie header a browser would send after signing in as this seeded user. */
export async function sessionCookieFor(email: string): Promise<string> {
  const setCookie = await createSession(userIdByEmail(email));
  return setCookie.split(";")[0] ?? "";
}

export function request(path: string, init: RequestInit & { cookie?: string } = {}): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  return new Request(`${BASE}${path}`, { ...init, headers });
}

export function formRequest(path: string, fields: Record<string, string>, cookie?: string): Request {
  return request(path, { method: "POST", body: new URLSearchParams(fields), cookie });
}

/**
 * Loaders and actions throw responses for redirects and 4xx; tests want the response either way.
 * A refusal comes back as a Response too, so assert its status before reading its body (jsonOf).
 */
export async function settle(run: () => Promise<unknown> | unknown): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    throw new Error(`Expected a Response, got ${JSON.stringify(result)}`);
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

/** The JSON body of a response that must have this status, checked first: a refusal's JSON never passes for the page's data. */
export async function jsonOf<T>(response: Response, status = 200): Promise<T> {
  if (response.status !== status)
    throw new Error(`Expected ${status}, got ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

/** What the platform's server passes every loader and action; tests speak from one loopback client unless they say otherwise. */
export const testContext = (clientAddress = "127.0.0.1") => ({ cspNonce: "test-nonce", clientAddress });

export const routeArgs = (req: Request, params: Record<string, string> = {}, context = testContext()) => ({
  request: req,
  params,
  context,
});
