import { and, asc, count, eq, inArray, notInArray, sql } from "drizzle-orm";
import {
  courses,
  feedbackAnswers,
  feedbackForms,
  feedbackQuestions,
  feedbackResponses,
  type FeedbackAudience,
} from "#db/schema";
import { db } from "~/db.server";
import { parseChoices, type FeedbackFormValue } from "./forms";

/** What the owner's builder shows: the course, the form as saved (or null before the first save), and how many have answered. */
export function feedbackFormForOwner(courseId: number, audience: FeedbackAudience) {
  const course = db
    .select({ id: courses.id, title: courses.title })
    .from(courses)
    .where(eq(courses.id, courseId))
    .get();
  if (!course) return null;
  const form = db
    .select()
    .from(feedbackForms)
    .where(and(eq(feedbackForms.courseId, courseId), eq(feedbackForms.audience, audience)))
    .get();
  if (!form) return { course, form: null, responseCount: 0 };
  const questions = db
    .select()
    .from(feedbackQuestions)
    .where(eq(feedbackQuestions.formId, form.id))
    .orderBy(asc(feedbackQuestions.position))
    .all()
    .map((question) => ({
      id: question.id,
      kind: question.kind,
      text: question.text,
      required: question.required,
      lowLabel: question.lowLabel,
      highLabel: question.highLabel,
      choices: parseChoices(question.choices),
    }));
  const responseCount =
    db.select({ n: count() }).from(feedbackResponses).where(eq(feedbackResponses.formId, form.id)).get()?.n ?? 0;
  return {
    course,
    form: {
      title: form.title,
      intro: form.intro,
      anonymous: form.anonymous,
      opensOn: form.opensOn,
      closesOn: form.closesOn,
      updatedAt: form.updatedAt.getTime(),
      questions,
    },
    responseCount,
  };
}

export type SaveFormResult =
  "saved" | "courseNotFound" | "unknownQuestion" | "anonymityLocked" | { kindLocked: number };

/**
 * Creates or updates a course's form for one audience in one transaction. Questions are matched
 * by id and updated in place, so answers to a question that stays keep pointing at it; a removed
 * question takes its answers with it. A question that has answers cannot change kind, because its
 * answers would no longer fit; the result names its index in the list. Nor can a form that has
 * responses change whether it is anonymous: its responses were given on the promise the form made
 * then, and are stored and reported by it.
 */
export function saveFeedbackForm(
  courseId: number,
  audience: FeedbackAudience,
  value: FeedbackFormValue,
  now = new Date(),
): SaveFormResult {
  // Immediate: the write lock is taken before the checks, so no response can arrive between the check for responses and the change of anonymity.
  return db.transaction(
    (tx) => {
      if (!tx.select({ id: courses.id }).from(courses).where(eq(courses.id, courseId)).get()) return "courseNotFound";
      const existing = tx
        .select({ id: feedbackForms.id, anonymous: feedbackForms.anonymous })
        .from(feedbackForms)
        .where(and(eq(feedbackForms.courseId, courseId), eq(feedbackForms.audience, audience)))
        .get();
      const current = existing
        ? tx
            .select({ id: feedbackQuestions.id, kind: feedbackQuestions.kind })
            .from(feedbackQuestions)
            .where(eq(feedbackQuestions.formId, existing.id))
            .all()
        : [];
      const currentKinds = new Map(current.map((question) => [question.id, question.kind]));
      if (value.questions.some((question) => question.id != null && !currentKinds.has(question.id)))
        return "unknownQuestion";
      if (
        existing &&
        existing.anonymous !== value.anonymous &&
        tx
          .select({ id: feedbackResponses.id })
          .from(feedbackResponses)
          .where(eq(feedbackResponses.formId, existing.id))
          .get()
      ) {
        return "anonymityLocked";
      }
      const changedKind = value.questions
        .filter((question) => question.id != null && currentKinds.get(question.id) !== question.kind)
        .map((question) => question.id!);
      if (changedKind.length > 0) {
        const answered = new Set(
          tx
            .selectDistinct({ questionId: feedbackAnswers.questionId })
            .from(feedbackAnswers)
            .where(inArray(feedbackAnswers.questionId, changedKind))
            .all()
            .map((row) => row.questionId),
        );
        const locked = value.questions.findIndex((question) => question.id != null && answered.has(question.id));
        if (locked >= 0) return { kindLocked: locked };
      }

      const fields = {
        title: value.title,
        intro: value.intro,
        anonymous: value.anonymous,
        opensOn: value.opensOn,
        closesOn: value.closesOn ?? null,
        updatedAt: now,
      };
      let formId: number;
      if (existing) {
        tx.update(feedbackForms).set(fields).where(eq(feedbackForms.id, existing.id)).run();
        formId = existing.id;
      } else {
        formId = tx
          .insert(feedbackForms)
          .values({ courseId, audience, ...fields })
          .returning({ id: feedbackForms.id })
          .get().id;
      }

      const keptIds = value.questions.flatMap((question) => (question.id != null ? [question.id] : []));
      tx.delete(feedbackQuestions)
        .where(
          and(
            eq(feedbackQuestions.formId, formId),
            keptIds.length > 0 ? notInArray(feedbackQuestions.id, keptIds) : undefined,
          ),
        )
        .run();
      // Positions are unique per form, so the kept questions step aside before they are renumbered.
      tx.update(feedbackQuestions)
        .set({ position: sql`-${feedbackQuestions.id}` })
        .where(eq(feedbackQuestions.formId, formId))
        .run();
      value.questions.forEach((question, index) => {
        const row = {
          position: index + 1,
          kind: question.kind,
          text: question.text,
          required: question.required,
          lowLabel: question.lowLabel,
          highLabel: question.highLabel,
          choices: question.choices ? JSON.stringify(question.choices) : null,
        };
        if (question.id != null)
          tx.update(feedbackQuestions).set(row).where(eq(feedbackQuestions.id, question.id)).run();
        else
          tx.insert(feedbackQuestions)
            .values({ formId, ...row })
            .run();
      });
      return "saved";
    },
    { behavior: "immediate" },
  );
}
