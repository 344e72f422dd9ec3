import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, min, ne, sql } from "drizzle-orm";
import {
  certificates,
  courses,
  measurementAnswers,
  measurementItems,
  measurementResponses,
  measurementSubmissions,
  measurements,
  memberships,
  moduleProgress,
  modules,
  quizOptions,
  quizQuestions,
  users,
  type MeasurementAudience,
  type MeasurementMoment,
} from "#db/schema";
import { db } from "~/db.server";
import { weekOf } from "~/feedback/responses.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { courseCompletion } from "~/learning/completion.server";
import { courseSeat, type CourseSeat } from "~/licensing/access.server";
import { measurementHref, STATEMENT_MAX, STATEMENT_MIN, type AnswerItem } from "./forms";
import { measurementPseudonym } from "./pseudonym.server";

/** Who is asked which items at a moment: the learners the staff items, at three moments; the leaders their own, once. */
export const audienceOf = (moment: MeasurementMoment): MeasurementAudience =>
  moment === "leaderFollowUp" ? "leader" : "staff";

function activeMeasurement(courseId: number) {
  return db
    .select({ id: measurements.id, intro: measurements.intro, followUpWeeks: measurements.followUpWeeks })
    .from(measurements)
    .where(and(eq(measurements.courseId, courseId), eq(measurements.active, true)))
    .get();
}

type Measurement = NonNullable<ReturnType<typeof activeMeasurement>>;

/** The items of one audience in order; a knowledge item with its question's options, which are right left out (decision 24). */
function itemsOf(measurementId: number, audience: MeasurementAudience) {
  const items = db
    .select({
      id: measurementItems.id,
      kind: measurementItems.kind,
      text: measurementItems.text,
      lowLabel: measurementItems.lowLabel,
      highLabel: measurementItems.highLabel,
      quizQuestionId: measurementItems.quizQuestionId,
      questionText: quizQuestions.text,
      questionKind: quizQuestions.kind,
    })
    .from(measurementItems)
    .leftJoin(quizQuestions, eq(quizQuestions.id, measurementItems.quizQuestionId))
    .where(and(eq(measurementItems.measurementId, measurementId), eq(measurementItems.audience, audience)))
    .orderBy(asc(measurementItems.position))
    .all();
  const questionIds = items.flatMap((item) => (item.quizQuestionId == null ? [] : [item.quizQuestionId]));
  const options =
    questionIds.length === 0
      ? []
      : db
          .select({ id: quizOptions.id, questionId: quizOptions.questionId, text: quizOptions.text })
          .from(quizOptions)
          .where(inArray(quizOptions.questionId, questionIds))
          .orderBy(asc(quizOptions.position))
          .all();
  return items.map((item): AnswerItem & { text: string; lowLabel: string | null; highLabel: string | null } => ({
    id: item.id,
    kind: item.kind,
    text: item.kind === "knowledge" ? (item.questionText ?? "") : item.text,
    lowLabel: item.lowLabel,
    highLabel: item.highLabel,
    questionKind: item.questionKind,
    options: options
      .filter((option) => option.questionId === item.quizQuestionId)
      .map(({ id, text }) => ({ id, text })),
  }));
}

export type MeasurementItemView = ReturnType<typeof itemsOf>[number];

function hasSubmitted(measurementId: number, userId: number, moment: MeasurementMoment) {
  return !!db
    .select({ moment: measurementSubmissions.moment })
    .from(measurementSubmissions)
    .where(
      and(
        eq(measurementSubmissions.measurementId, measurementId),
        eq(measurementSubmissions.userId, userId),
        eq(measurementSubmissions.moment, moment),
      ),
    )
    .get();
}

/** The day a person first completed the course: the first round's certificate, which later refreshers leave as it was. */
function firstCompletedOn(userId: number, courseId: number) {
  return (
    db
      .select({ completedOn: certificates.completedOn })
      .from(certificates)
      .where(and(eq(certificates.userId, userId), eq(certificates.courseId, courseId), eq(certificates.round, 0)))
      .get()?.completedOn ?? null
  );
}

/**
 * The first day anyone else in the leader's unit (in the municipality of the leader's seat)
 * completed the course: from then on there is practice in the unit to follow up on. Null for a
 * leader without a unit, or while nobody there has completed it.
 */
