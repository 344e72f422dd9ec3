import { createHmac } from "node:crypto";
import { getPseudonymKey } from "~/env.server";

/**
 * The name one person's answers to one measurement are filed under: an HMAC of the measurement and
 * the person under a key that is not in the database. The same person always gets the same
 * pseudonym in the same measurement, so baseline, completion and follow-up pair up; without the
 * key, no one can compute it from the person's id, e-mail or anything else the database holds, and
 * the pseudonyms of two measurements cannot be matched with each other.
 */
export function measurementPseudonym(measurementId: number, userId: number): string {
  return createHmac("sha256", getPseudonymKey())
    .update(`measurement:${measurementId}:user:${userId}`)
    .digest("base64url");
}
