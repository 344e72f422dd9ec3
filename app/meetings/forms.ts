import { z } from "zod";
import { message, recordId, safeText } from "~/utils/form-schema";

/** Letters and digits nobody mixes up when reading them off a screen across a room: no I, O, 0 or 1. */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 6;
const codePattern = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);
export const AGREEMENT_MAX_LENGTH = 4000;

/** The code as people type it: any case, with spaces or a dash between the halves. */
export const joinMeetingSchema = z.object({
  code: z
    .string(message("meetings.join.codeRequired"))
    .transform((value) => value.replace(/[\s-]/g, "").toUpperCase())
    .refine((value) => value.length > 0, message("meetings.join.codeRequired"))
    .refine((value) => codePattern.test(value), message("meetings.join.codeFormat")),
});

/** "Vis på personalemødet" on a film's page. */
export const startMeetingSchema = z.object({ moduleId: recordId });

export const endMeetingSchema = z.object({ intent: z.literal("end") });

/** "Det aftalte vi": empty clears it. */
export const agreementSchema = z.object({
  intent: z.literal("agreement"),
  agreement: z
    .string()
    .trim()
    .max(AGREEMENT_MAX_LENGTH, message("meetings.agreement.tooLong"))
    .refine(...safeText)
    .default(""),
});

/** The admin's switch; an unticked checkbox is sent as nothing, which means off. */
export const meetingSettingsSchema = z.object({
  organisationId: recordId,
  countsAsWatched: z.boolean().default(false),
});

/** A leader allows a member of their unit to start meetings, or withdraws it. */
export const presenterSchema = z.object({
  intent: z.enum(["allow", "withdraw"]),
  userId: recordId,
});
