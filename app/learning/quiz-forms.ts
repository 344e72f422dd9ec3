import { z } from "zod";
import { quizQuestionKinds, type QuizQuestionKind } from "#db/schema";
import type { MessageKey } from "~/i18n/da";
import { message, recordId } from "~/utils/form-schema";

export const DEFAULT_PASS_PERCENT = 80;
const MAX_ATTEMPTS_LIMIT = 20;
const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 8;
export const MAX_QUESTIONS = 30;

const text = (maxLength: number) =>
  z.string(message("validation.required")).trim().min(1, message("validation.required")).max(maxLength, message("quiz.builder.tooLong"));

/** Typed into a text field and read as digits only, so "80,5" or "1e2" are refused rather than reinterpreted. */
const wholeNumber = (min: number, max: number, key: MessageKey) =>
  z
    .string(message(key))
    .trim()
    .regex(/^\d{1,3}$/, message(key))
    .transform(Number)
    .refine((value) => value >= min && value <= max, message(key));

const optionSchema = z.object({
  /** Set for an option already saved, so an edit keeps the answers given to it. */
  id: recordId.optional(),
  text: text(300),
  correct: z.boolean().default(false),
});

const questionSchema = z
  .object({
    id: recordId.optional(),
    kind: z.enum(quizQuestionKinds, message("quiz.builder.kindInvalid")),
    text: text(500),
    explanation: text(1000),
    options: z
      .array(optionSchema, message("quiz.builder.optionCount"))
      .min(MIN_OPTIONS, message("quiz.builder.optionCount"))
      .max(MAX_OPTIONS, message("quiz.builder.optionCount")),
  })
  .superRefine((question, ctx) => {
    // Too few or too many options is already said; which are correct is asked once there are the right number.
    if (question.options.length < MIN_OPTIONS || question.options.length > MAX_OPTIONS) return;
    const correct = question.options.filter((option) => option.correct).length;
    const refuse = (key: MessageKey) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["options"], message: key });
    if (question.kind === "trueFalse" && question.options.length !== 2) refuse("quiz.builder.trueFalseTwo");
    else if (question.kind === "multiple" && correct === 0) refuse("quiz.builder.atLeastOneCorrect");
    else if (question.kind !== "multiple" && correct !== 1) refuse("quiz.builder.exactlyOneCorrect");
  });

/** The owner's quiz for a module. An empty attempts field means as many attempts as the learner needs. */
export const quizBuilderSchema = z.object({
  passPercent: wholeNumber(1, 100, "quiz.builder.passPercentInvalid"),
  maxAttempts: wholeNumber(1, MAX_ATTEMPTS_LIMIT, "quiz.builder.maxAttemptsInvalid").optional(),
  shuffleQuestions: z.boolean().default(false),
  shuffleOptions: z.boolean().default(false),
  questions: z.array(questionSchema).max(MAX_QUESTIONS, message("quiz.builder.tooManyQuestions")),
});

export type QuizBuilderInput = z.infer<typeof quizBuilderSchema>;
/** What the builder form holds before parsing: numbers still as typed. */
export type QuizBuilderFormValue = z.input<typeof quizBuilderSchema>;

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
          : z.coerce.number(message("quiz.answerMissing")).int(message("quiz.answerMissing")).positive(message("quiz.answerMissing")),
      ]),
    ),
  );
}

/** The answers of a parsed attempt, by question id. */
export function answersByQuestion(questions: { id: number }[], value: Record<string, number | number[]>): Map<number, number[]> {
  return new Map(
    questions.map((question) => {
      const answer = value[answerField(question.id)] ?? [];
      return [question.id, Array.isArray(answer) ? answer : [answer]];
    }),
  );
}
