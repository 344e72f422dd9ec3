import { and, isNotNull, lt, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import {
  accessLog,
  DEFAULT_RETENTION_MONTHS,
  invitations,
  joinLinks,
  meetingPlayback,
  meetingSessions,
  memberships,
  moduleProgress,
  moduleProgressArchive,
  outboxEmails,
  passwordResets,
  privacySettings,
  rateLimits,
  samlAssertionIds,
  ssoErrors,
  ssoFlows,
} from "#db/schema";
import { deleteDeadSessions } from "~/auth/session.server";
import { db } from "~/db.server";
import { pruneMailFailures } from "~/email/mail-failures.server";
import { getEnv } from "~/env.server";

const DAY_MS = 24 * 3600 * 1000;

/**
 * The purge's fixed periods, in days. The processing annex prints them, so what the platform
 * promises and what it does are the same numbers.
 */
export const PURGE_PERIODS_DAYS = {
  /** The seat log (seat_events) keeps who was invited and who took a seat; the invitation row only holds its link. */
  spentInvitations: 30,
  /** The admin's list shows closed links for a while, so "why does the link not work" can be answered. */
  closedJoinLinks: 90,
  /** The outbox is the offline mail log: long enough to answer "did the mail go out", no longer. */
  outboxEmails: 30,
  /** The connection page shows the latest sign-in problems; older ones help nobody. */
  ssoErrors: 30,
  /** Ending a meeting again re-reads its playback; a day later the crediting is long settled. */
  settledMeetingPlayback: 1,
} as const;

export type RuleCounts = Record<PurgeRuleName, number>;

const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** `now` moved back by whole calendar months, as SQLite counts them, in epoch milliseconds. */
const monthsBefore = (now: Date, months: number | SQL) =>
  sql`(unixepoch(${Math.floor(now.getTime() / 1000)}, 'unixepoch', '-' || ${months} || ' months') * 1000)`;

/**
 * How long a person's raw played ranges serve the municipality: the longest retention of the
 * municipalities they belong to (a person in two keeps them for the longer), the default without any.
 */
const personRetentionMonths = (userIdColumn: SQLWrapper) => sql`(
  select coalesce(max(coalesce(${privacySettings.retentionMonths}, ${DEFAULT_RETENTION_MONTHS})), ${DEFAULT_RETENTION_MONTHS})
  from ${memberships} left join ${privacySettings} on ${privacySettings.organisationId} = ${memberships.organisationId}
  where ${memberships.userId} = ${userIdColumn}
)`;

/**
 * One rule of the nightly purge: what it removes, as one statement in its own short
 * transaction, returning how many rows it touched. Each is safe to run again at any time.
 */
const purgeRules = {
  sessions: (now: Date) => deleteDeadSessions(now),
  passwordResets: (now: Date) =>
    db
      .delete(passwordResets)
      .where(or(isNotNull(passwordResets.usedAt), lt(passwordResets.expiresAt, now)))
      .run().changes,
  invitations: (now: Date) => {
    const before = ago(now, PURGE_PERIODS_DAYS.spentInvitations);
    return db
      .delete(invitations)
      .where(or(lt(invitations.acceptedAt, before), lt(invitations.expiresAt, before)))
      .run().changes;
  },
  joinLinks: (now: Date) => {
    const before = ago(now, PURGE_PERIODS_DAYS.closedJoinLinks);
    return db
      .delete(joinLinks)
      .where(or(lt(joinLinks.revokedAt, before), lt(joinLinks.expiresAt, before)))
      .run().changes;
  },
  outboxEmails: (now: Date) =>
    db
      .delete(outboxEmails)
      .where(lt(outboxEmails.createdAt, ago(now, PURGE_PERIODS_DAYS.outboxEmails)))
      .run().changes,
  ssoFlows: (now: Date) =>
    db
      .delete(ssoFlows)
      .where(or(isNotNull(ssoFlows.usedAt), lt(ssoFlows.expiresAt, now)))
      .run().changes,
  samlAssertionIds: (now: Date) => db.delete(samlAssertionIds).where(lt(samlAssertionIds.expiresAt, now)).run().changes,
  ssoErrors: (now: Date) =>
    db
      .delete(ssoErrors)
      .where(lt(ssoErrors.at, ago(now, PURGE_PERIODS_DAYS.ssoErrors)))
      .run().changes,
  // No one's data (a kind and a time), but nothing else would ever remove it.
  mailFailures: (now: Date) => pruneMailFailures(now),
  rateLimits: (now: Date) => db.delete(rateLimits).where(lt(rateLimits.expire, now.getTime())).run().changes,
  meetingPlayback: (now: Date) => {
    const settled = db
      .select({ id: meetingSessions.id })
      .from(meetingSessions)
      .where(lt(meetingSessions.endedAt, ago(now, PURGE_PERIODS_DAYS.settledMeetingPlayback)));
    return db
      .delete(meetingPlayback)
      .where(sql`${meetingPlayback.sessionId} in ${settled}`)
      .run().changes;
  },
  accessLog: (now: Date) =>
    db
      .delete(accessLog)
      .where(sql`${accessLog.at} < ${monthsBefore(now, getEnv().ACCESS_LOG_RETENTION_MONTHS)}`)
      .run().changes,
  // A watched film's ranges only feed the owner's retention curve (decision 64): progress itself
  // lives on in played_ms and watched_at. Past the retention period the ranges are emptied, so the
  // curve covers that period only. A film not yet watched keeps its ranges: they are its progress.
  playedRanges: (now: Date) =>
    db
      .update(moduleProgress)
      .set({ playedRanges: "[]" })
      .where(
        and(
          isNotNull(moduleProgress.watchedAt),
          sql`${moduleProgress.playedRanges} <> '[]'`,
          sql`${moduleProgress.updatedAt} < ${monthsBefore(now, personRetentionMonths(moduleProgress.userId))}`,
        ),
      )
      .run().changes,
  // An archived round is over: its ranges serve nothing but the curve, watched or not.
  archivedRanges: (now: Date) =>
    db
      .update(moduleProgressArchive)
      .set({ playedRanges: "[]" })
      .where(
        and(
          sql`${moduleProgressArchive.playedRanges} <> '[]'`,
          sql`${moduleProgressArchive.updatedAt} < ${monthsBefore(now, personRetentionMonths(moduleProgressArchive.userId))}`,
        ),
      )
      .run().changes,
} satisfies Record<string, (now: Date) => number>;

export type PurgeRuleName = keyof typeof purgeRules;
/** In the order the purge runs them and the privacy page lists them. */
export const purgeRuleNames = Object.keys(purgeRules) as PurgeRuleName[];

/** Runs every rule, each in its own short transaction so no reader waits long; returns the counts. */
export function applyPurgeRules(now: Date): RuleCounts {
  const counts = {} as RuleCounts;
  for (const [name, rule] of Object.entries(purgeRules) as Array<[PurgeRuleName, (now: Date) => number]>) {
    counts[name] = db.transaction(() => rule(now));
  }
  return counts;
}
