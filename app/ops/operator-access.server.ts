import { createHash, timingSafeEqual } from "node:crypto";
import { getSessionUser } from "~/auth/session.server";
import { getEnv } from "~/env.server";

export type OperatorAccess = "granted" | "noCredentials" | "refused";

/** Compared as SHA-256 digests, so the comparison takes as long whatever the length of what was sent. */
function sameToken(given: string, expected: string) {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Who may read the platform's operational figures (/metrics, /healthz's details): a monitoring
 * system with `Authorization: Bearer <METRICS_TOKEN>`, or the platform owner signed in. A wrong
 * token or someone else's session is refused; nothing at all is asked to authenticate.
 */
export async function operatorAccess(request: Request): Promise<OperatorAccess> {
  const header = request.headers.get("Authorization");
  if (header !== null) {
    const token = getEnv().METRICS_TOKEN;
    const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    return token !== undefined && given !== undefined && sameToken(given, token) ? "granted" : "refused";
  }
  const user = await getSessionUser(request);
  if (!user) return "noCredentials";
  return user.platformRole === "owner" ? "granted" : "refused";
}
