import { createCookie, redirect } from "@remix-run/node";
import { and, eq, gt, isNull, lt, lte, or } from "drizzle-orm";
import { sessions, users } from "#db/schema";
import { db } from "~/db.server";
import { cookiesAreSecure, getSessionSecret } from "~/env.server";
import { administeredOrganisations } from "~/licensing/overview.server";
import { invariantResponse } from "~/utils/http.server";
import { hashSecretToken, newSecretToken } from "./secret-tokens.server";

const SESSION_DAYS = 14;
/** A session unused this long ends: PCs in institutions are shared, and people forget to sign out. */
export const SESSION_IDLE_MS = 8 * 3600 * 1000;
/** How stale last-seen may get before a request writes it again, so a page view is not a write each time. */
const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;

export type SessionUser = {
  id: number;
  email: string;
  name: string;
  platformRole: "owner" | null;
};

let cookie: ReturnType<typeof createCookie> | undefined;

/**
 * Over https the cookie is named `__Host-…`: browsers then only accept it when it is Secure,
 * set for Path=/ and without a Domain, so no other host (a subdomain, or plain http on the same
 * name) can plant or overwrite it.
 */
function sessionCookieName() {
  return cookiesAreSecure() ? "__Host-rettidig_session" : "rettidig_session";
}

function sessionCookie() {
  cookie ??= createCookie(sessionCookieName(), {
    httpOnly: true,
    sameSite: "lax",
    secure: cookiesAreSecure(),
    path: "/",
    secrets: [getSessionSecret()],
  });
  return cookie;
}

async function readToken(cookieHeader: string | null): Promise<string | null> {
  const value = await sessionCookie().parse(cookieHeader);
  return typeof value === "string" && value.length > 0 ? value : null;
}

/**
 * Deletes every session that has expired or gone idle, of all users: one statement, safe to run
 * from any process. Returns how many went, for the nightly privacy purge's summary.
 */
export function deleteDeadSessions(now: Date): number {
  return db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS))))
    .run().changes;
}

/**
 * Starts a server-side session and returns the Set-Cookie header for it. `linkSession` lets a
 * sign-in record what began the session (a municipality's provider) under the session's id.
 */
export async function createSession(
  userId: number,
  now = new Date(),
  linkSession?: (idHash: string) => void,
): Promise<string> {
  const token = newSecretToken();
  const idHash = hashSecretToken(token);
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 24 * 3600 * 1000);
  deleteDeadSessions(now);
  db.insert(sessions).values({ idHash, userId, expiresAt, lastSeenAt: now }).run();
  linkSession?.(idHash);
  return sessionCookie().serialize(token, { expires: expiresAt });
}

/** The stored id of this browser's session, signed in or not, or null when it carries none. */
export async function sessionIdHash(request: Request): Promise<string | null> {
  return sessionIdHashFromCookie(request.headers.get("Cookie"));
}

/** The same, from a raw Cookie header: the session alone, whatever other cookies come with it. */
export async function sessionIdHashFromCookie(cookieHeader: string | null): Promise<string | null> {
  const token = await readToken(cookieHeader);
  return token ? hashSecretToken(token) : null;
}

/**
 * Signs this browser in as the user with a new session id, ending the session its cookie named
 * before (another user's, an idle one, or one planted by someone else), so a session id known
 * before signing in never carries the signed-in user. For sign-in and accepting an invitation.
 */
export async function startSession(
  request: Request,
  userId: number,
  now = new Date(),
  linkSession?: (idHash: string) => void,
): Promise<string> {
  const previous = await sessionIdHash(request);
  if (previous) db.delete(sessions).where(eq(sessions.idHash, previous)).run();
  return createSession(userId, now, linkSession);
}

/**
 * The signed-in user, or null when there is no session, or it has expired or been idle for
 * SESSION_IDLE_MS. This is called by loaders, which change nothing a person can see; refreshing
 * last-seen is bookkeeping for the idle timeout, and is written only once it is LAST_SEEN_EVERY_MS old.
 */
export async function getSessionUser(request: Request, now = new Date()): Promise<SessionUser | null> {
  return sessionUserFromCookie(request.headers.get("Cookie"), now);
}

/** The same, from a raw Cookie header: the media fast path answers before Remix makes a Request. */
export async function sessionUserFromCookie(
  cookieHeader: string | null,
  now = new Date(),
): Promise<SessionUser | null> {
  const token = await readToken(cookieHeader);
  if (!token) return null;
  const idHash = hashSecretToken(token);
  const row = db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      platformRole: users.platformRole,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    // A session of an account the municipality's directory has closed since is no session.
    .innerJoin(users, and(eq(users.id, sessions.userId), isNull(users.deactivatedAt)))
    .where(
      and(
        eq(sessions.idHash, idHash),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
      ),
    )
    .get();
  if (!row) return null;
  const { lastSeenAt, ...user } = row;
  if (now.getTime() - lastSeenAt.getTime() >= LAST_SEEN_EVERY_MS) {
    const stale = new Date(now.getTime() - LAST_SEEN_EVERY_MS);
    db.update(sessions)
      .set({ lastSeenAt: now })
      .where(and(eq(sessions.idHash, idHash), lte(sessions.lastSeenAt, stale)))
      .run();
  }
  return user;
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
  invariantResponse(user.platformRole === "owner", "error.notFound", { status: 404 });
  return user;
}

/** The administration's pages: the signed-in admin of at least one municipality, or a 403 for anyone else. */
export async function requireAdmin(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  invariantResponse(administeredOrganisations(user).length > 0, "forbidden.adminsOnly", { status: 403 });
  return user;
}

export async function requireAnonymous(request: Request) {
  if (await getSessionUser(request)) throw redirect("/kurser");
}

/** Ends this browser's session and returns the Set-Cookie header that clears it. */
export async function destroySession(request: Request): Promise<string> {
  const idHash = await sessionIdHash(request);
  if (idHash) db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
  return sessionCookie().serialize("", { maxAge: 0 });
}

export function revokeAllSessions(userId: number) {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}
