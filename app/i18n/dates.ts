/**
 * Calendar days as the platform stores and compares them: YYYY-MM-DD in Danish time, so they
 * sort and compare as text. How a day is written for a reader is formatDay in ./i18n.
 */
const DANISH_DATE = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Copenhagen",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar day it is in Denmark at `instant`. */
export function danishDate(instant: Date = new Date()): string {
  return DANISH_DATE.format(instant);
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/**
 * Midnight UTC of a YYYY-MM-DD day in milliseconds, for counting days between dates in a
 * document; throws, naming the field, for anything else.
 */
export function parseIsoDate(value: string, field: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // Round-tripping catches dates such as 2027-02-30 that Date.UTC would silently roll over.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new Error(`${field} must be a date written YYYY-MM-DD, got "${value}"`);
  }
  return time;
}

export function shiftDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function firstOfMonth(isoDate: string): string {
  return `${isoDate.slice(0, 7)}-01`;
}

/**
 * The ISO 8601 week of a YYYY-MM-DD day, as `2027-W09`: weeks start on Monday, and week 1 is the
 * one with the year's first Thursday, so the first days of January can belong to the year before.
 */
export function isoWeek(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const weekday = date.getUTCDay() || 7;
  // The Thursday of the same week decides the year.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The same day N months later (earlier for a negative N); a day the month lacks becomes its last day. */
export function shiftMonths(isoDate: string, months: number): string {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1 + months, Math.min(day, lastDay))).toISOString().slice(0, 10);
}

/** The instant a Danish calendar day ends and the next begins: a period "til og med" a date covers all of that day. */
export function endOfDanishDay(isoDate: string): Date {
  const next = shiftDays(isoDate, 1);
  const utcMidnight = Date.parse(`${next}T00:00:00Z`);
  // Copenhagen is one or two hours ahead of UTC: the end is whichever candidate the Danish date turns at.
  const end = [2, 1]
    .map((hours) => utcMidnight - hours * 3600_000)
    .find((at) => danishDate(new Date(at)) === next && danishDate(new Date(at - 1)) === isoDate);
  return new Date(end ?? utcMidnight);
}
