import type { MediaGrant } from "./access.server";

type Granted = Extract<MediaGrant, { status: "ok" }>;

/** Past this many live grants the cache is swept; a flood of distinct tokens cannot grow it without end. */
const MAX_ENTRIES = 50_000;

/**
 * Remembers, per process, that a token, its version and a session (its stored id) were let through, for
 * `seconds` at most and never past the token's own expiry. A player asks for a segment every few
 * seconds, and each miss costs a session lookup and the seat rule's queries. Only grants are kept,
 * never refusals, so a seat given is usable at once. The price is the bound on revocation: a seat
 * taken back, a session ended or a module unpublished stops the files of a film at most `seconds`
 * later in each process that served it, since nothing here hears of the change; 0 switches it off.
 */
export function grantCache(seconds: number) {
  const entries = new Map<string, { grant: Granted; until: number }>();
  const ttlMs = seconds * 1000;

  const sweep = (now: number) => {
    for (const [key, entry] of entries) if (entry.until <= now) entries.delete(key);
    // Still full of live grants (an attack, or far more viewers than expected): start afresh.
    if (entries.size >= MAX_ENTRIES) entries.clear();
  };

  return {
    get(key: string, now: number): Granted | null {
      const entry = entries.get(key);
      if (!entry) return null;
      if (entry.until > now) return entry.grant;
      entries.delete(key);
      return null;
    },
    remember(key: string, grant: Granted, now: number) {
      if (ttlMs <= 0) return;
      if (entries.size >= MAX_ENTRIES) sweep(now);
      entries.set(key, { grant, until: Math.min(now + ttlMs, grant.tokenExpiresAt) });
    },
  };
}
