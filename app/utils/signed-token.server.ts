import { createHmac, timingSafeEqual } from "node:crypto";

export type SignedTokenCheck =
  { ok: true; data: Record<string, unknown> } | { ok: false; reason: "malformed" | "signature" };

const MAX_TOKEN_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

// The same secret signs session cookies and every kind of token; the purpose label keeps a MAC
// made for one use from ever being valid for another.
function mac(purpose: string, encodedPayload: string, secret: string | Buffer): Buffer {
  return createHmac("sha256", secret).update(`${purpose}.${encodedPayload}`).digest();
}

/** A URL-safe `payload.signature` string for a small JSON object, valid only for this purpose. */
export function signToken(purpose: string, data: Record<string, unknown>, secret: string | Buffer): string {
  const encoded = Buffer.from(JSON.stringify(data)).toString("base64url");
  return `${encoded}.${mac(purpose, encoded, secret).toString("base64url")}`;
}

/** The object a token signed for this purpose carries, or why it is not to be trusted. */
export function verifyToken(purpose: string, token: string, secret: string | Buffer): SignedTokenCheck {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH)
    return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  const [encoded = "", signature = ""] = parts;
  if (!BASE64URL.test(encoded) || !BASE64URL.test(signature)) return { ok: false, reason: "malformed" };

  const expected = mac(purpose, encoded, secret);
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
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { ok: false, reason: "malformed" };
  return { ok: true, data: raw as Record<string, unknown> };
}

/** A database id as a token carries it: a positive safe integer. */
export function isId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}
