import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getSsoEncryptionKeys } from "~/env.server";

const ALGORITHM = "aes-256-gcm";
const FORMAT = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals a secret for the database with AES-256-GCM. The context names the row and column the
 * value belongs to, e.g. `identity_provider:7:oidc_client_secret`, and is authenticated with it,
 * so a sealed value copied into another row or column does not open there.
 */
export function sealSecret(plain: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, getSsoEncryptionKeys().current, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [FORMAT, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64url"))].join(".");
}

/**
 * Opens what sealSecret made for the same context, with the current key or else the one before
 * the latest rotation. Throws when the value was changed, moved or sealed with another key; the
 * error never contains the value.
 */
/** A stored value the server's keys cannot open: the key was changed without keeping the old one, or the value was altered. */
export class UnreadableSecretError extends Error {}

export function openSecret(sealed: string, context: string): string {
  const [format, ...encoded] = sealed.split(".");
  const [iv, tag, ciphertext] = encoded.map((part) => Buffer.from(part, "base64url"));
  if (
    format !== FORMAT ||
    encoded.length !== 3 ||
    iv?.length !== IV_BYTES ||
    tag?.length !== TAG_BYTES ||
    !ciphertext
  ) {
    throw new UnreadableSecretError(`Ikke en forseglet hemmelighed (${context})`);
  }

  const { current, previous } = getSsoEncryptionKeys();
  for (const key of previous ? [current, previous] : [current]) {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
    } catch {
      // A wrong key fails just as a changed value does, so only the last key's failure is final.
    }
  }
  throw new UnreadableSecretError(
    `Den forseglede hemmelighed kan ikke åbnes (${context}): ændret, flyttet eller forseglet med en anden nøgle`,
  );
}
