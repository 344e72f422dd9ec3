import { z } from "zod";
import { quizQuestionKinds, type QuizQuestionKind } from "#db/schema";
import type { MessageKey } from "~/i18n/da";
import { message, recordId, safeLine, safeText } from "~/utils/form-schema";

export const DEFAULT_PASS_PERCENT = 80;
const MAX_ATTEMPTS_LIMIT = 20;
const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 8;
export const MAX_QUESTIONS = 30;

const text = (maxLength: number) =>
  z
    .string(message("validation.required"))
    .trim()
    .min(1, message("validation.required"))
    .max(maxLength, message("quiz.builder.tooLong"));

/** Typed into a text field and read as digits only, so "80,5" or "1e2" are refused rather than reinterpreted. */
const wholeNumber = (min: number, max: number, key: MessageKey) =>
  z
    .string(message(key))
    .trim()
    .regex(/^\d{1,3}$/, message(key))
    .transform(Number)
    .refine((value) => value >= min && value <= max, message(key));

/** Names an option within its question; see correctOption. */
const optionRef = z.string().max(12, message("validation.invalidChoice"));

const optionSchema = z.object({
  /** Set for an option already saved, so an edit keeps the answers given to it. */
  id: recordId.optional(),
  ref: optionRef.optional(),
  text: text(300).refine(...safeLine),
  /** The option's own box, used when several answers can be right. */
  correct: z.boolean().default(false),
});

/** Whether the form marks the option right: its own box when several can be, else the question's radio button. */
function isRight(
  question: { kind: QuizQuestionKind; correctOption?: string },
  option: { ref?: string; correct: boolean },
) {
  return question.kind === "multiple"
    ? option.correct
    : option.ref !== undefined && option.ref === question.correctOption;
}

const questionSchema = z
  .object({
    id: recordId.optional(),
    kind: z.enum(quizQuestionKinds, message("quiz.builder.kindInvalid")),
    text: text(500).refine(...safeText),
    explanation: text(1000).refine(...safeText),
    /**
     * With one right answer, the right option is chosen with a radio button, one group per
     * question. Its value is the option's ref rather than its place, so it stays with the option
     * when options are moved or removed.
     */
    correctOption: optionRef.optional(),
    options: z
      .array(optionSchema, message("quiz.builder.optionCount"))
      .min(MIN_OPTIONS, message("quiz.builder.optionCount"))
      .max(MAX_OPTIONS, message("quiz.builder.optionCount")),
  })
  .superRefine((question, ctx) => {
    // Too few or too many options is already said; which are correct is asked once there are the right number.
    if (question.options.length < MIN_OPTIONS || question.options.length > MAX_OPTIONS) return;
    const correct = question.options.filter((option) => isRight(question, option)).length;
    const refuse = (key: MessageKey) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["options"], message: key });
    if (question.kind === "trueFalse" && question.options.length !== 2) refuse("quiz.builder.trueFalseTwo");
    else if (question.kind === "multiple" && correct === 0) refuse("quiz.builder.atLeastOneCorrect");
    else if (question.kind !== "multiple" && correct !== 1) refuse("quiz.builder.exactlyOneCorrect");
  })
  // What is stored: each option right or not, however the form marked it.
  .transform(({ correctOption, options, ...question }) => ({
    ...question,
    options: options.map(({ ref, ...option }) => ({
      ...option,
      correct: isRight({ kind: question.kind, correctOption }, { ref, correct: option.correct }),
    })),
  }));

/** The owner's quiz for a module. An empty attempts field means as many attempts as the learner needs. */
export const quizBuilderSchema = z.object({
  passPercent: wholeNumber(1, 100, "quiz.builder.passPercentInvalid"),
  maxAttempts: wholeNumber(1, MAX_ATTEMPTS_LIMIT, "quiz.builder.maxAttemptsInvalid").optional(),
  shuffleQuestions: z.boolean().default(false),
  shuffleOptions: z.boolean().default(false),
  questions: z.array(questionSchema).max(MAX_QUESTIONS, message("quiz.builder.tooManyQuestions")),
});

