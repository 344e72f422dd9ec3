import { and, desc, eq, isNotNull, isNull, lt } from "drizzle-orm";
import { privacyPurges } from "#db/schema";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { anonymiseLapsedPeople } from "./lapsed-people.server";
import { applyPurgeRules, type PurgeRuleName, purgeRuleNames } from "./purge-rules.server";

/** The purge runs from this hour, Danish time: after the day's use, before the morning's. */
export const PURGE_HOUR = 2;
/** A claim this old with no finish belongs to a process that died: another may take the night over. */
const ABANDONED_AFTER_MS = 3600 * 1000;

const DANISH_HOUR = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Copenhagen",
  hour: "2-digit",
  hourCycle: "h23",
});
const danishHour = (instant: Date) => Number(DANISH_HOUR.format(instant));

/**
 * The first moment of a Danish calendar day at or after 02:00. Denmark is UTC+1 or UTC+2, so it is
 * 00:00 or 01:00 UTC; on the night clocks go forward there is no 02:00 and it is 03:00 instead.
 */
function purgeTimeOn(day: string): Date {
  const midnightUtc = new Date(`${day}T00:00:00Z`);
  if (danishHour(midnightUtc) >= PURGE_HOUR) return midnightUtc;
  return new Date(`${day}T01:00:00Z`);
}

/** What a night's purge did, in the order the privacy page lists it: people anonymised first, then each rule. */
export const purgeSummaryNames = ["lapsedPeople", ...purgeRuleNames] as const;
export type PurgeCounts = Record<PurgeRuleName | "lapsedPeople", number>;

export type PurgeRecord = { day: string; startedAt: Date; finishedAt: Date | null; counts: PurgeCounts | null };

function readSummary(summary: string | null): PurgeCounts | null {
  if (!summary) return null;
  try {
    return JSON.parse(summary) as PurgeCounts;
  } catch {
    return null;
  }
}

/** The latest night the purge ran (or is running), with what it removed; null before the first. */
export function lastPurge(): PurgeRecord | null {
  const row = db.select().from(privacyPurges).orderBy(desc(privacyPurges.day)).limit(1).get();
  if (!row) return null;
  return { day: row.day, startedAt: row.startedAt, finishedAt: row.finishedAt, counts: readSummary(row.summary) };
}

const purgedOn = (day: string) =>
  db
    .select({ day: privacyPurges.day })
    .from(privacyPurges)
    .where(and(eq(privacyPurges.day, day), isNotNull(privacyPurges.finishedAt)))
    .get() !== undefined;

/**
 * When the purge will next run: tonight's 02:00 (Danish time), or, once it is past 02:00 and
 * today's purge has not finished, the job's next round, which is now to within five minutes.
 */
export function nextPurgeAt(now = new Date()): Date {
  const today = danishDate(now);
  const todays = purgeTimeOn(today);
  if (now < todays) return todays;
  return purgedOn(today) ? purgeTimeOn(shiftDays(today, 1)) : now;
}

/**
 * Takes tonight's purge for this process: the first to insert the day's row runs it, everyone
 * else skips. A claim left unfinished for an hour (the process died) may be taken over: each
 * rule is safe to run again.
 */
function claimNight(day: string, now: Date): boolean {
  const inserted = db.insert(privacyPurges).values({ day, startedAt: now }).onConflictDoNothing().run();
  if (inserted.changes === 1) return true;
  const takenOver = db
    .update(privacyPurges)
    .set({ startedAt: now })
    .where(
      and(
        eq(privacyPurges.day, day),
        isNull(privacyPurges.finishedAt),
        lt(privacyPurges.startedAt, new Date(now.getTime() - ABANDONED_AFTER_MS)),
      ),
    )
    .run();
  return takenOver.changes === 1;
}

export type PurgeOutcome =
  { status: "notDue" } | { status: "alreadyClaimed" } | { status: "purged"; counts: PurgeCounts };

/**
 * The nightly privacy purge, a step of the training job (which runs every five minutes): from
 * 02:00 Danish time, once per Danish day, whichever process claims the day first. What is due is
 * read from `privacy_purges`, so a restart neither repeats nor skips a night.
 */
export function runPrivacyPurge(now = new Date()): PurgeOutcome {
  const day = danishDate(now);
  if (now < purgeTimeOn(day)) return { status: "notDue" };
  if (!claimNight(day, now)) return { status: "alreadyClaimed" };
  // People past their municipality's retention first: the rules below then also clear what their erasure left behind.
  const counts: PurgeCounts = { lapsedPeople: anonymiseLapsedPeople(now).anonymised, ...applyPurgeRules(now) };
  db.update(privacyPurges)
    .set({ finishedAt: now, summary: JSON.stringify(counts) })
    .where(eq(privacyPurges.day, day))
    .run();
  return { status: "purged", counts };
}
