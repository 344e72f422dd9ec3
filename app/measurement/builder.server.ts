import { and, asc, count, desc, eq, gt, lt, max, sql } from "drizzle-orm";
import {
  courses,
  measurementAnswers,
  measurementItems,
  measurements,
  modules,
  quizQuestions,
  quizzes,
  type MeasurementAudience,
} from "#db/schema";
import { db } from "~/db.server";
import type { MeasurementItemValue, MeasurementSettingsValue } from "./forms";

type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];

/** The questions of the course's quizzes, in course order: what a knowledge item may ask. */
function courseQuizQuestions(courseId: number, tx: Tx | typeof db = db) {
  return tx
    .select({ id: quizQuestions.id, text: quizQuestions.text, moduleTitle: modules.title })
    .from(quizQuestions)
    .innerJoin(quizzes, eq(quizzes.id, quizQuestions.quizId))
    .innerJoin(modules, eq(modules.id, quizzes.moduleId))
    .where(eq(modules.courseId, courseId))
    .orderBy(asc(modules.position), asc(quizQuestions.position))
    .all();
}

/** What the owner's page shows: the course, the measurement as saved (null before the first save), its items with how many answers each has, and the questions a knowledge item may ask. */
export function measurementForOwner(courseId: number) {
  const course = db
    .select({ id: courses.id, title: courses.title, slug: courses.slug })
    .from(courses)
    .where(eq(courses.id, courseId))
    .get();
  if (!course) return null;
  const measurement = db.select().from(measurements).where(eq(measurements.courseId, courseId)).get();
  const questions = courseQuizQuestions(courseId);
  const items = measurement
    ? db
        .select({
          id: measurementItems.id,
          audience: measurementItems.audience,
          kind: measurementItems.kind,
          text: measurementItems.text,
          lowLabel: measurementItems.lowLabel,
          highLabel: measurementItems.highLabel,
          quizQuestionId: measurementItems.quizQuestionId,
          quizQuestionText: quizQuestions.text,
          answerCount: sql<number>`(select count(*) from ${measurementAnswers} where ${measurementAnswers.itemId} = ${measurementItems.id})`,
        })
        .from(measurementItems)
        .leftJoin(quizQuestions, eq(quizQuestions.id, measurementItems.quizQuestionId))
        .where(eq(measurementItems.measurementId, measurement.id))
        .orderBy(asc(measurementItems.audience), asc(measurementItems.position))
        .all()
    : [];
  return {
    course,
    measurement: measurement && {
      intro: measurement.intro,
      followUpWeeks: measurement.followUpWeeks,
      active: measurement.active,
      updatedAt: measurement.updatedAt.getTime(),
    },
    items,
    questions,
  };
}

function courseExists(tx: Tx, courseId: number) {
  return !!tx.select({ id: courses.id }).from(courses).where(eq(courses.id, courseId)).get();
}

/**
 * The course's measurement, made the first time an item is added: switched off, so nobody is
 * asked half a measurement while the owner is still writing it.
 */
function ensureMeasurement(tx: Tx, courseId: number, now: Date): number {
  const existing = tx
    .select({ id: measurements.id })
    .from(measurements)
    .where(eq(measurements.courseId, courseId))
    .get();
  if (existing) return existing.id;
  return tx.insert(measurements).values({ courseId, active: false, updatedAt: now }).returning().get().id;
}

export function saveMeasurementSettings(
  courseId: number,
  value: Omit<MeasurementSettingsValue, "intent">,
  now = new Date(),
): "saved" | "courseNotFound" {
  return db.transaction((tx) => {
    if (!courseExists(tx, courseId)) return "courseNotFound";
    const fields = { intro: value.intro, followUpWeeks: value.followUpWeeks, active: value.active, updatedAt: now };
    tx.insert(measurements)
      .values({ courseId, ...fields })
      .onConflictDoUpdate({ target: measurements.courseId, set: fields })
      .run();
    return "saved";
  });
}

function itemOf(tx: Tx, courseId: number, itemId: number) {
  return tx
    .select({
      id: measurementItems.id,
      measurementId: measurementItems.measurementId,
      audience: measurementItems.audience,
      position: measurementItems.position,
      kind: measurementItems.kind,
      text: measurementItems.text,
      lowLabel: measurementItems.lowLabel,
      highLabel: measurementItems.highLabel,
      quizQuestionId: measurementItems.quizQuestionId,
    })
    .from(measurementItems)
    .innerJoin(measurements, eq(measurements.id, measurementItems.measurementId))
    .where(and(eq(measurementItems.id, itemId), eq(measurements.courseId, courseId)))
    .get();
}

function hasAnswers(tx: Tx, itemId: number) {
  return (
    (tx.select({ n: count() }).from(measurementAnswers).where(eq(measurementAnswers.itemId, itemId)).get()?.n ?? 0) > 0
  );
}

