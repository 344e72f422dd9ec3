import { and, asc, count, eq, inArray, notInArray, sql } from "drizzle-orm";
import {
  courses,
  measurementAnswers,
  measurementItems,
  modules,
  quizAttempts,
  quizOptions,
  quizQuestions,
  quizzes,
  type QuizQuestionKind,
} from "#db/schema";
import { db } from "~/db.server";
import { DEFAULT_PASS_PERCENT, type QuizBuilderInput } from "./quiz-forms";

export type BuilderQuestion = {
  id: number;
  kind: QuizQuestionKind;
  text: string;
  explanation: string;
  options: { id: number; text: string; correct: boolean }[];
};

export type BuilderQuiz = {
  module: { id: number; title: string; courseTitle: string };
  settings: { passPercent: number; maxAttempts: number | null; shuffleQuestions: boolean; shuffleOptions: boolean };
  questions: BuilderQuestion[];
  /** Changes with every save, so the page can start its form afresh from what was saved. */
  version: number;
  attemptCount: number;
};

/** A module's quiz as the owner edits it, correct answers included; null when there is no such module. */
export function quizForBuilder(moduleId: number): BuilderQuiz | null {
  const module = db
    .select({ id: modules.id, title: modules.title, courseTitle: courses.title })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(modules.id, moduleId))
    .get();
  if (!module) return null;
  const quiz = db.query.quizzes
    .findFirst({
      where: eq(quizzes.moduleId, moduleId),
      with: {
        questions: {
          columns: { id: true, kind: true, text: true, explanation: true },
          orderBy: asc(quizQuestions.position),
          with: { options: { columns: { id: true, text: true, correct: true }, orderBy: asc(quizOptions.position) } },
        },
      },
    })
    .sync();
  if (!quiz) {
    return {
      module,
      settings: { passPercent: DEFAULT_PASS_PERCENT, maxAttempts: null, shuffleQuestions: true, shuffleOptions: true },
      questions: [],
      version: 0,
      attemptCount: 0,
    };
  }
  return {
    module,
    settings: {
      passPercent: quiz.passPercent,
      maxAttempts: quiz.maxAttempts,
      shuffleQuestions: quiz.shuffleQuestions,
      shuffleOptions: quiz.shuffleOptions,
    },
    questions: quiz.questions,
    version: quiz.updatedAt.getTime(),
    attemptCount: db.select({ n: count() }).from(quizAttempts).where(eq(quizAttempts.quizId, quiz.id)).get()?.n ?? 0,
  };
}

/**
 * `unknownItem`: the form names a question or option this quiz does not have, typically one removed in another tab.
 * `measuredQuestion`: a question left out is a knowledge item of the course's measurement with answers,
 * which would go with it and take the before-and-after pairs of that item along.
 */
export type SaveQuizOutcome = "saved" | "notFound" | "unknownItem" | "measuredQuestion";

/**
 * Saves the owner's quiz in one transaction. Questions and options keep their ids: new ones are
 * inserted, existing ones updated and removed ones deleted, so the attempts and the statistics
 * of every question that stays are kept through an edit.
 */
export function saveQuiz(moduleId: number, input: QuizBuilderInput, now = new Date()): SaveQuizOutcome {
  return db.transaction((tx) => {
    if (!tx.select({ id: modules.id }).from(modules).where(eq(modules.id, moduleId)).get()) return "notFound";
    const existing = tx.select({ id: quizzes.id }).from(quizzes).where(eq(quizzes.moduleId, moduleId)).get();
    const storedQuestionIds = existing
      ? tx
          .select({ id: quizQuestions.id })
          .from(quizQuestions)
          .where(eq(quizQuestions.quizId, existing.id))
          .all()
          .map((row) => row.id)
      : [];
    const storedOptions = tx
      .select({ id: quizOptions.id, questionId: quizOptions.questionId })
      .from(quizOptions)
      .where(inArray(quizOptions.questionId, storedQuestionIds))
      .all();
    const keptQuestionIds = input.questions.flatMap((q) => (q.id ? [q.id] : []));
    const keptOptionIds = input.questions.flatMap((q) => q.options.flatMap((o) => (o.id ? [o.id] : [])));
    const itemsKnown =
      new Set(keptQuestionIds).size === keptQuestionIds.length &&
      new Set(keptOptionIds).size === keptOptionIds.length &&
      keptQuestionIds.every((id) => storedQuestionIds.includes(id)) &&
      input.questions.every((q) =>
        q.options.every((o) => !o.id || storedOptions.some((s) => s.id === o.id && s.questionId === q.id)),
      );
    if (!itemsKnown) return "unknownItem";
    const removedQuestionIds = storedQuestionIds.filter((id) => !keptQuestionIds.includes(id));
    const measured = tx
      .select({ itemId: measurementAnswers.itemId })
      .from(measurementAnswers)
      .innerJoin(measurementItems, eq(measurementItems.id, measurementAnswers.itemId))
      .where(inArray(measurementItems.quizQuestionId, removedQuestionIds))
      .limit(1)
      .get();
    if (measured) return "measuredQuestion";

    const settings = {
      passPercent: input.passPercent,
      maxAttempts: input.maxAttempts ?? null,
      shuffleQuestions: input.shuffleQuestions,
      shuffleOptions: input.shuffleOptions,
      updatedAt: now,
    };
    const quizId = tx
      .insert(quizzes)
      .values({ moduleId, ...settings })
      .onConflictDoUpdate({ target: quizzes.moduleId, set: settings })
      .returning({ id: quizzes.id })
      .get().id;

    tx.delete(quizQuestions)
      .where(and(eq(quizQuestions.quizId, quizId), notInArray(quizQuestions.id, keptQuestionIds)))
      .run();
    tx.delete(quizOptions)
      .where(and(inArray(quizOptions.questionId, keptQuestionIds), notInArray(quizOptions.id, keptOptionIds)))
      .run();
    // Positions are unique, so the kept rows step aside before they are numbered anew.
    tx.update(quizQuestions)
      .set({ position: sql`-${quizQuestions.id}` })
      .where(eq(quizQuestions.quizId, quizId))
      .run();
    tx.update(quizOptions)
      .set({ position: sql`-${quizOptions.id}` })
      .where(inArray(quizOptions.questionId, keptQuestionIds))
      .run();

    input.questions.forEach((question, questionIndex) => {
      const values = {
        position: questionIndex + 1,
        kind: question.kind,
        text: question.text,
        explanation: question.explanation,
      };
      if (question.id) tx.update(quizQuestions).set(values).where(eq(quizQuestions.id, question.id)).run();
      const questionId =
        question.id ??
        tx
          .insert(quizQuestions)
          .values({ quizId, ...values })
          .returning({ id: quizQuestions.id })
          .get().id;
      question.options.forEach((option, optionIndex) => {
        const optionValues = { position: optionIndex + 1, text: option.text, correct: option.correct };
        if (option.id) tx.update(quizOptions).set(optionValues).where(eq(quizOptions.id, option.id)).run();
        else
          tx.insert(quizOptions)
            .values({ questionId, ...optionValues })
            .run();
      });
    });
    return "saved";
  });
}
