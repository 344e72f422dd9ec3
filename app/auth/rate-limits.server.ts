import { getTableName, lt } from "drizzle-orm";
import { RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";
import { rateLimits } from "#db/schema";
import { db, sqlite } from "~/db.server";

/**
 * What is limited, each counted per key (an e-mail address or a client address) in a fixed window.
 * "…Client" kinds are keyed by `context.clientAddress`, the others by the normalised e-mail address.
 */
export type RateLimitKind =
  | "signInAddress"
  | "signInClient"
  | "passwordResetMail"
  | "passwordResetClient"
  | "invitationMail"
  | "joinLinkRequest"
  | "joinLinkClient"
  | "reminderMail"
  | "meetingCodeUser"
  | "meetingCodeClient";

const MINUTES = 60;
const HOURS = 60 * MINUTES;

/**
 * Allowances, as points per window in seconds. A whole municipality often reaches the platform
 * through one address (the town hall's or a school's NAT), so per-client allowances are wide and
 * only there to stop one machine from spraying many addresses; per-address ones are tight,
 * because each attempt there either guesses one person's password or puts a mail in their inbox.
 */
const allowances: Record<RateLimitKind, { points: number; duration: number }> = {
  // Ten guesses a quarter of an hour is plenty for someone who mistypes, and caps a guesser at
  // under a thousand a day per account, against argon2id and a 10-character minimum.
  signInAddress: { points: 10, duration: 15 * MINUTES },
  // Counts wrong passwords only (a sign-in that succeeds gives its point back), so a morning
  // rush of colleagues behind one NAT never hits it; fifty failures in a quarter of an hour do not
  // come from typing, and bound how many accounts one client can lock or guess at.
  signInClient: { points: 50, duration: 15 * MINUTES },
  // Someone whose mail is slow may ask again once or twice; more only fills their inbox.
  passwordResetMail: { points: 3, duration: 1 * HOURS },
  // A school or town hall where several people forget their password in the same hour.
  passwordResetClient: { points: 20, duration: 1 * HOURS },
  // An admin may re-send or reassign an invitation after a typo or a lost mail, but a person
  // should not get more than a handful of invitations a day however often the button is pressed.
  invitationMail: { points: 5, duration: 24 * HOURS },
  // A person asking a join link again because the confirmation did not arrive.
  joinLinkRequest: { points: 3, duration: 1 * HOURS },
  // A join link is shared on the intranet the day a municipality starts: a hundred staff or more
  // may ask for a seat through one address within the hour.
  joinLinkClient: { points: 200, duration: 1 * HOURS },
  // "Remind those who have not started" mails everyone who has not, on every press. One reminder a
  // day is a nudge; several, from a button pressed again or by two admins, is a nuisance that
  // teaches people to ignore the mail.
  reminderMail: { points: 1, duration: 24 * HOURS },
  // Wrong staff-meeting codes: a person mistyping the code on the screen needs a few tries; a
  // guesser of six-letter codes needs millions, so twenty a quarter hour per person stops them.
  meetingCodeUser: { points: 20, duration: 15 * MINUTES },
  // A meeting room full of phones behind one NAT all typing the code, a few of them wrong.
  meetingCodeClient: { points: 200, duration: 15 * MINUTES },
};

const limiters = new Map<RateLimitKind, RateLimiterSQLite>();

/**
 * The counters live in the app's own SQLite file (table `rate_limits`, made by a migration), so
 * every process and every restart sees the same counts and no key is kept in memory. The library
 * writes each count as one upsert, so parallel requests cannot all slip under the limit.
 * It reads the time from Date.now(), which tests move with vi.setSystemTime.
 */
function limiter(kind: RateLimitKind) {
  let found = limiters.get(kind);
  if (!found) {
    found = new RateLimiterSQLite({
      storeClient: sqlite(),
      storeType: "better-sqlite3",
      tableName: getTableName(rateLimits),
      tableCreated: true,
      keyPrefix: kind,
      ...allowances[kind],
    });
    limiters.set(kind, found);
  }
  return found;
}

/**
 * Counts one attempt for the key; false when the key has used its allowance in the window.
 * Expired counters are deleted first, one statement that any process may run at any time, so the
 * table holds at most the keys used within the longest window.
 */
export async function consumeAllowance(kind: RateLimitKind, key: string): Promise<boolean> {
  db.delete(rateLimits).where(lt(rateLimits.expire, Date.now())).run();
  try {
    await limiter(kind).consume(key);
    return true;
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return false;
    throw refusal;
  }
}

/** Gives one attempt back, for an attempt that turned out to be legitimate (a correct password). */
export async function refundAllowance(kind: RateLimitKind, key: string): Promise<void> {
  await limiter(kind).reward(key, 1);
}

/** Forgets the key's attempts, e.g. an address's wrong passwords once the right one is given. */
export async function resetAllowance(kind: RateLimitKind, key: string): Promise<void> {
  await limiter(kind).delete(key);
}
