import { z } from "zod";
import {
  measurementAudiences,
  measurementItemKinds,
  measurementMoments,
  type MeasurementMoment,
  type QuizQuestionKind,
} from "#db/schema";
import { message, recordId, safeLine, safeText } from "~/utils/form-schema";

export const FOLLOW_UP_WEEKS_DEFAULT = 12;
export const FOLLOW_UP_WEEKS_MAX = 104;
export const STATEMENT_MIN = 1;
export const STATEMENT_MAX = 5;

/** The moment as it is written in the address: ?tidspunkt=foer, slut, opfoelgning or leder. */
export const momentSlugs: Record<MeasurementMoment, string> = {
  baseline: "foer",
  completion: "slut",
  followUp: "opfoelgning",
  leaderFollowUp: "leder",
};

export function momentFromSlug(slug: unknown): MeasurementMoment | null {
  return measurementMoments.find((moment) => momentSlugs[moment] === slug) ?? null;
}

/** The learner's page of one moment of a course's measurement, with where to go on to afterwards. */
export function measurementHref(courseSlug: string, moment: MeasurementMoment, next?: string) {
  const query = new URLSearchParams({ tidspunkt: momentSlugs[moment] });
  if (next) query.set("naeste", next);
  return `/kurser/${courseSlug}/maaling?${query.toString()}`;
}

const optionalLine = (maxLength: number) =>
  z
    .string()
    .trim()
    .max(maxLength, message("measurement.builder.tooLong"))
    .refine(...safeLine)
    .optional();

/** The measurement's own settings: what the learners are told, when the follow-up comes, and whether anyone is asked. */
export const measurementSettingsSchema = z.object({
  intent: z.literal("settings"),
  intro: z
    .string()
    .trim()
    .max(1000, message("measurement.builder.tooLong"))
    .refine(...safeText)
    .default(""),
  followUpWeeks: z.coerce
    .number(message("measurement.builder.weeksInvalid"))
    .int(message("measurement.builder.weeksInvalid"))
    .min(1, message("measurement.builder.weeksInvalid"))
    .max(FOLLOW_UP_WEEKS_MAX, message("measurement.builder.weeksInvalid")),
  active: z.boolean().default(false),
});

export type MeasurementSettingsValue = z.output<typeof measurementSettingsSchema>;

/**
 * One item, new (no id) or edited in place: a statement with the words at both ends of its
 * scale, or a knowledge item naming a question of the course's quizzes. Leaders only get statements.
 */
export const measurementItemSchema = z
  .object({
    intent: z.literal("saveItem"),
    itemId: recordId.optional(),
    audience: z.enum(measurementAudiences, message("measurement.builder.audienceInvalid")),
    kind: z.enum(measurementItemKinds, message("measurement.builder.kindInvalid")),
    text: optionalLine(300),
    lowLabel: optionalLine(60),
    highLabel: optionalLine(60),
    quizQuestionId: recordId.optional(),
  })
  .superRefine((item, ctx) => {
    const issue = (path: string, key: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message: key });
    if (item.kind === "statement") {
      if (!item.text) issue("text", "validation.required");
      if (!item.lowLabel) issue("lowLabel", "measurement.builder.labelMissing");
      if (!item.highLabel) issue("highLabel", "measurement.builder.labelMissing");
    } else {
      if (item.audience === "leader") issue("kind", "measurement.builder.knowledgeForStaff");
      if (item.quizQuestionId === undefined) issue("quizQuestionId", "measurement.builder.questionMissing");
    }
  })
  // What belongs to the other kind is dropped, so switching kind leaves nothing stale behind.
  .transform((item) => ({
    intent: item.intent,
    itemId: item.itemId ?? null,
    audience: item.audience,
    kind: item.kind,
    text: item.kind === "statement" ? (item.text ?? "") : "",
    lowLabel: item.kind === "statement" ? (item.lowLabel ?? null) : null,
    highLabel: item.kind === "statement" ? (item.highLabel ?? null) : null,
    quizQuestionId: item.kind === "knowledge" ? (item.quizQuestionId ?? null) : null,
  }));

export type MeasurementItemValue = z.output<typeof measurementItemSchema>;

export const moveItemSchema = z.object({
  intent: z.literal("moveItem"),
  itemId: recordId,
  direction: z.enum(["up", "down"]),
});

export const removeItemSchema = z.object({ intent: z.literal("removeItem"), itemId: recordId });

/** What the answer form needs to know of an item; knowledge items carry their options, never which are right. */
export type AnswerItem = {
  id: number;
  kind: "statement" | "knowledge";
  questionKind: QuizQuestionKind | null;
  options: { id: number; text: string }[];
};

export const itemField = (itemId: number) => `i${itemId}` as const;

type AnswerInput = { intent: string } & { [field: `i${number}`]: string | string[] | undefined };
export type AnswerValue = { intent: "answer" } & { [field: `i${number}`]: number | number[] };

function answerSchema(item: AnswerItem): z.ZodTypeAny {
  if (item.kind === "statement") {
    return z
      .string(message("measurement.answer.required"))
      .trim()
      .regex(/^\d{1,2}$/, message("measurement.answer.outOfRange"))
      .transform(Number)
      .refine((value) => value >= STATEMENT_MIN && value <= STATEMENT_MAX, message("measurement.answer.outOfRange"));
  }
  const offered = new Set(item.options.map((option) => option.id));
  const option = z.coerce
    .number(message("measurement.answer.required"))
    .refine((value) => offered.has(value), message("measurement.answer.unknownOption"));
  if (item.questionKind !== "multiple") return option;
  // A checkbox group sends nothing, one value or several; a list either way.
  return z.preprocess(
    (value) => (value === undefined ? value : Array.isArray(value) ? value : [value]),
    z.array(option, message("measurement.answer.required")).min(1, message("measurement.answer.required")),
  );
}

/** The answers' schema, built from the moment's own items, so the browser and the action check the same things. */
export function answersSchema(items: AnswerItem[]) {
  const shape: Record<string, z.ZodTypeAny> = { intent: z.literal("answer") };
  for (const item of items) shape[itemField(item.id)] = answerSchema(item);
  return z.object(shape) as unknown as z.ZodType<AnswerValue, z.ZodTypeDef, AnswerInput>;
}

/** "Spring over": no answers, only that the person is done with the moment. */
export const skipSchema = z.object({ intent: z.literal("skip") });
