import { createHash, createHmac, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { measurementResponses, users } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db, sqlite } from "~/db.server";
import type * as env from "~/env.server";
import { weekOf } from "~/feedback/responses.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { submitMeasurement } from "~/measurement/answers.server";
import { measurementPseudonym } from "~/measurement/pseudonym.server";
import { courseIdOf } from "../utils/feedback";
import { answerFields, COURSE, completeWithCertificate, givenMeasurement, postAnswers } from "../utils/measurement";
import { userIdByEmail } from "../utils/requests";
import { dumpTables } from "../utils/table-dump";

// Stands in for a server whose MEASUREMENT_PSEUDONYM_KEY is changed, for the test that changes it.
const keyState = vi.hoisted(() => ({ key: null as Buffer | null }));
vi.mock("~/env.server", async (importOriginal) => {
  const original = await importOriginal<typeof env>();
  return { ...original, getPseudonymKey: () => keyState.key ?? original.getPseudonymKey() };
});
afterEach(() => {
  keyState.key = null;
});

type Row = Record<string, unknown>;

const SOFIE = demoEmails.learner;
const METTE = demoEmails.healthVisitor;
const LARS = demoEmails.leader;

/** Sofie and Mette answer before, at the end and at the follow-up; Lars answers the leaders' follow-up. */
async function everyoneAnswersEveryMoment() {
  const measurement = givenMeasurement(COURSE, 2);
  const before = Date.now();
  for (const [email, score] of [
    [SOFIE, 2],
    [METTE, 3],
  ] as const) {
    expect((await postAnswers(email, "baseline", answerFields(measurement.staff, {}, score))).status).toBe(200);
  }
  const completedAt = new Date();
  for (const [email, score] of [
    [SOFIE, 4],
    [METTE, 5],
  ] as const) {
    completeWithCertificate(email, completedAt);
    expect((await postAnswers(email, "completion", answerFields(measurement.staff, {}, score))).status).toBe(200);
  }
  const after = Date.now();
  const dueDay = new Date(`${shiftDays(danishDate(completedAt), 14)}T10:00:00Z`);
  for (const email of [SOFIE, METTE]) {
    const fields = answerFields(measurement.staff, {}, 5);
    const answers = new Map(
      measurement.staff.map((item) => {
        const value = Number(fields[`i${item.id}`]);
        return [item.id, item.kind === "statement" ? value : [value]] as const;
      }),
    );
    expect(submitMeasurement({ id: userIdByEmail(email) }, courseIdOf(COURSE), "followUp", answers, dueDay)).toBe(
      "saved",
    );
  }
  const leaderAnswers = new Map(measurement.leader.map((item) => [item.id, 3] as const));
  expect(
    submitMeasurement({ id: userIdByEmail(LARS) }, courseIdOf(COURSE), "leaderFollowUp", leaderAnswers, dueDay),
  ).toBe("saved");
  return { measurement, before, after, dueDay };
}

function person(email: string) {
  return db.select().from(users).where(eq(users.email, email)).get()!;
}

/** What someone holding the database could try to compute a pseudonym from, without the key. */
function guesses(measurementId: number, who: { id: number; email: string; name: string }) {
  const parts = [String(who.id), who.email, who.name];
  const inputs = [
    ...parts,
    ...parts.flatMap((a) => parts.filter((b) => b !== a).map((b) => `${a}${b}`)),
    ...parts.flatMap((a) => parts.filter((b) => b !== a).map((b) => `${a}:${b}`)),
    ...parts.map((part) => `${measurementId}${part}`),
    ...parts.map((part) => `${measurementId}:${part}`),
    `measurement:${measurementId}:user:${who.id}`,
  ];
  return inputs.flatMap((input) =>
    (["base64url", "hex", "base64"] as const).flatMap((encoding) => [
      createHash("sha256").update(input).digest(encoding),
      createHmac("sha256", "").update(input).digest(encoding),
      createHmac("sha256", String(measurementId)).update(input).digest(encoding),
    ]),
  );
}

