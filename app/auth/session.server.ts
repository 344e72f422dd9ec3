import { createCookie, json, redirect } from "@remix-run/node";
import { and, eq, gt, lt } from "drizzle-orm";
import { sessions, users } from "#db/schema";
import { db } from "~/db.server";
import { cookiesAreSecure, getSessionSecret } from "~/env.server";
import { hashSecretToken, newSecretToken } from "./secret-tokens.server";

const SESSION_DAYS = 14;

export type SessionUser = {
  id: number;
  email: string;
  name: string;
  platformRole: "owner" | null;
};

let cookie: ReturnType<typeof createCookie> | undefined;

function sessionCookie() {
  cookie ??= createCookie("rettidig_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: cookiesAreSecure(),
    path: "/",
    secrets: [getSessionSecret()],
  });
  return cookie;
}

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** Starts a server-side session and returns the Set-Cookie header for it. */
export async function createSession(userId: number): Promise<string> {
  const token = newSecretToken();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000);
  db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, new Date()))).run();
  db.insert(sessions).values({ idHash: hashSecretToken(token), userId, expiresAt }).run();
  return sessionCookie().serialize(token, { expires: expiresAt });
}

export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  const token = await readToken(request);
  if (!token) return null;
  const row = db
    .select({ id: users.id, email: users.email, name: users.name, platformRole: users.platformRole })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, hashSecretToken(token)), gt(sessions.expiresAt, new Date())))
    .get();
  return row ?? null;
}

/** For loaders and actions that need a signed-in user: everyone else is sent to sign in and back. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (user) return user;
  const url = new URL(request.url);
  const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
  throw redirect(`/log-ind?${params}`);
}

/** The course owner's pages: anyone else is told the page does not exist. */
export async function requireOwner(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.platformRole !== "owner") throw json({ message: "Siden findes ikke." }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return user;
}

export async function requireAnonymous(request: Request) {
  if (await getSessionUser(request)) throw redirect("/kurser");
}

/** Ends this browser's session and returns the Set-Cookie header that clears it. */
export async function destroySession(request: Request): Promise<string> {
  const token = await readToken(request);
  if (token) db.delete(sessions).where(eq(sessions.idHash, hashSecretToken(token))).run();
  return sessionCookie().serialize("", { maxAge: 0 });
}

export function revokeAllSessions(userId: number) {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}
