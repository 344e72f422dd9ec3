/** Licence periods are whole days in Danish time, written YYYY-MM-DD so they compare as text. */
const DANISH_DATE = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Copenhagen",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

export function danishDate(instant: Date = new Date()): string {
  return DANISH_DATE.format(instant);
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export function shiftDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The last day of a period of whole months that starts on `startsOn`: a year from
 * 1 January ends on 31 December, and one from 31 January ends on 30 January.
 */
export function periodEnd(startsOn: string, months: number): string {
  const start = new Date(`${startsOn}T00:00:00Z`);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const daysInTargetMonth = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(start.getUTCDate(), daysInTargetMonth));
  return shiftDays(target.toISOString().slice(0, 10), -1);
}

export function firstOfMonth(isoDate: string): string {
  return `${isoDate.slice(0, 7)}-01`;
}
