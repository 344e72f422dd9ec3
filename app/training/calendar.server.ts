import { and, asc, eq, isNull } from "drizzle-orm";
import ical, { ICalCalendarMethod, ICalEventBusyStatus, ICalEventTransparency } from "ical-generator";
import { courses, trainingCycles } from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { shiftDays } from "~/i18n/dates";
import { formatDay, translator } from "~/i18n/i18n";
import { filmLinks } from "./film-links.server";

// A calendar file has no reader's language to follow; like the mails, it is in Danish.
const t = translator("da");

export type CalendarRound = {
  cycleId: number;
  /** Goes up when the due date moves, so a calendar that imported the event replaces it. */
  sequence: number;
  courseTitle: string;
  dueOn: string;
  link: string;
};

/**
 * An RFC 5545 calendar with one all-day event per round on its due day. The dates are given as
 * YYYY-MM-DD, which JavaScript reads as midnight UTC, and an all-day event without a time zone is
 * written with UTC getters, so the day is the same wherever the server runs. A DATE end is not part
 * of the event, so it is the day after. The UID names the round and the site, so downloading the
 * file again updates the events instead of adding new ones. Folding at 75 octets (never inside æ,
 * ø or å), CRLF and the escaping of ; , and \ are the library's.
 */
export function calendarFile(rounds: CalendarRound[], now: Date, publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  const calendar = ical({
    prodId: { company: "Rettidig", product: "Frister", language: "DA" },
    method: ICalCalendarMethod.PUBLISH,
    name: t("training.ics.calendarName"),
  });
  for (const round of rounds) {
    const values = { course: round.courseTitle, date: formatDay("da", round.dueOn), link: round.link };
    calendar.createEvent({
      id: `cycle-${round.cycleId}@${host}`,
      sequence: round.sequence,
      stamp: now,
      allDay: true,
      start: round.dueOn,
      end: shiftDays(round.dueOn, 1),
      summary: t("training.ics.summary", values),
      description: t("training.ics.description", values),
      url: round.link,
      // The due day is a reminder, not a meeting: it must not make the person look busy.
      transparency: ICalEventTransparency.TRANSPARENT,
      busystatus: ICalEventBusyStatus.FREE,
    });
  }
  // RFC 5545 ends every content line with CRLF, the last one too; the library leaves that one off.
  return `${calendar.toString()}\r\n`;
}

/**
 * The signed-in person's open current rounds (overdue ones too), soonest first, as a calendar;
 * an empty calendar when there are none. Only their own rows are read.
 */
export function dueDatesCalendar(userId: number, now = new Date()): string {
  const rounds = db
    .select({
      cycleId: trainingCycles.id,
      sequence: trainingCycles.sequence,
      userId: trainingCycles.userId,
      courseId: trainingCycles.courseId,
      courseSlug: courses.slug,
      courseTitle: courses.title,
      dueOn: trainingCycles.dueOn,
    })
    .from(trainingCycles)
    .innerJoin(courses, eq(courses.id, trainingCycles.courseId))
    .where(and(eq(trainingCycles.userId, userId), isNull(trainingCycles.endedAt), isNull(trainingCycles.completedOn)))
    .orderBy(asc(trainingCycles.dueOn), asc(trainingCycles.id))
    .all();
  const links = filmLinks(rounds);
  return calendarFile(
    rounds.map((round) => ({ ...round, link: links.get(`${round.userId}:${round.courseId}`) ?? "" })),
    now,
    getEnv().PUBLIC_URL,
  );
}
