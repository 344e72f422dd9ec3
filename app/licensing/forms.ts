import { z } from "zod";
import { emailField } from "~/auth/forms";
import { isIsoDate } from "~/i18n/dates";
import { message, recordId } from "~/utils/form-schema";

/** The largest staff list taken in one CSV import: 10,000 rows with long names fit well within it. */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;

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

/** An admin's forms for one licence's seats: invite someone, take a seat back, give it to someone else. */
export const inviteSchema = z.object({
  intent: z.literal("invite"),
  licenceId: recordId,
  email: emailField,
});

export const revokeSeatSchema = z.object({
  intent: z.literal("revoke"),
  seatId: recordId,
});

export const reassignSeatSchema = z.object({
  intent: z.literal("reassign"),
  seatId: recordId,
  email: emailField,
});

export const joinRequestSchema = z.object({ email: emailField });

/**
 * An admin's "Giv nye forsøg" on a person's locked quiz; the ids come from the people overview.
 * The municipality only says which list the reply is shown above: the grant checks the person.
 */
export const grantRetakeSchema = z.object({
  intent: z.literal("grantRetake"),
  organisationId: recordId,
  userId: recordId,
  quizId: recordId,
});

/** "Send påmindelse" above one municipality's list of people. */
export const remindSchema = z.object({
  intent: z.literal("remind"),
  organisationId: recordId,
});

/** The CSV import: the file is read and checked row by row on the server (invitation-import). */
export const importSchema = z.object({
  licenceId: recordId,
  file: z.instanceof(File, message("import.noFile")),
  skipRefused: z.boolean().default(false),
});

/** The admin's answer to someone who signed in through the municipality's login and waits for a seat. */
export const approveSeatRequestSchema = z.object({ intent: z.literal("approve"), requestId: recordId });
export const declineSeatRequestSchema = z.object({ intent: z.literal("decline"), requestId: recordId });
