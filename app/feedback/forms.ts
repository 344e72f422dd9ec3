import { z } from "zod";
import {
  feedbackAudiences,
  feedbackQuestionKinds,
  professions,
  type FeedbackAudience,
  type FeedbackQuestionKind,
  type Profession,
} from "#db/schema";
import { isIsoDate } from "~/i18n/dates";
import { message, recordId, safeLine, safeText } from "~/utils/form-schema";

/** Where the rule applies, no figure is drawn from fewer responses than this. */
export const MIN_GROUP = 5;
export const TEXT_ANSWER_MAX = 2000;
const QUESTIONS_MAX = 30;
const CHOICES_MAX = 10;
const CHOICE_MAX_LENGTH = 120;

/** The audience as it is written in addresses and filters. */
export const audienceSlugs: Record<FeedbackAudience, string> = { staff: "medarbejdere", leader: "ledere" };

export function audienceFromSlug(slug: unknown): FeedbackAudience | null {
  return feedbackAudiences.find((audience) => audienceSlugs[audience] === slug) ?? null;
}

export const scoreRange = { scale: { min: 1, max: 5 }, recommend: { min: 0, max: 10 } } as const;

export function isScored(kind: FeedbackQuestionKind): kind is keyof typeof scoreRange {
  return kind === "scale" || kind === "recommend";
}

// One-line texts refuse line breaks and control characters, longer ones what XML cannot carry:
// titles and answers reach e-mails, PDFs and the CSV export.
const requiredLine = (maxLength: number) =>
  z
    .string(message("validation.required"))
    .trim()
    .min(1, message("validation.required"))
    .max(maxLength, message("feedback.builder.tooLong"))
    .refine(...safeLine);

const optionalLine = (maxLength: number) =>
  z
    .string()
    .trim()
    .max(maxLength, message("feedback.builder.tooLong"))
    .refine(...safeLine)
    .optional();

const isoDay = z
  .string(message("feedback.builder.dateInvalid"))
  .refine(isIsoDate, message("feedback.builder.dateInvalid"));

/** The owner types a choice question's options one a line. */
const choiceLines = z
  .string()
  .refine(...safeText)
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  );

const builderQuestionSchema = z
  .object({
    id: recordId.optional(),
    kind: z.enum(feedbackQuestionKinds, message("feedback.builder.kindInvalid")),
    text: requiredLine(300),
    required: z.boolean().default(false),
    lowLabel: optionalLine(60),
    highLabel: optionalLine(60),
    choices: choiceLines,
  })
  .superRefine((question, ctx) => {
    const issue = (path: string, key: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message: key });
    if (question.kind === "scale") {
      if (!question.lowLabel) issue("lowLabel", "feedback.builder.labelMissing");
      if (!question.highLabel) issue("highLabel", "feedback.builder.labelMissing");
    }
    if (question.kind === "choice") {
      const { choices } = question;
      if (choices.length < 2) issue("choices", "feedback.builder.choicesMissing");
      else if (choices.length > CHOICES_MAX) issue("choices", "feedback.builder.choicesTooMany");
      else if (choices.some((choice) => choice.length > CHOICE_MAX_LENGTH))
        issue("choices", "feedback.builder.choiceTooLong");
      else if (new Set(choices).size !== choices.length) issue("choices", "feedback.builder.choicesDuplicate");
    }
  })
  // What belongs to another kind is dropped, so switching kind leaves nothing stale behind.
  .transform((question) => ({
    id: question.id ?? null,
    kind: question.kind,
    text: question.text,
    required: question.required,
    lowLabel: question.kind === "scale" ? (question.lowLabel ?? null) : null,
    highLabel: question.kind === "scale" ? (question.highLabel ?? null) : null,
    choices: question.kind === "choice" ? question.choices : null,
  }));

/** The owner's questionnaire for one course and audience. */
export const feedbackFormSchema = z
  .object({
    title: requiredLine(120),
    intro: z
      .string()
      .trim()
      .max(1000, message("feedback.builder.tooLong"))
      .refine(...safeText)
      .default(""),
    anonymous: z
      .enum(["yes", "no"], message("feedback.builder.anonymousRequired"))
      .transform((value) => value === "yes"),
    opensOn: isoDay,
    closesOn: isoDay.optional(),
    questions: z
      .array(builderQuestionSchema, message("feedback.builder.questionsMissing"))
      .min(1, message("feedback.builder.questionsMissing"))
      .max(QUESTIONS_MAX, message("feedback.builder.questionsTooMany")),
  })
  .superRefine((form, ctx) => {
    if (form.closesOn && form.closesOn < form.opensOn) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["closesOn"], message: "feedback.builder.closesBeforeOpens" });
    }
    const ids = form.questions.flatMap((question) => (question.id ? [question.id] : []));
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["questions"], message: "feedback.builder.questionUnknown" });
  });

