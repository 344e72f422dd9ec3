import { createHash } from "node:crypto";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import {
  moduleProgress,
  quizAttemptAnswers,
  quizAttempts,
  quizOptions,
  quizQuestions,
  quizzes,
  type QuizQuestionKind,
} from "#db/schema";
import { db } from "~/db.server";
import { attemptsExhausted } from "./attempt-limit";
import { countsAgainstLimit, inCurrentRound, moduleCompletions, type QuizStanding } from "./completion.server";

/** A question as the learner gets it before answering: no correct flags, no explanation. */
export type AttemptQuestion = {
  id: number;
  kind: QuizQuestionKind;
  text: string;
  options: { id: number; text: string }[];
};

/** Locked until the film is watched; exhausted when every allowed attempt is used. */
export type QuizAvailability = "locked" | "open" | "exhausted";

export type LearnerQuiz = {
  passPercent: number;
  standing: QuizStanding;
  availability: QuizAvailability;
  /** Only while the quiz is open, so nothing about the questions is sent that cannot be used. */
  questions: AttemptQuestion[];
};

/**
 * A shuffle fixed for one attempt: the page reloaded after a refused submission keeps its order,
 * and the next attempt gets a new one. The order is no secret, so a small seeded generator will do.
 */
function shufflerFor(seed: string) {
  let state = createHash("sha256").update(seed).digest().readUInt32LE(0);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
}

function availability(watched: boolean, standing: QuizStanding): QuizAvailability {
  if (!watched) return "locked";
  return attemptsExhausted(standing) ? "exhausted" : "open";
}

/**
 * The module's quiz as one learner may see it now, in the order the quiz settings ask for, or
 * null when the module has no quiz with questions. Only ids, texts and kinds are selected: which
 * options are correct and the explanations never leave the server before an attempt is graded.
 */
export function learnerQuiz(userId: number, moduleId: number): LearnerQuiz | null {
  const completion = moduleCompletions(userId, [moduleId]).get(moduleId);
  if (!completion?.quiz) return null;
  const quiz = db
    .select({
      passPercent: quizzes.passPercent,
      shuffleQuestions: quizzes.shuffleQuestions,
      shuffleOptions: quizzes.shuffleOptions,
    })
    .from(quizzes)
    .where(eq(quizzes.id, completion.quiz.quizId))
    .get()!;
  const state = availability(completion.watched, completion.quiz);
  if (state !== "open")
    return { passPercent: quiz.passPercent, standing: completion.quiz, availability: state, questions: [] };

  const questionRows = db.query.quizQuestions
    .findMany({
      columns: { id: true, kind: true, text: true },
      where: eq(quizQuestions.quizId, completion.quiz.quizId),
      orderBy: asc(quizQuestions.position),
      with: { options: { columns: { id: true, text: true }, orderBy: asc(quizOptions.position) } },
    })
    .sync();
  const shuffled = shufflerFor(`${userId}:${completion.quiz.quizId}:${completion.quiz.attemptsUsed}`);
  // True/false reads oddly as "false, true", so its two options keep their order.
  const questions = questionRows.map((question) =>
    quiz.shuffleOptions && question.kind !== "trueFalse"
      ? { ...question, options: shuffled(question.options) }
      : question,
  );
  return {
    passPercent: quiz.passPercent,
    standing: completion.quiz,
    availability: state,
    questions: quiz.shuffleQuestions ? shuffled(questions) : questions,
  };
}

export type GradedQuestion = {
  id: number;
  text: string;
  kind: QuizQuestionKind;
  answeredCorrectly: boolean;
  explanation: string;
  /** `correct` is null unless the correct options may be shown (see `revealed`). */
  options: { id: number; text: string; selected: boolean; correct: boolean | null }[];
};

export type AttemptResult = {
  correctCount: number;
  questionCount: number;
  scorePercent: number;
  passed: boolean;
  passPercent: number;
  /** Whether this or an earlier attempt of the current round passed the quiz. */
  quizPassed: boolean;
  attemptsUsed: number;
  maxAttempts: number | null;
  /** The correct options are shown once the quiz is passed or no attempts are left, so a failed attempt does not hand out the answers. */
  revealed: boolean;
  questions: GradedQuestion[];
};

export type SubmitOutcome =
  | { status: "graded"; result: AttemptResult }
  | { status: "noQuiz" }
  | { status: "notWatched" }
  | { status: "noAttemptsLeft" }
  /** An answer names an option of another question, or the wrong number of options for its kind. */
  | { status: "invalidAnswer"; questionId: number };

