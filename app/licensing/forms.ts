import { z } from "zod";
import { emailField } from "~/auth/forms";
import type { MessageKey } from "~/i18n/da";
import { isIsoDate } from "./periods";

// Messages are dictionary keys, so the same schema speaks Danish or English where it is shown.
const message = (key: MessageKey) => ({ message: key });

export const JOIN_LINK_MAX_DAYS = 90;
export const JOIN_LINK_MAX_USES = 10_000;

/** Limits the server also enforces; the date's distance from today is checked there, by the server's clock. */
export const createJoinLinkSchema = z.object({
  intent: z.literal("create"),
  licenceId: z.coerce.number(message("validation.required")).int().positive(),
  expiresOn: z.string(message("validation.required")).refine(isIsoDate, message("joinLinks.expiryInvalid")),
  maxUses: z.coerce
    .number(message("joinLinks.usesRange"))
    .int(message("joinLinks.usesRange"))
    .min(1, message("joinLinks.usesRange"))
    .max(JOIN_LINK_MAX_USES, message("joinLinks.usesRange")),
});

export const revokeJoinLinkSchema = z.object({
  intent: z.literal("revoke"),
  linkId: z.coerce.number(message("validation.required")).int().positive(),
});

export const joinRequestSchema = z.object({ email: emailField });
