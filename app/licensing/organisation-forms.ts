import { z } from "zod";
import { unitKinds } from "#db/schema";
import { eanField, organisationFields } from "~/billing/forms";
import type { MessageKey } from "~/i18n/da";

const message = (key: MessageKey) => ({ message: key });
const id = z.coerce.number(message("validation.required")).int().positive();
const label = z.string(message("validation.required")).trim().min(1, message("validation.required")).max(80, message("order.tooLong"));

/** One schema per form on the municipality page, each shared by the form and the action. */
export const organisationDetailsSchema = z.object({ intent: z.literal("details"), organisationId: id, ...organisationFields });
export const addEanSchema = z.object({ intent: z.literal("addEan"), organisationId: id, ean: eanField, label });
export const removeEanSchema = z.object({ intent: z.literal("removeEan"), organisationId: id, ean: z.string().regex(/^\d{13}$/) });
export const addUnitSchema = z.object({ intent: z.literal("addUnit"), organisationId: id, name: label, kind: z.enum(unitKinds, message("validation.required")) });
export const removeUnitSchema = z.object({ intent: z.literal("removeUnit"), organisationId: id, unitId: id });
export const setUnitSchema = z.object({
  intent: z.literal("setUnit"),
  organisationId: id,
  userId: id,
  unitId: z.preprocess((value) => (value === "" ? undefined : value), id.optional()),
});
