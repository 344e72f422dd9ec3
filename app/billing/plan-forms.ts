import { z } from "zod";
import type { MessageKey } from "~/i18n/da";
import { isIsoDate } from "~/i18n/dates";
import { parseKroner } from "./money";
import { message, recordId, safeLine } from "~/utils/form-schema";

// A plan's name and a discount's label are printed on quotes, invoices (OIOUBL and PDF) and mails.
const text = (maxLength: number) =>
  z
    .string(message("validation.required"))
    .trim()
    .min(1, message("validation.required"))
    .max(maxLength, message("plans.tooLong"))
    .refine(...safeLine);

/** Typed into a text field and read as digits only, so "1e3" or "12,0" are refused rather than reinterpreted. */
const wholeNumber = (min: number, max: number, key: MessageKey) =>
  z
    .string(message(key))
    .trim()
    .regex(/^\d{1,9}$/, message(key))
    .transform(Number)
    .refine((value) => value >= min && value <= max, message(key));

// Keeps seats × price a seat far inside the integers øre are held in.
const MAX_SEAT_PRICE_ORE = 100_000_000;

const planFields = {
  name: text(120),
  summary: z
    .string()
    .trim()
    .max(400, message("plans.tooLong"))
    .refine(...safeLine)
    .default(""),
  seatCount: wholeNumber(1, 100_000, "plans.seatsInvalid"),
  periodMonths: wholeNumber(1, 60, "plans.monthsInvalid"),
  /** Kroner typed Danish style ("2.399,00"), read into øre. */
  seatPrice: z.string(message("plans.priceInvalid")).transform((value, ctx) => {
    const ore = parseKroner(value);
    if (ore === null || ore <= 0 || ore > MAX_SEAT_PRICE_ORE) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "plans.priceInvalid" });
      return z.NEVER;
    }
    return ore;
  }),
  courseIds: z.array(recordId, message("plans.coursesRequired")).min(1, message("plans.coursesRequired")),
};

export const createPlanSchema = z.object({ intent: z.literal("createPlan"), ...planFields });

/** An unticked "on sale" box sends nothing, which takes the plan off sale. */
export const updatePlanSchema = z.object({
  intent: z.literal("updatePlan"),
  planId: recordId,
  ...planFields,
  active: z.boolean().default(false),
});

/**
 * A percentage with at most two decimals, as the owner types it ("75", "12,5"). Hundredths of a
 * percent are basis points just as øre are hundredths of a krone, so the Danish amount parser
 * reads "12,5" as 1250; the pattern keeps out signs and a "kr." it would otherwise accept.
 */
const percent = z
  .string(message("plans.percentInvalid"))
  .trim()
  .regex(/^[\d.,]+$/, message("plans.percentInvalid"))
  .transform((value, ctx) => {
    const basisPoints = parseKroner(value);
    if (basisPoints === null || basisPoints < 1 || basisPoints > 10_000) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "plans.percentInvalid" });
      return z.NEVER;
    }
    return basisPoints;
  });

export const createDiscountSchema = z
  .object({
    intent: z.literal("createDiscount"),
    label: text(80),
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9-]{3,40}$/, message("plans.codeInvalid"))
      .optional(),
    organisationId: recordId.optional(),
    planId: recordId.optional(),
    percent,
    validUntil: z.string().refine(isIsoDate, message("plans.dateInvalid")).optional(),
    maxUses: wholeNumber(1, 100_000, "plans.maxUsesInvalid").optional(),
  })
  .superRefine((value, ctx) => {
    // The database would take both, but a municipality's agreement behind a code it must type is never what the owner means.
    if (value.code && value.organisationId)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["code"], message: "plans.codeAndOrganisation" });
    if (!value.code && !value.organisationId)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["code"], message: "plans.codeOrOrganisation" });
  });

export const setDiscountActiveSchema = z.object({
  intent: z.literal("setDiscountActive"),
  discountId: recordId,
  active: z.enum(["true", "false"]).transform((value) => value === "true"),
});
