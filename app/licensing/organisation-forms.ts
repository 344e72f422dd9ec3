import { z } from "zod";
import { unitKinds } from "#db/schema";
import { emailField } from "~/auth/forms";
import { message, recordId, requiredText } from "~/utils/form-schema";
import { isValidCvr, isValidEan } from "./danish-ids";

// CVR and EAN numbers are often typed in groups ("5798 0001 2345 8"); only the digits count.
const digitsOnly = (value: string) => value.replace(/[\s.-]/g, "");

export const eanField = z
  .string(message("validation.required"))
  .transform(digitsOnly)
  .refine(isValidEan, message("order.eanInvalid"));

/** The municipality as it is invoiced: confirmed with each order, and kept up to date by its admins. */
export const organisationFields = {
  cvr: z.string(message("validation.required")).transform(digitsOnly).refine(isValidCvr, message("order.cvrInvalid")),
  streetName: requiredText(120, "order.tooLong"),
  buildingNumber: requiredText(20, "order.tooLong"),
  postalCode: z
    .string(message("validation.required"))
    .trim()
    .regex(/^\d{4}$/, message("order.postalCodeInvalid")),
  city: requiredText(80, "order.tooLong"),
  invoiceEmail: emailField,
};

const label = requiredText(80, "order.tooLong");

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