function nextPosition(tx: Tx, measurementId: number, audience: MeasurementAudience) {
  const last = tx
    .select({ position: max(measurementItems.position) })
    .from(measurementItems)
    .where(and(eq(measurementItems.measurementId, measurementId), eq(measurementItems.audience, audience)))
    .get()?.position;
  return (last ?? 0) + 1;
}

export type SaveItemResult = "saved" | "courseNotFound" | "itemNotFound" | "unknownQuestion" | "answeredLocked";

/**
 * Adds an item or changes one in place. An item that has answers keeps its wording, its kind, its
 * question and its audience: the answers were given to exactly that, and a before-and-after
 * comparison only means something when every moment asked the same. It can still be moved.
 */
export function saveMeasurementItem(courseId: number, value: MeasurementItemValue, now = new Date()): SaveItemResult {
  // Immediate: no answer can arrive between the check for answers and the change.
  return db.transaction(
    (tx) => {
      if (!courseExists(tx, courseId)) return "courseNotFound";
      if (
        value.quizQuestionId != null &&
        !courseQuizQuestions(courseId, tx).some((question) => question.id === value.quizQuestionId)
      )
        return "unknownQuestion";
      const fields = {
        kind: value.kind,
        text: value.text,
        lowLabel: value.lowLabel,
        highLabel: value.highLabel,
        quizQuestionId: value.quizQuestionId,
      };
      if (value.itemId == null) {
        const measurementId = ensureMeasurement(tx, courseId, now);
        tx.insert(measurementItems)
          .values({
            measurementId,
            audience: value.audience,
            position: nextPosition(tx, measurementId, value.audience),
            ...fields,
          })
          .run();
      } else {
        const item = itemOf(tx, courseId, value.itemId);
        if (!item) return "itemNotFound";
        const changed =
          item.audience !== value.audience ||
          (Object.keys(fields) as (keyof typeof fields)[]).some((key) => item[key] !== fields[key]);
        if (!changed) return "saved";
        if (hasAnswers(tx, item.id)) return "answeredLocked";
        const position =
          item.audience === value.audience ? item.position : nextPosition(tx, item.measurementId, value.audience);
        tx.update(measurementItems)
          .set({ audience: value.audience, position, ...fields })
          .where(eq(measurementItems.id, item.id))
          .run();
      }
      tx.update(measurements).set({ updatedAt: now }).where(eq(measurements.courseId, courseId)).run();
      return "saved";
    },
    { behavior: "immediate" },
  );
}

/** Swaps the item with its neighbour among the same audience's items; at either end it stays where it is. */
export function moveMeasurementItem(
  courseId: number,
  itemId: number,
  direction: "up" | "down",
  now = new Date(),
): "moved" | "itemNotFound" {
  return db.transaction((tx) => {
    const item = itemOf(tx, courseId, itemId);
    if (!item) return "itemNotFound";
    const neighbour = tx
      .select({ id: measurementItems.id, position: measurementItems.position })
      .from(measurementItems)
      .where(
        and(
          eq(measurementItems.measurementId, item.measurementId),
          eq(measurementItems.audience, item.audience),
          direction === "up"
            ? lt(measurementItems.position, item.position)
            : gt(measurementItems.position, item.position),
        ),
      )
      .orderBy(direction === "up" ? desc(measurementItems.position) : asc(measurementItems.position))
      .limit(1)
      .get();
    if (!neighbour) return "moved";
    // Positions are unique per audience, so the item steps aside while its neighbour takes its place.
    tx.update(measurementItems).set({ position: -item.position }).where(eq(measurementItems.id, item.id)).run();
    tx.update(measurementItems).set({ position: item.position }).where(eq(measurementItems.id, neighbour.id)).run();
    tx.update(measurementItems).set({ position: neighbour.position }).where(eq(measurementItems.id, item.id)).run();
    tx.update(measurements).set({ updatedAt: now }).where(eq(measurements.id, item.measurementId)).run();
    return "moved";
  });
}

/**
 * Removes an item nobody has answered. One with answers is refused rather than taken away with
 * its answers: they are part of pairs of before and after that are already counted.
 */
export function removeMeasurementItem(
  courseId: number,
  itemId: number,
  now = new Date(),
): "removed" | "itemNotFound" | "answeredLocked" {
  return db.transaction(
    (tx) => {
      const item = itemOf(tx, courseId, itemId);
      if (!item) return "itemNotFound";
      if (hasAnswers(tx, item.id)) return "answeredLocked";
      tx.delete(measurementItems).where(eq(measurementItems.id, item.id)).run();
      tx.update(measurements).set({ updatedAt: now }).where(eq(measurements.id, item.measurementId)).run();
      return "removed";
    },
    { behavior: "immediate" },
  );
}
