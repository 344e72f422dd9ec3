import { and, asc, eq } from "drizzle-orm";
import {
  measurementItems,
  measurements,
  modules,
  quizOptions,
  quizQuestions,
  quizzes,
  type MeasurementMoment,
} from "#db/schema";
import { db } from "~/db.server";
import { saveMeasurementItem, saveMeasurementSettings } from "~/measurement/builder.server";
import { momentSlugs } from "~/measurement/forms";
import * as pageRoute from "~/routes/kurser.$courseSlug.maaling/route";
import { recordCourseProgress } from "~/training/cycles.server";
import { courseIdOf } from "./feedback";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "./requests";
import { completeCourseAt } from "./training-progress";

export const COURSE = "unges-egne-fortaellinger";

/** The first quiz question of the course, with its options and which are right. */
export function firstQuizQuestion(slug = COURSE) {
  const question = db
    .select({ id: quizQuestions.id, kind: quizQuestions.kind })
    .from(quizQuestions)
    .innerJoin(quizzes, eq(quizzes.id, quizQuestions.quizId))
    .innerJoin(modules, eq(modules.id, quizzes.moduleId))
    .where(and(eq(modules.courseId, courseIdOf(slug)), eq(quizQuestions.kind, "single")))
    .orderBy(asc(modules.position), asc(quizQuestions.position))
    .get()!;
  const options = db
    .select({ id: quizOptions.id, correct: quizOptions.correct })
    .from(quizOptions)
    .where(eq(quizOptions.questionId, question.id))
    .all();
  return {
    ...question,
    right: options.find((option) => option.correct)!.id,
    wrong: options.find((option) => !option.correct)!.id,
  };
}

/**
 * A measurement on the course, switched on, with two staff statements, one knowledge item (the
 * course's first single-choice quiz question) and one leader statement, made through the domain.
 */
export function givenMeasurement(slug = COURSE, followUpWeeks = 12) {
  const courseId = courseIdOf(slug);
  const statement = (audience: "staff" | "leader", text: string) =>
    saveMeasurementItem(courseId, {
      intent: "saveItem",
      itemId: null,
      audience,
      kind: "statement",
      text,
      lowLabel: "Slet ikke",
      highLabel: "I høj grad",
      quizQuestionId: null,
    });
  expect(statement("staff", "Jeg ved, hvad jeg skal gøre ved en bekymring.")).toBe("saved");
  expect(statement("staff", "Jeg taler med kolleger om en bekymring.")).toBe("saved");
  expect(
    saveMeasurementItem(courseId, {
      intent: "saveItem",
      itemId: null,
      audience: "staff",
      kind: "knowledge",
      text: "",
      lowLabel: null,
      highLabel: null,
      quizQuestionId: firstQuizQuestion(slug).id,
    }),
  ).toBe("saved");
  expect(statement("leader", "Mine medarbejdere taler tidligere med hinanden om en bekymring.")).toBe("saved");
  expect(saveMeasurementSettings(courseId, { intro: "Tak fordi du svarer.", followUpWeeks, active: true })).toBe(
    "saved",
  );
  const measurement = db.select().from(measurements).where(eq(measurements.courseId, courseId)).get()!;
  const items = db
    .select()
    .from(measurementItems)
    .where(eq(measurementItems.measurementId, measurement.id))
    .orderBy(asc(measurementItems.audience), asc(measurementItems.position))
    .all();
  return {
    ...measurement,
    staff: items.filter((item) => item.audience === "staff"),
    leader: items.filter((item) => item.audience === "leader"),
  };
}

/** The course completed on the Danish day of `at`, with its certificate issued as the completion hook does. */
export function completeWithCertificate(email: string, at: Date, slug = COURSE) {
  completeCourseAt(email, slug, at);
  expect(recordCourseProgress(userIdByEmail(email), courseIdOf(slug), at).status).toBe("issued");
}

/** A valid answer to every item, as the page posts it: statements 4 (or `score`), the knowledge item right. */
export function answerFields(items: { id: number; kind: string }[], overrides: Record<string, string> = {}, score = 4) {
  const right = String(firstQuizQuestion().right);
  const fields: Record<string, string> = { intent: "answer" };
  for (const item of items) fields[`i${item.id}`] = item.kind === "statement" ? String(score) : right;
  return { ...fields, ...overrides };
}

export function pageUrl(moment: MeasurementMoment, next?: string, slug = COURSE) {
  return `/kurser/${slug}/maaling?tidspunkt=${momentSlugs[moment]}${next ? `&naeste=${encodeURIComponent(next)}` : ""}`;
}

export async function postAnswers(
  email: string,
  moment: MeasurementMoment,
  fields: Record<string, string>,
  next?: string,
) {
  const cookie = await sessionCookieFor(email);
  return settle(() =>
    pageRoute.action(routeArgs(formRequest(pageUrl(moment, next), fields, cookie), { courseSlug: COURSE })),
  );
}

export async function openPage(email: string, moment: MeasurementMoment) {
  const cookie = await sessionCookieFor(email);
  return settle(() => pageRoute.loader(routeArgs(request(pageUrl(moment), { cookie }), { courseSlug: COURSE })));
}
