import { z } from "zod";
import type { MessageKey } from "~/i18n/da";

// Messages are dictionary keys, so the same schema speaks Danish or English where it is shown.
export const message = (key: MessageKey) => ({ message: key });

/** A row id posted by a form (a licence, seat, organisation, plan…). */
export const recordId = z.coerce.number(message("validation.required")).int().positive();

/** An id in an address or query string: digits only, so "1e3", "0x10" or " 7" name nothing rather than another row. */
export function idFromPath(value: string | null | undefined): number | null {
  return value != null && /^[1-9]\d{0,14}$/.test(value) ? Number(value) : null;
}