function firstCompletionInUnit(leaderId: number, courseId: number, organisationId: number) {
  const unit = db
    .select({ unitId: memberships.unitId })
    .from(memberships)
    .where(and(eq(memberships.userId, leaderId), eq(memberships.organisationId, organisationId)))
    .get()?.unitId;
  if (unit == null) return null;
  return (
    db
      .select({ first: min(certificates.completedOn) })
      .from(certificates)
      .innerJoin(
        memberships,
        and(
          eq(memberships.userId, certificates.userId),
          eq(memberships.organisationId, organisationId),
          eq(memberships.unitId, unit),
        ),
      )
      .where(and(eq(certificates.courseId, courseId), eq(certificates.round, 0), ne(certificates.userId, leaderId)))
      .get()?.first ?? null
  );
}

/** The day a follow-up falls due: N weeks after the completion it follows; null while there is none. */
export function followUpDueOn(
  moment: "followUp" | "leaderFollowUp",
  userId: number,
  courseId: number,
  seat: CourseSeat,
  followUpWeeks: number,
): string | null {
  const from =
    moment === "followUp"
      ? firstCompletedOn(userId, courseId)
      : seat.role === "leader"
        ? firstCompletionInUnit(userId, courseId, seat.organisationId)
        : null;
  return from == null ? null : shiftDays(from, followUpWeeks * 7);
}

function hasStarted(userId: number, courseId: number) {
  const progress = db
    .select({ one: sql`1` })
    .from(moduleProgress)
    .innerJoin(modules, eq(modules.id, moduleProgress.moduleId))
    .where(and(eq(moduleProgress.userId, userId), eq(modules.courseId, courseId)))
    .get();
  return !!progress || firstCompletedOn(userId, courseId) != null;
}

/**
 * Where one person stands with one moment: open to answer, done (answered or skipped), or why not:
 * no measurement switched on with items for them, no seat, not a leader, not yet (with the day
 * when that is known), or too late for a "before" once the films have begun.
 */
export type MomentState =
  | { state: "open" }
  | { state: "done" }
  | { state: "inactive" }
  | { state: "noSeat" }
  | { state: "notLeader" }
  | { state: "notDue"; dueOn: string | null }
  | { state: "started" };

function momentState(
  measurement: Measurement | undefined,
  itemCount: number,
  seat: CourseSeat | null,
  userId: number,
  courseId: number,
  moment: MeasurementMoment,
  today: string,
): MomentState {
  if (!measurement || itemCount === 0) return { state: "inactive" };
  if (!seat) return { state: "noSeat" };
  if (moment === "leaderFollowUp" && seat.role !== "leader") return { state: "notLeader" };
  if (hasSubmitted(measurement.id, userId, moment)) return { state: "done" };
  if (moment === "baseline") return hasStarted(userId, courseId) ? { state: "started" } : { state: "open" };
  if (moment === "completion")
    return courseCompletion(userId, courseId).complete ? { state: "open" } : { state: "notDue", dueOn: null };
  const dueOn = followUpDueOn(moment, userId, courseId, seat, measurement.followUpWeeks);
  return dueOn != null && dueOn <= today ? { state: "open" } : { state: "notDue", dueOn };
}

/** The page of one moment for a person who may see the course (the route checks course access). */
export function measurementPageFor(
  user: { id: number },
  courseId: number,
  moment: MeasurementMoment,
  now = new Date(),
) {
  const measurement = activeMeasurement(courseId);
  const items = measurement ? itemsOf(measurement.id, audienceOf(moment)) : [];
  const seat = courseSeat(user.id, courseId, now);
  const state = momentState(measurement, items.length, seat, user.id, courseId, moment, danishDate(now));
  return {
    moment,
    ...state,
    intro: measurement?.intro ?? "",
    // The items are only sent to someone who can answer them.
    items: state.state === "open" ? items : [],
  };
}

/**
 * Whether opening a film should first ask the "before": the course has a measurement switched on
 * with staff items, the person holds a seat, has neither answered nor skipped it, and has not
 * begun the course (no progress on any film, no certificate).
 */
export function baselineDue(user: { id: number }, courseId: number, now = new Date()): boolean {
  const measurement = activeMeasurement(courseId);
  if (!measurement) return false;
  const hasStaffItems = !!db
    .select({ id: measurementItems.id })
    .from(measurementItems)
    .where(and(eq(measurementItems.measurementId, measurement.id), eq(measurementItems.audience, "staff")))
    .get();
  return (
    hasStaffItems &&
    !hasSubmitted(measurement.id, user.id, "baseline") &&
    courseSeat(user.id, courseId, now) != null &&
    !hasStarted(user.id, courseId)
  );
}

