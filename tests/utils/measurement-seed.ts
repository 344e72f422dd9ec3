import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import {
  measurementAnswers,
  measurementItems,
  measurementResponses,
  measurements,
  type MeasurementAudience,
  type MeasurementMoment,
  type Profession,
} from "#db/schema";
import { db as appDb, type Db } from "~/db.server";
import { measurementPseudonym } from "~/measurement/pseudonym.server";

export type ItemSpec = { audience?: MeasurementAudience; text?: string; quizQuestionId?: number };
export type SeededMeasurement = { id: number; itemIds: number[] };

/**
 * A course's measurement with the given items, in order, replacing any it had, for seeding answers
 * straight into a database (tests/utils/measurement.ts builds one through the owner's domain
 * instead). An item with a quiz question is a knowledge item (staff only), the others statements on
 * the scale. Switched off: the report reads answers either way, and a measurement switched on would
 * send every learner of the course to its baseline before their first film.
 */
export function seedMeasurement(courseId: number, items: ItemSpec[], db: Db = appDb): SeededMeasurement {
  db.delete(measurements).where(eq(measurements.courseId, courseId)).run();
  const { id } = db
    .insert(measurements)
    .values({ courseId, active: false, updatedAt: new Date() })
    .returning({ id: measurements.id })
    .get();
  const positions = { staff: 0, leader: 0 };
  const itemIds = items.map((item, index) => {
    const audience = item.audience ?? "staff";
    positions[audience] += 1;
    return db
      .insert(measurementItems)
      .values({
        measurementId: id,
        audience,
        position: positions[audience],
        kind: item.quizQuestionId ? "knowledge" : "statement",
        text: item.quizQuestionId ? "" : (item.text ?? `Udsagn ${index + 1}`),
        lowLabel: item.quizQuestionId ? null : "Slet ikke",
        highLabel: item.quizQuestionId ? null : "I høj grad",
        quizQuestionId: item.quizQuestionId ?? null,
      })
      .returning({ id: measurementItems.id })
      .get().id;
  });
  return { id, itemIds };
}

export type AnswerSpec = {
  userId: number;
  organisationId: number;
  profession: Profession | null;
  moment: MeasurementMoment;
  /** Item id → value; items left out were skipped. */
  values: Record<number, number>;
  week?: string;
};

/**
 * Answers as the answer path stores them: a random response id, the person's pseudonym made by
 * measurementPseudonym and never any other way, the municipality, profession and week.
 */
export function givenAnswers(measurementId: number, answers: AnswerSpec[], db: Db = appDb) {
  db.transaction((tx) => {
    for (const answer of answers) {
      const responseId = randomUUID();
      tx.insert(measurementResponses)
        .values({
          id: responseId,
          measurementId,
          pseudonym: measurementPseudonym(measurementId, answer.userId),
          moment: answer.moment,
          organisationId: answer.organisationId,
          profession: answer.profession,
          submittedWeek: answer.week ?? "2026-11-30",
        })
        .run();
      const values = Object.entries(answer.values).map(([itemId, value]) => ({
        responseId,
        itemId: Number(itemId),
        value,
      }));
      if (values.length > 0) tx.insert(measurementAnswers).values(values).run();
    }
  });
}

/** Baseline and later answers for one person: the same value change on every item given. */
export function givenPerson(
  measurementId: number,
  person: Omit<AnswerSpec, "moment" | "values">,
  moments: Partial<Record<MeasurementMoment, Record<number, number>>>,
  db: Db = appDb,
) {
  givenAnswers(
    measurementId,
    Object.entries(moments).map(([moment, values]) => ({ ...person, moment: moment as MeasurementMoment, values })),
    db,
  );
}

/**
 * A measurement of the given items on the course (one statement unless told), answered by `people`
 * of the municipality: staff items by pedagogues before the course and at completion, with
 * changes 1, 2, 0, 1, 1 for the first five (mean change 1, interval 0.12 to 1.88); leader items
 * at the leaders' follow-up with 3, 5, 3, 5, 3 (mean 3.8). Written to the given database, as a
 * browser test does to its server's; the pseudonym key is the one beside DATABASE_PATH's database.
 */
export function givenPairedAnswers(
  db: Db,
  place: { courseId: number; organisationId: number },
  people: number,
  items: ItemSpec[] = [{ text: "Jeg ved, hvad jeg skal gøre, hvis jeg er bekymret for et barn" }],
) {
  const measurement = seedMeasurement(place.courseId, items, db);
  const ofAudience = (audience: MeasurementAudience) =>
    measurement.itemIds.filter((_, index) => (items[index]!.audience ?? "staff") === audience);
  const all = (itemIds: number[], value: number) => Object.fromEntries(itemIds.map((id) => [id, value]));
  const completion = [3, 5, 3, 5, 3];
  [2, 3, 3, 4, 2].slice(0, people).forEach((before, index) => {
    const person = { organisationId: place.organisationId };
    givenPerson(
      measurement.id,
      { ...person, userId: 900_000 + index, profession: "pedagogue" },
      { baseline: all(ofAudience("staff"), before), completion: all(ofAudience("staff"), completion[index]!) },
      db,
    );
    if (ofAudience("leader").length > 0)
      givenPerson(
        measurement.id,
        { ...person, userId: 900_100 + index, profession: null },
        { leaderFollowUp: all(ofAudience("leader"), completion[index]!) },
        db,
      );
  });
  return measurement;
}