describe("the anonymity of measurement answers", () => {
  it("no row holding an answer carries or points to its person, and no row naming the person leads to an answer", async () => {
    const { measurement, before, after, dueDay } = await everyoneAnswersEveryMoment();
    const people = [SOFIE, METTE, LARS].map(person);
    const tables = dumpTables();
    const responses = tables.measurement_responses as Row[];
    const answers = tables.measurement_answers as Row[];
    expect(responses).toHaveLength(7);
    expect(answers.length).toBe(2 * 3 * measurement.staff.length + measurement.leader.length);

    const responseIds = new Set(responses.map((row) => row.id as string));
    const pseudonyms = new Set(responses.map((row) => row.pseudonym as string));
    // Three people, one pseudonym each, the same at every moment of the measurement.
    expect(pseudonyms.size).toBe(3);
    const weeks = new Set([weekOf(danishDate(new Date(before))), weekOf(danishDate(dueDay))]);
    for (const row of responses) {
      expect(Object.keys(row).sort()).toEqual([
        "id",
        "measurement_id",
        "moment",
        "organisation_id",
        "profession",
        "pseudonym",
        "submitted_week",
      ]);
      expect(weeks.has(row.submitted_week as string), "only the Monday of the week").toBe(true);
    }
    for (const row of answers) expect(Object.keys(row).sort()).toEqual(["item_id", "response_id", "value"]);

    // Nothing about a person in what holds the answers: no id, e-mail, name, or moment finer than the week.
    for (const row of [...responses, ...answers]) {
      for (const value of Object.values(row)) {
        for (const who of people) {
          if (typeof value === "string") {
            expect(value).not.toContain(who.email);
            expect(value).not.toContain(who.name);
          }
        }
        if (typeof value === "number") {
          const inWindow =
            (value >= before && value <= after) ||
            (value >= Math.floor(before / 1000) && value <= Math.ceil(after / 1000));
          expect(inWindow, "a time from the moment of answering").toBe(false);
        }
      }
    }

    // Every row anywhere that names one of the people holds nothing of an answer.
    const personColumn = /user_id$|_by$/;
    for (const [table, rows] of Object.entries(tables)) {
      for (const row of rows as Row[]) {
        const names = Object.entries(row).some(
          ([column, value]) =>
            ((table === "users" && column === "id") || personColumn.test(column)) &&
            people.some((who) => who.id === value),
        );
        if (!names) continue;
        for (const value of Object.values(row)) {
          if (typeof value !== "string") continue;
          for (const id of responseIds) expect(value, table).not.toContain(id);
          for (const pseudonym of pseudonyms) expect(value, table).not.toContain(pseudonym);
        }
      }
    }
    // The record that a person is done with a moment says that, and nothing else.
    for (const row of tables.measurement_submissions as Row[])
      expect(Object.keys(row).sort()).toEqual(["measurement_id", "moment", "user_id"]);
    // Not even the order rows were written in: these tables have no rowid to sort by.
    for (const table of ["measurement_responses", "measurement_answers", "measurement_submissions"]) {
      expect(() => sqlite().prepare(`select rowid from ${table}`).all(), table).toThrow();
    }
    // Nor does a response's id follow the order of answering: it is random, not a counter or a time.
    for (const id of responseIds) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("makes a pseudonym no one can compute without the key, different per measurement, and new with a new key", async () => {
    const { measurement } = await everyoneAnswersEveryMoment();
    const sofie = person(SOFIE);
    const stored = db
      .select({ pseudonym: measurementResponses.pseudonym })
      .from(measurementResponses)
      .where(eq(measurementResponses.moment, "baseline"))
      .all()
      .map((row) => row.pseudonym);
    const pseudonym = measurementPseudonym(measurement.id, sofie.id);
    expect(stored).toContain(pseudonym);
    for (const guess of guesses(measurement.id, sofie)) expect(guess).not.toBe(pseudonym);

    // Another measurement (another course) gives the same person another pseudonym.
    const other = givenMeasurement("i-skolen-og-fritiden");
    expect(measurementPseudonym(other.id, sofie.id)).not.toBe(pseudonym);
    expect(measurementPseudonym(measurement.id, person(METTE).id)).not.toBe(pseudonym);

    // With another key, the same person in the same measurement is someone else.
    keyState.key = randomBytes(32);
    const underNewKey = measurementPseudonym(measurement.id, sofie.id);
    expect(underNewKey).not.toBe(pseudonym);
    expect(measurementPseudonym(measurement.id, sofie.id)).toBe(underNewKey);
    keyState.key = null;
    expect(measurementPseudonym(measurement.id, sofie.id)).toBe(pseudonym);
  });
});
