import { z } from "zod";
import { unitKinds } from "#db/schema";
import { eanField, organisationFields } from "~/billing/forms";
import { message, recordId, safeLine } from "~/utils/form-schema";

const label = z
  .string(message("validation.required"))
  .trim()
  .min(1, message("validation.required"))
  .max(80, message("order.tooLong"))
  .refine(...safeLine);

/** One schema per form on the municipality page, each shared by the form and the action. */
export const organisationDetailsSchema = z.object({
  intent: z.literal("details"),
  organisationId: recordId,
  ...organisationFields,
});
export const addEanSchema = z.object({ intent: z.literal("addEan"), organisationId: recordId, ean: eanField, label });
export const removeEanSchema = z.object({
  intent: z.literal("removeEan"),
  organisationId: recordId,
  ean: z.string().regex(/^\d{13}$/),
});
export const addUnitSchema = z.object({
  intent: z.literal("addUnit"),
  organisationId: recordId,
  name: label,
  kind: z.enum(unitKinds, message("validation.required")),
});
export const removeUnitSchema = z.object({
  intent: z.literal("removeUnit"),
  organisationId: recordId,
  unitId: recordId,
});
export const setUnitSchema = z.object({
  intent: z.literal("setUnit"),
  organisationId: recordId,
  userId: recordId,
  unitId: z.preprocess((value) => (value === "" ? undefined : value), recordId.optional()),
});