function sameSet(a: number[], b: number[]) {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/** Whole per cent, rounded down, so a score shown as the pass mark has always reached it. */
function scorePercent(correctCount: number, questionCount: number) {
  return questionCount === 0 ? 0 : Math.floor((correctCount * 100) / questionCount);
}

/**
 * Grades an attempt on the server and stores it with every answer in one transaction. The
 * checks that refuse an attempt run inside the same transaction, so two tabs submitting at
 * once cannot both get past the attempt limit.
 */
export function submitAttempt(
  userId: number,
  moduleId: number,
  answers: Map<number, number[]>,
  now = new Date(),
): SubmitOutcome {
  return db.transaction(
    (tx) => {
      const quiz = tx.select().from(quizzes).where(eq(quizzes.moduleId, moduleId)).get();
      const questions = quiz
        ? tx
            .select()
            .from(quizQuestions)
            .where(eq(quizQuestions.quizId, quiz.id))
            .orderBy(asc(quizQuestions.position))
            .all()
        : [];
      if (!quiz || questions.length === 0) return { status: "noQuiz" } as const;

      const progress = tx
        .select({ watchedAt: moduleProgress.watchedAt })
        .from(moduleProgress)
        .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.moduleId, moduleId)))
        .get();
      if (!progress?.watchedAt) return { status: "notWatched" } as const;

      const used =
        tx
          .select({ n: count() })
          .from(quizAttempts)
          .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.quizId, quiz.id), countsAgainstLimit))
          .get()?.n ?? 0;
      if (attemptsExhausted({ attemptsUsed: used, maxAttempts: quiz.maxAttempts }))
        return { status: "noAttemptsLeft" } as const;

      const options = tx
        .select()
        .from(quizOptions)
        .where(
          inArray(
            quizOptions.questionId,
            questions.map((q) => q.id),
          ),
        )
        .orderBy(asc(quizOptions.position))
        .all();
      const graded = [];
      for (const question of questions) {
        const own = options.filter((option) => option.questionId === question.id);
        const selected = [...new Set(answers.get(question.id) ?? [])];
        const known = selected.every((id) => own.some((option) => option.id === id));
        const countFits = question.kind === "multiple" ? selected.length >= 1 : selected.length === 1;
        if (!known || !countFits) return { status: "invalidAnswer", questionId: question.id } as const;
        const correctIds = own.filter((option) => option.correct).map((option) => option.id);
        graded.push({ question, own, selected, answeredCorrectly: sameSet(selected, correctIds) });
      }

      const correctCount = graded.filter((g) => g.answeredCorrectly).length;
      const score = scorePercent(correctCount, questions.length);
      const passed = score >= quiz.passPercent;
      const attempt = tx
        .insert(quizAttempts)
        .values({
          quizId: quiz.id,
          userId,
          correctCount,
          questionCount: questions.length,
          scorePercent: score,
          passed,
          submittedAt: now,
        })
        .returning({ id: quizAttempts.id })
        .get();
      tx.insert(quizAttemptAnswers)
        .values(
          graded.map((g) => ({
            attemptId: attempt.id,
            questionId: g.question.id,
            selectedOptionIds: JSON.stringify(g.selected),
            correct: g.answeredCorrectly,
          })),
        )
        .run();

      const quizPassed =
        passed ||
        tx
          .select({ id: quizAttempts.id })
          .from(quizAttempts)
          .where(
            and(
              eq(quizAttempts.userId, userId),
              eq(quizAttempts.quizId, quiz.id),
              eq(quizAttempts.passed, true),
              inCurrentRound,
            ),
          )
          .get() != null;
      const attemptsNow = used + 1;
      const revealed = quizPassed || attemptsExhausted({ attemptsUsed: attemptsNow, maxAttempts: quiz.maxAttempts });
      return {
        status: "graded",
        result: {
          correctCount,
          questionCount: questions.length,
          scorePercent: score,
          passed,
          passPercent: quiz.passPercent,
          quizPassed,
          attemptsUsed: attemptsNow,
          maxAttempts: quiz.maxAttempts,
          revealed,
          questions: graded.map((g) => ({
            id: g.question.id,
            text: g.question.text,
            kind: g.question.kind,
            answeredCorrectly: g.answeredCorrectly,
            explanation: g.question.explanation,
            options: g.own.map((option) => ({
              id: option.id,
              text: option.text,
              selected: g.selected.includes(option.id),
              correct: revealed ? option.correct : null,
            })),
          })),
        },
      } as const;
    },
    { behavior: "immediate" },
  );
}
