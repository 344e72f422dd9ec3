import { z } from "zod";
import type { MessageKey } from "~/i18n/da";
import { message, recordId, safeLine, safeText } from "~/utils/form-schema";

export const MAX_REFLECTION_QUESTIONS = 8;

const text = (min: number, max: number, key: MessageKey) =>
  z.string(message("validation.required")).trim().min(min, message(key)).max(max, message(key));
/** One line: titles end up in headings, e-mail subjects and on certificate PDFs. */
const line = (min: number, max: number, key: MessageKey) => text(min, max, key).refine(...safeLine);
/** Text that may run over several lines. */
const paragraph = (min: number, max: number, key: MessageKey) => text(min, max, key).refine(...safeText);

const title = line(3, 120, "studio.titleLength");
const published = z.enum(["true", "false"], message("validation.invalidChoice")).transform((value) => value === "true");
const direction = z.enum(["up", "down"], message("validation.invalidChoice"));

const courseFields = { title, summary: paragraph(10, 400, "studio.summaryLength") };

export const createCourseSchema = z.object({ intent: z.literal("createCourse"), ...courseFields });

export const updateCourseSchema = z.object({
  intent: z.literal("updateCourse"),
  ...courseFields,
  /** Empty: the certificate states the films' total length. */
  certificateMinutes: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, message("studio.minutesInvalid"))
    .transform(Number)
    .refine((minutes) => minutes >= 15 && minutes <= 6000, message("studio.minutesInvalid"))
    .optional(),
});

/** On the course's own page; the overview names the course in the form. */
export const publishCourseSchema = z.object({ intent: z.literal("publishCourse"), published });
export const publishListedCourseSchema = publishCourseSchema.extend({ courseId: recordId });
export const moveCourseSchema = z.object({ intent: z.literal("moveCourse"), courseId: recordId, direction });

const moduleFields = { title, description: paragraph(10, 2000, "studio.descriptionLength") };

export const createModuleSchema = z.object({ intent: z.literal("createModule"), ...moduleFields });
export const updateModuleSchema = z.object({ intent: z.literal("updateModule"), ...moduleFields });

/** On the module's own page; the course page names the module in the form. */
export const publishModuleSchema = z.object({ intent: z.literal("publishModule"), published });
export const publishListedModuleSchema = publishModuleSchema.extend({ moduleId: recordId });
export const moveModuleSchema = z.object({ intent: z.literal("moveModule"), moduleId: recordId, direction });

export const reflectionQuestionsSchema = z.object({
  intent: z.literal("saveReflection"),
  // Conform sends nothing for an emptied list, which means "no questions".
  questions: z
    .array(paragraph(10, 300, "studio.questionLength"))
    .max(MAX_REFLECTION_QUESTIONS, message("studio.questionsTooMany"))
    .default([]),
});

export const grantAccessSchema = z.object({
  intent: z.literal("grantAccess"),
  // No municipality has more licences than this; the cap keeps a crafted form from a query too long for SQLite.
  licenceIds: z
    .array(recordId, message("studio.licencesRequired"))
    .min(1, message("studio.licencesRequired"))
    .max(500, message("validation.invalidChoice")),
});

export const addToPlansSchema = z.object({
  intent: z.literal("addToPlans"),
  planIds: z
    .array(recordId, message("studio.plansRequired"))
    .min(1, message("studio.plansRequired"))
    .max(500, message("validation.invalidChoice")),
});
