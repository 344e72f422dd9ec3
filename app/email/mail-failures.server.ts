import { count, inArray, lt, sql } from "drizzle-orm";
import { mailFailureKinds, mailFailures, platformSettings } from "#db/schema";
import { db } from "~/db.server";

type MailFailureKind = (typeof mailFailureKinds)[number];

const DAY_MS = 24 * 3600 * 1000;
/**
 * How long each failure keeps its own row: a month answers "since when has mail been failing".
 * The counter on /metrics needs no rows at all once they are in the running totals below.
 */
export const MAIL_FAILURES_KEPT_DAYS = 30;

/** Where the failures pruned so far are counted, per kind, so the /metrics counter never goes down. */
const PRUNED_PREFIX = "mail.failures.pruned.";

/** Notes that a mail failed, for the failure counters on /metrics; outside any transaction, so it stays even when the caller's work is undone. */
export function recordMailFailure(kind: MailFailureKind, now = new Date()) {
  db.insert(mailFailures).values({ kind, failedAt: now }).run();
}

/** Every failed mail and given-back reminder recorded so far, by kind: the rows kept and those pruned. */
export function mailFailureCounts(): Record<MailFailureKind, number> {
  const kept = db
    .select({ kind: mailFailures.kind, failures: count() })
    .from(mailFailures)
    .groupBy(mailFailures.kind)
    .all();
  const pruned = db
    .select()
    .from(platformSettings)
    .where(
      inArray(
        platformSettings.key,
        mailFailureKinds.map((kind) => `${PRUNED_PREFIX}${kind}`),
      ),
    )
    .all();
  return Object.fromEntries(
    mailFailureKinds.map((kind) => [
      kind,
      (kept.find((row) => row.kind === kind)?.failures ?? 0) +
        Number(pruned.find((row) => row.key === `${PRUNED_PREFIX}${kind}`)?.value ?? 0),
    ]),
  ) as Record<MailFailureKind, number>;
}

/**
 * Deletes the rows older than MAIL_FAILURES_KEPT_DAYS after adding them to the running totals; a
 * rule of the nightly purge, which runs it in one transaction, so no row is counted twice or lost.
 * A counter that went down would read to Prometheus as a restart, and its alarm on `increase()`
 * would count the rows left as new failures. Writes first, so the transaction holds the write lock
 * from its first statement. Returns the rows deleted.
 */
export function pruneMailFailures(now: Date): number {
  const before = new Date(now.getTime() - MAIL_FAILURES_KEPT_DAYS * DAY_MS);
  db.insert(platformSettings)
    .select(
      db
        .select({
          key: sql<string>`${PRUNED_PREFIX} || ${mailFailures.kind}`.as("key"),
          value: sql<string>`count(*)`.as("value"),
        })
        .from(mailFailures)
        .where(lt(mailFailures.failedAt, before))
        .groupBy(mailFailures.kind),
    )
    .onConflictDoUpdate({
      target: platformSettings.key,
      set: { value: sql`cast(${platformSettings.value} as integer) + excluded.value` },
    })
    .run();
  return db.delete(mailFailures).where(lt(mailFailures.failedAt, before)).run().changes;
}
