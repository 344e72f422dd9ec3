import { z } from "zod";
import { message, recordId } from "~/utils/form-schema";
import type { MessageKey } from "~/i18n/da";

/** The bounds the database checks too (privacy_settings' CHECK constraints). */
export const RETENTION_MONTHS_RANGE = { min: 1, max: 120 } as const;
export const UNLIST_GRACE_DAYS_RANGE = { min: 0, max: 365 } as const;

/** Digits only, so "1e3" or "12,5" are refused rather than read as something else. */
const wholeNumber = ({ min, max }: { min: number; max: number }, key: MessageKey) =>
  z
    .string(message(key))
    .trim()
    .regex(/^\d{1,4}$/, message(key))
    .transform(Number)
    .refine((value) => value >= min && value <= max, message(key));

/** The municipality's privacy policy form on /administration/databeskyttelse. */
export const privacyPolicySchema = z.object({
  organisationId: recordId,
  retentionMonths: wholeNumber(RETENTION_MONTHS_RANGE, "privacy.policy.retentionInvalid"),
  unlistGraceDays: wholeNumber(UNLIST_GRACE_DAYS_RANGE, "privacy.policy.graceInvalid"),
});