export type QuizBuilderInput = z.infer<typeof quizBuilderSchema>;

/** A ref for an option added to a question: one more than any the question has, so it is the same on the server and in the browser. */
export function nextOptionRef(refs: (string | undefined)[]): string {
  return String(Math.max(0, ...refs.map((ref) => Number(ref)).filter(Number.isSafeInteger)) + 1);
}

/** A new question's options, each with its ref. */
export function newQuestionOptions(texts: string[]): BuilderFormValue["questions"][number]["options"] {
  return texts.map((text, index) => ({ ref: String(index + 1), text, correct: false }));
}

type SavedQuestion = {
  id?: number;
  kind: QuizQuestionKind;
  text: string;
  explanation: string;
  options: { id?: number; text: string; correct: boolean }[];
};

/** The builder's form as a browser holds it: every value as typed. */
export type BuilderFormValue = {
  passPercent: string;
  maxAttempts: string;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  questions: {
    id?: string;
    kind: QuizQuestionKind;
    text: string;
    explanation: string;
    correctOption?: string;
    options: { id?: string; ref: string; text: string; correct?: boolean }[];
  }[];
};

/**
 * The builder's form filled from a saved quiz. Options are numbered 1, 2, 3… within their
 * question; the radio button of a question with one right answer names the right one, and each
 * option keeps its own box too, so switching a question's kind keeps the owner's marks.
 */
export function builderFormValue(quiz: {
  settings: { passPercent: number; maxAttempts?: number | null; shuffleQuestions?: boolean; shuffleOptions?: boolean };
  questions: SavedQuestion[];
}): BuilderFormValue {
  return {
    passPercent: String(quiz.settings.passPercent),
    maxAttempts: quiz.settings.maxAttempts == null ? "" : String(quiz.settings.maxAttempts),
    shuffleQuestions: quiz.settings.shuffleQuestions ?? false,
    shuffleOptions: quiz.settings.shuffleOptions ?? false,
    questions: quiz.questions.map((question) => {
      const right = question.options.findIndex((option) => option.correct);
      return {
        id: question.id === undefined ? undefined : String(question.id),
        kind: question.kind,
        text: question.text,
        explanation: question.explanation,
        correctOption: right < 0 ? undefined : String(right + 1),
        options: question.options.map((option, index) => ({
          id: option.id === undefined ? undefined : String(option.id),
          ref: String(index + 1),
          text: option.text,
          correct: option.correct,
        })),
      };
    }),
  };
}

/** Each question's answer is posted under its own name, so the form needs no nesting. */
export const answerField = (questionId: number) => `q${questionId}`;

/**
 * The learner's answers to the questions of one quiz: one option for single-choice and
 * true/false, at least one for multiple-choice. Whether the ids belong to the question is
 * checked when the attempt is graded.
 */
export function attemptSchema(questions: { id: number; kind: QuizQuestionKind }[]) {
  return z.object(
    Object.fromEntries(
      questions.map((question) => [
        answerField(question.id),
        question.kind === "multiple"
          ? z.array(recordId, message("quiz.answerMissingMultiple")).min(1, message("quiz.answerMissingMultiple"))
          : z.coerce
              .number(message("quiz.answerMissing"))
              .int(message("quiz.answerMissing"))
              .positive(message("quiz.answerMissing")),
      ]),
    ),
  );
}

/** The answers of a parsed attempt, by question id. */
export function answersByQuestion(
  questions: { id: number }[],
  value: Record<string, number | number[]>,
): Map<number, number[]> {
  return new Map(
    questions.map((question) => {
      const answer = value[answerField(question.id)] ?? [];
      return [question.id, Array.isArray(answer) ? answer : [answer]];
    }),
  );
}
