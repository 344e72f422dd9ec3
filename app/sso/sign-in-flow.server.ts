import { redirect } from "@remix-run/node";
import { json } from "@remix-run/node";
import { lt } from "drizzle-orm";
import { ssoFlows, ssoSessions } from "#db/schema";
import { hashSecretToken, newSecretToken } from "~/auth/secret-tokens.server";
import { startSession } from "~/auth/session.server";
import { tellAdminsSeatsAreFull } from "~/billing/notices.server";
import { db } from "~/db.server";
import { cookiesAreSecure } from "~/env.server";
import { safeRedirectPath } from "~/utils/http.server";
import type { SeatOutcome } from "./provision.server";

/** How long a person may spend at the provider's login page before the attempt is void. */
export const flowMinutes = 10;

/** Path=/sso keeps the flow cookie away from every other page; a `__Host-` name would demand Path=/. */
const flowCookieName = "rettidig_sso_flow";

function flowCookieHeader(value: string, maxAgeSeconds: number) {
  const secure = cookiesAreSecure() ? "; Secure" : "";
  return `${flowCookieName}=${value}; Path=/sso; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

export const flowCookie = (token: string) => flowCookieHeader(token, flowMinutes * 60);

export function readFlowCookie(request: Request) {
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === flowCookieName) return value.join("=");
  }
  return null;
}

/**
 * Writes a new sign-in attempt and returns the token for the browser's flow cookie; only its hash
 * is stored. Expired attempts are cleared on the way, so the table holds only live ones.
 * `checks` are the protocol's own: state, nonce and verifier, or the SAML request id.
 */
export function openSignInFlow(
  providerId: number,
  redirectTo: string | null,
  checks: Pick<typeof ssoFlows.$inferInsert, "state" | "nonce" | "codeVerifier" | "samlRequestId">,
  now: Date,
) {
  const flowToken = newSecretToken();
  db.transaction((tx) => {
    tx.delete(ssoFlows).where(lt(ssoFlows.expiresAt, now)).run();
    tx.insert(ssoFlows)
      .values({
        idHash: hashSecretToken(flowToken),
        providerId,
        ...checks,
        redirectTo: safeRedirectPath(redirectTo),
        createdAt: now,
        expiresAt: new Date(now.getTime() + flowMinutes * 60_000),
      })
      .run();
  });
  return flowToken;
}

/** Why a sign-in through the municipality's provider stopped: each is a Danish message. */
export type SsoSignInFailure =
  | "sso.signIn.disabled"
  | "sso.signIn.flowInvalid"
  | "sso.signIn.stateMismatch"
  | "sso.signIn.unreachable"
  | "sso.signIn.providerRefused"
  | "sso.signIn.missingEmail"
  | "sso.signIn.domainNotOurs"
  | "sso.signIn.alreadyLinked"
  | "sso.signIn.deactivated"
  | "sso.signIn.samlUnsigned"
  | "sso.signIn.samlInvalid"
  | "sso.signIn.samlExpired"
  | "sso.signIn.samlAudience"
  | "sso.signIn.samlReplayed"
  | "sso.signIn.samlIssuer"
  | "sso.signIn.samlRecipient";

export type SsoSignInResult =
  | {
      ok: true;
      userId: number;
      providerId: number;
      organisationId: number;
      redirectTo: string;
      seat: SeatOutcome;
      /** Kept with the session as the hint the provider's end-session endpoint asks for. */
      idToken: string | null;
    }
  | { ok: false; reason: SsoSignInFailure };

const noStore = { "Cache-Control": "no-store" };

/**
 * The answer to the browser at the end of a sign-in through a provider, whichever protocol: the
 * flow cookie is spent either way; a refusal is a Danish message, a success a session that
 * remembers its provider, and a person without a seat is told why before going on.
 */
export async function ssoSignInResponse(request: Request, finished: SsoSignInResult, now = new Date()) {
  const spent = flowCookieHeader("", 0);
  if (!finished.ok) {
    const status =
      finished.reason === "sso.signIn.disabled" ? 404 : finished.reason === "sso.signIn.deactivated" ? 403 : 400;
    return json(
      { message: finished.reason, signedIn: false },
      { status, headers: [...Object.entries(noStore), ["Set-Cookie", spent]] },
    );
  }
  const session = await startSession(request, finished.userId, now, (sessionIdHash) =>
    db.insert(ssoSessions).values({ sessionIdHash, providerId: finished.providerId, idToken: finished.idToken }).run(),
  );
  // After the session is written, never inside a transaction: it may send mail.
  if (finished.seat === "full") await tellAdminsSeatsAreFull(finished.organisationId, now);
  const headers: [string, string][] = [...Object.entries(noStore), ["Set-Cookie", spent], ["Set-Cookie", session]];
  const waiting = { full: "sso.signIn.seatFull", requested: "sso.signIn.seatRequested" } as const;
  if (finished.seat === "full" || finished.seat === "requested") {
    return json({ message: waiting[finished.seat], signedIn: true }, { headers });
  }
  return redirect(finished.redirectTo, { headers });
}
