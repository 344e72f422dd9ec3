import { and, asc, eq, inArray } from "drizzle-orm";
import { moduleProgress, modules, quizAttempts, quizOptions, quizQuestions, quizzes } from "#db/schema";
import { db } from "~/db.server";
import { saveQuiz } from "~/learning/quiz-builder.server";
import { answerField, type QuizBuilderInput } from "~/learning/quiz-forms";
import { userIdByEmail } from "./requests";

export function moduleIdBySlug(slug: string): number {
  const row = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, slug)).get();
  if (!row) throw new Error(`No seeded module ${slug}`);
  return row.id;
}

/** The film counts as watched, as if the player had reported 90 %. */
export function markWatched(email: string, slug: string, watchedAt = new Date()) {
  db.insert(moduleProgress)
    .values({
      userId: userIdByEmail(email),
      moduleId: moduleIdBySlug(slug),
      playedRanges: "[[0,40]]",
      playedMs: 40_000,
      lastPositionMs: 40_000,
      watchedAt,
      updatedAt: watchedAt,
    })
    .onConflictDoUpdate({
      target: [moduleProgress.userId, moduleProgress.moduleId],
      set: { watchedAt, playedMs: 40_000 },
    })
    .run();
}

/** Saves a quiz through the domain function, failing the test if it is refused. */
export function givenQuiz(slug: string, input: Partial<QuizBuilderInput> & Pick<QuizBuilderInput, "questions">) {
  const outcome = saveQuiz(moduleIdBySlug(slug), {
    passPercent: 80,
    shuffleQuestions: false,
    shuffleOptions: false,
    ...input,
  });
  if (outcome !== "saved") throw new Error(`quiz not saved: ${outcome}`);
}

export type StoredQuestion = {
  id: number;
  kind: string;
  text: string;
  explanation: string;
  options: { id: number; text: string; correct: boolean }[];
};

/** The module's questions with their options, as stored, in order. */
export function storedQuestions(slug: string): StoredQuestion[] {
  const quiz = db
    .select({ id: quizzes.id })
    .from(quizzes)
    .where(eq(quizzes.moduleId, moduleIdBySlug(slug)))
    .get();
  if (!quiz) return [];
  const questions = db
    .select()
    .from(quizQuestions)
    .where(eq(quizQuestions.quizId, quiz.id))
    .orderBy(asc(quizQuestions.position))
    .all();
  const options = db
    .select()
    .from(quizOptions)
    .where(
      inArray(
        quizOptions.questionId,
        questions.map((q) => q.id),
      ),
    )
    .orderBy(asc(quizOptions.questionId), asc(quizOptions.position))
    .all();
  return questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    text: q.text,
    explanation: q.explanation,
    options: options.filter((o) => o.questionId === q.id).map((o) => ({ id: o.id, text: o.text, correct: o.correct })),
  }));
}

/** Option ids to answer each question with: the correct ones, or for the listed questions a wrong one. */
export function answers(questions: StoredQuestion[], wrong: number[] = []): Map<number, number[]> {
  return new Map(
    questions.map((q, index) => [
      q.id,
      wrong.includes(index)
        ? [q.options.find((o) => !o.correct)!.id]
        : q.options.filter((o) => o.correct).map((o) => o.id),
    ]),
  );
}

/** A form body as the learner's browser posts it: the form's intent, and one entry per chosen option. */
export function answerBody(chosen: Map<number, number[]>): URLSearchParams {
  const body = new URLSearchParams({ intent: "attempt" });
  for (const [questionId, optionIds] of chosen)
    for (const id of optionIds) body.append(answerField(questionId), String(id));
  return body;
}

/** Flattens a nested value into the field names Conform reads: `questions[0].options[1].text`. */
export function conformBody(value: unknown, prefix = "", body = new URLSearchParams()): URLSearchParams {
  if (Array.isArray(value)) value.forEach((item, index) => conformBody(item, `${prefix}[${index}]`, body));
  else if (value && typeof value === "object")
    for (const [key, item] of Object.entries(value)) conformBody(item, prefix ? `${prefix}.${key}` : key, body);
  else if (value === true) body.append(prefix, "on");
  else if (value !== false && value != null) body.append(prefix, String(value));
  return body;
}

/** How many attempts the person has stored on the module's quiz. */
export function attemptCount(email: string, slug: string): number {
  return db
    .select({ id: quizAttempts.id })
    .from(quizAttempts)
    .innerJoin(quizzes, eq(quizzes.id, quizAttempts.quizId))
    .where(and(eq(quizAttempts.userId, userIdByEmail(email)), eq(quizzes.moduleId, moduleIdBySlug(slug))))
    .all().length;
}
