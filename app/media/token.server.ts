import { createHmac, timingSafeEqual } from "node:crypto";

export interface MediaTokenPayload {
  userId: number;
  moduleId: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export type VerifyResult =
  | { ok: true; payload: MediaTokenPayload }
  | { ok: false; reason: "malformed" | "signature" | "expired" };

// The same secret may sign session cookies; a purpose label keeps a MAC made for one
// use from ever being valid for the other.
const PURPOSE = "rettidig-media-token-v1";
const MAX_TOKEN_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(encodedPayload: string, secret: string | Buffer): Buffer {
  return createHmac("sha256", secret).update(`${PURPOSE}.${encodedPayload}`).digest();
}

function isId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

/** A URL-safe `payload.signature` string; the payload uses one-letter keys to keep URLs short. */
export function signMediaToken(payload: MediaTokenPayload, secret: string | Buffer): string {
  if (!isId(payload.userId) || !isId(payload.moduleId) || !Number.isSafeInteger(payload.expiresAt)) {
    throw new Error("Ugyldige data til medie-token");
  }
  const encoded = Buffer.from(JSON.stringify({ u: payload.userId, m: payload.moduleId, e: payload.expiresAt })).toString("base64url");
  return `${encoded}.${mac(encoded, secret).toString("base64url")}`;
}

export function verifyMediaToken(token: string, secret: string | Buffer, now: number = Date.now()): VerifyResult {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  const [encoded = "", signature = ""] = parts;
  if (!BASE64URL.test(encoded) || !BASE64URL.test(signature)) return { ok: false, reason: "malformed" };

  const expected = mac(encoded, secret);
  const given = Buffer.from(signature, "base64url");
  // Decoding ignores stray trailing bits; requiring the canonical spelling keeps each token unique.
  if (given.toString("base64url") !== signature) return { ok: false, reason: "signature" };
  // timingSafeEqual throws on different lengths, and a length mismatch reveals nothing secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature" };

  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const data = raw as { u?: unknown; m?: unknown; e?: unknown } | null;
  if (!data || typeof data !== "object" || !isId(data.u) || !isId(data.m) || typeof data.e !== "number" || !Number.isSafeInteger(data.e)) {
    return { ok: false, reason: "malformed" };
  }
  if (now >= data.e) return { ok: false, reason: "expired" };
  return { ok: true, payload: { userId: data.u, moduleId: data.m, expiresAt: data.e } };
}
