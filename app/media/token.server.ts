import { isId, signToken, verifyToken } from "~/utils/signed-token.server";
import { isSafeVersion } from "./library.server";

export interface MediaTokenPayload {
  userId: number;
  moduleId: number;
  /** The film version (ladder folder) the token opens, and no other. */
  version: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export type VerifyResult =
  { ok: true; payload: MediaTokenPayload } | { ok: false; reason: "malformed" | "signature" | "expired" };

/**
 * Long enough to watch a film with pauses; a page load issues a fresh one. A superseded film
 * version stays on disk this long after the switch (pruneSupersededVersions), so every player
 * holding a token can finish the film it started.
 */
export const MEDIA_TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000;

// v2 names the version; a v1 token (module only) is no longer accepted.
const PURPOSE = "rettidig-media-token-v2";

/** A URL-safe `payload.signature` string; the payload uses one-letter keys to keep URLs short. */
export function signMediaToken(payload: MediaTokenPayload, secret: string | Buffer): string {
  if (
    !isId(payload.userId) ||
    !isId(payload.moduleId) ||
    !isSafeVersion(payload.version) ||
    !Number.isSafeInteger(payload.expiresAt)
  ) {
    throw new Error("Ugyldige data til medie-token");
  }
  return signToken(
    PURPOSE,
    { u: payload.userId, m: payload.moduleId, v: payload.version, e: payload.expiresAt },
    secret,
  );
}

export function verifyMediaToken(token: string, secret: string | Buffer, now: number = Date.now()): VerifyResult {
  const checked = verifyToken(PURPOSE, token, secret);
  if (!checked.ok) return checked;
  const { u, m, v, e } = checked.data;
  if (
    !isId(u) ||
    !isId(m) ||
    typeof v !== "string" ||
    !isSafeVersion(v) ||
    typeof e !== "number" ||
    !Number.isSafeInteger(e)
  ) {
    return { ok: false, reason: "malformed" };
  }
  if (now >= e) return { ok: false, reason: "expired" };
  return { ok: true, payload: { userId: u, moduleId: m, version: v, expiresAt: e } };
}