/** What the course page invites to once the course is complete: the first open moment after the films, or null. */
export function measurementOfferFor(user: { id: number }, courseId: number, now = new Date()) {
  const course = db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, courseId)).get();
  if (!course || !activeMeasurement(courseId)) return null;
  for (const moment of ["completion", "followUp", "leaderFollowUp"] as const) {
    if (measurementPageFor(user, courseId, moment, now).state === "open")
      return { moment, href: measurementHref(course.slug, moment) };
  }
  return null;
}

export type SubmitResult =
  "saved" | "itemsChanged" | "outOfRange" | "alreadyAnswered" | Exclude<MomentState["state"], "open">;

/** A knowledge answer graded here, never in the browser: right when exactly the right options were chosen. */
function grade(tx: Pick<typeof db, "select">, questionId: number, chosen: number[]): 0 | 1 {
  const right = tx
    .select({ id: quizOptions.id })
    .from(quizOptions)
    .where(and(eq(quizOptions.questionId, questionId), eq(quizOptions.correct, true)))
    .all()
    .map((option) => option.id);
  const picked = new Set(chosen);
  return picked.size === right.length && right.every((id) => picked.has(id)) ? 1 : 0;
}

/**
 * Saves one moment's answers, or only that it was skipped (`answers` null), in one transaction:
 * that the person is done (its primary key refuses a second time), and, when answered, the
 * response under the pseudonym with the municipality of the seat, the profession and the week,
 * and its answers. Nothing in the response or the answers leads back to the person.
 */
export function submitMeasurement(
  user: { id: number },
  courseId: number,
  moment: MeasurementMoment,
  answers: Map<number, number | number[]> | null,
  now = new Date(),
): SubmitResult {
  const page = measurementPageFor(user, courseId, moment, now);
  if (page.state !== "open") return page.state === "done" ? "alreadyAnswered" : page.state;
  const measurement = activeMeasurement(courseId)!;
  const seat = courseSeat(user.id, courseId, now)!;
  // Immediate: the write lock is taken before the checks, so a second tab waits and is then refused.
  return db.transaction(
    (tx) => {
      const items = tx
        .select({ id: measurementItems.id, quizQuestionId: measurementItems.quizQuestionId })
        .from(measurementItems)
        .where(
          and(eq(measurementItems.measurementId, measurement.id), eq(measurementItems.audience, audienceOf(moment))),
        )
        .all();
      if (answers && (answers.size !== items.length || items.some((item) => !answers.has(item.id))))
        return "itemsChanged";
      // The form refuses these beside the field; this holds for any caller.
      if (
        answers &&
        items.some((item) => {
          const answer = answers.get(item.id)!;
          return item.quizQuestionId == null
            ? typeof answer !== "number" ||
                !Number.isInteger(answer) ||
                answer < STATEMENT_MIN ||
                answer > STATEMENT_MAX
            : false;
        })
      )
        return "outOfRange";
      const done = tx
        .insert(measurementSubmissions)
        .values({ measurementId: measurement.id, userId: user.id, moment })
        .onConflictDoNothing()
        .run();
      if (done.changes !== 1) return "alreadyAnswered";
      if (!answers) return "saved";
      const responseId = randomBytes(16).toString("base64url");
      tx.insert(measurementResponses)
        .values({
          id: responseId,
          measurementId: measurement.id,
          pseudonym: measurementPseudonym(measurement.id, user.id),
          moment,
          organisationId: seat.organisationId,
          profession: tx.select({ profession: users.profession }).from(users).where(eq(users.id, user.id)).get()
            ?.profession,
          submittedWeek: weekOf(danishDate(now)),
        })
        .run();
      tx.insert(measurementAnswers)
        .values(
          items.map((item) => {
            const answer = answers.get(item.id)!;
            const value =
              item.quizQuestionId == null
                ? (answer as number)
                : grade(tx, item.quizQuestionId, Array.isArray(answer) ? answer : [answer]);
            return { responseId, itemId: item.id, value };
          }),
        )
        .run();
      return "saved";
    },
    { behavior: "immediate" },
  );
}
