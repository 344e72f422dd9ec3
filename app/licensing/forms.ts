import { z } from "zod";
import { emailField } from "~/auth/forms";
import { isIsoDate } from "./periods";
import { message, recordId } from "~/utils/form-schema";

export const JOIN_LINK_MAX_DAYS = 90;
export const JOIN_LINK_MAX_USES = 10_000;

/** Limits the server also enforces; the date's distance from today is checked there, by the server's clock. */
export const createJoinLinkSchema = z.object({
  intent: z.literal("create"),
  licenceId: recordId,
  expiresOn: z.string(message("validation.required")).refine(isIsoDate, message("joinLinks.expiryInvalid")),
  maxUses: z.coerce
    .number(message("joinLinks.usesRange"))
    .int(message("joinLinks.usesRange"))
    .min(1, message("joinLinks.usesRange"))
    .max(JOIN_LINK_MAX_USES, message("joinLinks.usesRange")),
});

export const revokeJoinLinkSchema = z.object({
  intent: z.literal("revoke"),
  linkId: recordId,
});

export const joinRequestSchema = z.object({ email: emailField });

/** An admin's "Giv nye forsøg" on a person's locked quiz; both ids come from the people overview. */
export const grantRetakeSchema = z.object({
  intent: z.literal("grantRetake"),
  userId: recordId,
  quizId: recordId,
});
