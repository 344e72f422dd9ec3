import { z } from "zod";
import type { MessageKey } from "~/i18n/da";

// Messages are dictionary keys, so the same schema speaks Danish or English where it is shown.
export const message = (key: MessageKey) => ({ message: key });

/** A row id posted by a form (a licence, seat, organisation, plan…). */
export const recordId = z.coerce.number(message("validation.required")).int().positive();
