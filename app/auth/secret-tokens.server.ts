import { createHash, randomBytes } from "node:crypto";

/**
 * Tokens that travel in cookies and links (sessions, password resets, invitations). Only their
 * SHA-256 is stored, so a copy of the database opens nothing.
 */
export function newSecretToken() {
  return randomBytes(32).toString("base64url");
}

export function hashSecretToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}
