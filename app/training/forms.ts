import { z } from "zod";
import { professions, trainingDueModes, trainingScopes } from "#db/schema";
import { isIsoDate } from "~/i18n/dates";
import { message, recordId } from "~/utils/form-schema";

export const RECURRENCE_MAX_MONTHS = 120;
export const DUE_DAYS_MAX = 365;
/** The most named people one assignment takes; a bigger group is a unit or a profession. */
export const ASSIGNMENT_MAX_PEOPLE = 500;

/** Named people as they are typed: e-mail addresses one a line (or separated by commas, semicolons or spaces). */
function emailsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((email) => email.toLowerCase()),
    ),
  ];
}

const isEmail = (text: string) => z.string().max(254).email().safeParse(text).success;

/**
 * "Gør et kursus obligatorisk", for admins and leaders alike: who (scope), by when (a date, or a
 * number of days from the person's seat) and how often (empty: once). Only the fields the scope and
 * due mode use are read; the server checks the rest (the date against today, the unit and people
 * against the municipality, a leader against their unit).
 */
export const createAssignmentSchema = z
  .object({
    intent: z.literal("create"),
    organisationId: recordId,
    courseId: z.coerce.number(message("training.error.courseRequired")).int().positive(),
    scope: z.enum(trainingScopes, message("training.error.scopeRequired")),
    unitId: recordId.optional(),
    profession: z.enum(professions, message("validation.invalidChoice")).optional(),
    people: z
      .string()
      .max(ASSIGNMENT_MAX_PEOPLE * 260, message("training.error.tooManyPeople"))
      .default("")
      .transform(emailsOf),
    dueMode: z.enum(trainingDueModes, message("training.error.dueModeRequired")),
    dueOn: z.string().refine(isIsoDate, message("training.error.dueDateInvalid")).optional(),
    dueDays: z.coerce
      .number(message("training.error.dueDaysRange"))
      .int(message("training.error.dueDaysRange"))
      .min(1, message("training.error.dueDaysRange"))
      .max(DUE_DAYS_MAX, message("training.error.dueDaysRange"))
      .optional(),
    recurrenceMonths: z.coerce
      .number(message("training.error.recurrenceRange"))
      .int(message("training.error.recurrenceRange"))
      .min(1, message("training.error.recurrenceRange"))
      .max(RECURRENCE_MAX_MONTHS, message("training.error.recurrenceRange"))
      .optional(),
  })
  .superRefine((value, context) => {
    const missing = (path: string, key: Parameters<typeof message>[0]) =>
      context.addIssue({ code: z.ZodIssueCode.custom, path: [path], ...message(key) });
    if (value.scope === "unit" && value.unitId === undefined) missing("unitId", "training.error.unitRequired");
    if (value.scope === "profession" && value.profession === undefined)
      missing("profession", "training.error.professionRequired");
    if (value.scope === "people" && value.people.length === 0) missing("people", "training.error.peopleRequired");
    if (value.scope === "people" && value.people.some((email) => !isEmail(email)))
      missing("people", "training.error.peopleInvalid");
    if (value.people.length > ASSIGNMENT_MAX_PEOPLE) missing("people", "training.error.tooManyPeople");
    if (value.dueMode === "date" && value.dueOn === undefined) missing("dueOn", "training.error.dueDateRequired");
    if (value.dueMode === "afterSeat" && value.dueDays === undefined) missing("dueDays", "training.error.dueDaysRange");
  });

export type CreateAssignmentInput = z.output<typeof createAssignmentSchema>;

/** "Fjern" on one assignment in the list; the people's rounds that are completed stay. */
export const removeAssignmentSchema = z.object({
  intent: z.literal("remove"),
  organisationId: recordId,
  assignmentId: recordId,
});
