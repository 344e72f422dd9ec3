import { shiftDays } from "~/i18n/dates";

/**
 * The last day of a licence period of whole months that starts on `startsOn`: a year from
 * 1 January ends on 31 December, and one from 31 January ends on 30 January.
 */
export function periodEnd(startsOn: string, months: number): string {
  const start = new Date(`${startsOn}T00:00:00Z`);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const daysInTargetMonth = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(start.getUTCDate(), daysInTargetMonth));
  return shiftDays(target.toISOString().slice(0, 10), -1);
}