export type FeedbackFormValue = z.output<typeof feedbackFormSchema>;

/** A choice question's options as the database keeps them, a JSON list; null for the other kinds. */
export function parseChoices(stored: string | null): string[] | null {
  return stored == null ? null : (JSON.parse(stored) as string[]);
}

/** What the response form needs to know of a question. */
export type ResponseQuestion = { id: number; kind: FeedbackQuestionKind; required: boolean; choices: string[] | null };

export const answerName = (questionId: number) => `q${questionId}` as const;

type ResponseInput = { intent: string; profession?: string } & { [answer: `q${number}`]: string | undefined };
export type ResponseValue = { intent: "respond"; profession?: Profession } & {
  [answer: `q${number}`]: number | string | undefined;
};

function answerSchema(question: ResponseQuestion): z.ZodTypeAny {
  const answer = z.string(message("feedback.answer.required"));
  if (isScored(question.kind)) {
    const { min, max } = scoreRange[question.kind];
    const score = answer
      .trim()
      .regex(/^\d{1,2}$/, message("feedback.answer.outOfRange"))
      .transform(Number)
      .refine((value) => value >= min && value <= max, message("feedback.answer.outOfRange"));
    return question.required ? score : score.optional();
  }
  if (question.kind === "choice") {
    const choices = question.choices ?? [];
    const choice = answer.refine((value) => choices.includes(value), message("feedback.answer.unknownChoice"));
    return question.required ? choice : choice.optional();
  }
  const text = answer.trim().max(TEXT_ANSWER_MAX, message("feedback.answer.tooLong"));
  return question.required
    ? text.min(1, message("feedback.answer.required")).refine(...safeText)
    : text
        .refine(...safeText)
        .transform((value) => value || undefined)
        .optional();
}

/**
 * The response form's schema, built from the form's own questions so the browser and the action
 * check the same things. The profession is asked only of those who have not given it yet.
 */
export function responseSchema(questions: ResponseQuestion[], askProfession: boolean) {
  const profession = z.enum(professions, message("feedback.profession.required"));
  const shape: Record<string, z.ZodTypeAny> = {
    intent: z.literal("respond"),
    profession: askProfession ? profession : profession.optional(),
  };
  for (const question of questions) shape[answerName(question.id)] = answerSchema(question);
  return z.object(shape) as unknown as z.ZodType<ResponseValue, z.ZodTypeDef, ResponseInput>;
}

export type AnswerInput = { questionId: number; score: number | null; text: string | null };

export function answersFromResponse(questions: ResponseQuestion[], value: ResponseValue): AnswerInput[] {
  return questions.flatMap((question) => {
    const answer = value[answerName(question.id)];
    if (answer === undefined) return [];
    return [
      typeof answer === "number"
        ? { questionId: question.id, score: answer, text: null }
        : { questionId: question.id, score: null, text: answer },
    ];
  });
}

export const professionSchema = z.object({
  intent: z.literal("profession"),
  profession: z.enum(professions, message("feedback.profession.required")),
});

const optionalParam = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
const idParam = z
  .string()
  .regex(/^[1-9]\d{0,8}$/)
  .transform(Number);

/** The report filters, read from the address: kursus, kommune, rolle and faggruppe. */
export const reportFilterSchema = z
  .object({
    kursus: optionalParam(idParam),
    kommune: optionalParam(idParam),
    rolle: optionalParam(z.enum([audienceSlugs.staff, audienceSlugs.leader])),
    faggruppe: optionalParam(z.enum(professions)),
  })
  .transform((value) => ({
    courseId: value.kursus,
    organisationId: value.kommune,
    audience: audienceFromSlug(value.rolle) ?? undefined,
    profession: value.faggruppe,
  }));

export type ReportFilters = z.output<typeof reportFilterSchema>;
