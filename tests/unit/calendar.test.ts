import { calendarFile, type CalendarRound } from "~/training/calendar.server";

const SITE = "https://rettidig.example";
const round: CalendarRound = {
  cycleId: 7,
  sequence: 2,
  courseTitle: "Børn; unge, æøå og ÆØÅ – et kursus med et langt navn om tidlig opsporing",
  dueOn: "2027-03-01",
  link: `${SITE}/kurser/unges-egne-fortaellinger/sofie-ingen-spurgte-til-mig`,
};
const stamp = new Date("2027-02-22T06:00:00Z");

/** The content lines as a reader sees them: folded lines joined again (RFC 5545 §3.1). */
const unfolded = (file: string) => file.replace(/\r\n[ \t]/g, "").split("\r\n");

describe("the calendar file of a person's due dates", () => {
  it("ends every line in CRLF and folds lines at 75 octets without splitting a letter", () => {
    const file = calendarFile([round], stamp, SITE);
    expect(file.endsWith("END:VCALENDAR\r\n")).toBe(true);
    const lines = file.slice(0, -2).split("\r\n");
    expect(lines.some((line) => line.includes("\n") || line.includes("\r"))).toBe(false);
    expect(lines.some((line) => line.startsWith(" "))).toBe(true);
    for (const line of lines) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    // A letter split between two lines would not survive the round trip through UTF-8.
    expect(Buffer.from(file, "utf8").toString("utf8")).toBe(file);
    expect(file).not.toContain("\uFFFD");
  });

  it("makes the due day an all-day event that ends, exclusively, the next day", () => {
    const lines = unfolded(calendarFile([round, { ...round, cycleId: 8, dueOn: "2027-12-31" }], stamp, SITE));
    expect(lines.filter((line) => line.startsWith("DTSTART"))).toEqual([
      "DTSTART;VALUE=DATE:20270301",
      "DTSTART;VALUE=DATE:20271231",
    ]);
    expect(lines.filter((line) => line.startsWith("DTEND"))).toEqual([
      "DTEND;VALUE=DATE:20270302",
      "DTEND;VALUE=DATE:20280101",
    ]);
    expect(lines).not.toContain("BEGIN:VTIMEZONE");
    expect(lines).toContain("TRANSP:TRANSPARENT");
  });

  it("writes Danish text with ; and , escaped, and a link to the film", () => {
    const lines = unfolded(calendarFile([round], stamp, SITE));
    expect(lines).toContain(
      "SUMMARY:Frist: Børn\\; unge\\, æøå og ÆØÅ – et kursus med et langt navn om tidlig opsporing",
    );
    expect(lines).toContain(
      `DESCRIPTION:Kurset «Børn\\; unge\\, æøå og ÆØÅ – et kursus med et langt navn om tidlig opsporing» skal være gennemført senest 1. marts 2027. Fortsæt her: ${round.link}`,
    );
    expect(lines).toContain(`URL;VALUE=URI:${round.link}`);
    expect(lines).toContain("X-WR-CALNAME:Rettidig – frister");
  });

  it("keeps each round's UID across downloads and takes SEQUENCE from the round", () => {
    const first = unfolded(calendarFile([round], stamp, SITE));
    const later = unfolded(calendarFile([{ ...round, sequence: 3 }], new Date("2027-02-25T10:00:00Z"), SITE));
    expect(first).toContain("UID:cycle-7@rettidig.example");
    expect(later).toContain("UID:cycle-7@rettidig.example");
    expect(first).toContain("SEQUENCE:2");
    expect(later).toContain("SEQUENCE:3");
    expect(first).toContain("DTSTAMP:20270222T060000Z");
  });

  it("is a valid, empty calendar when there is nothing due", () => {
    const lines = unfolded(calendarFile([], stamp, SITE));
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).not.toContain("BEGIN:VEVENT");
    expect(lines.at(-2)).toBe("END:VCALENDAR");
  });
});
