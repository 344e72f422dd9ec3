import { z } from "zod";
import { orderKinds } from "#db/schema";
import type { MessageKey } from "~/i18n/da";
import { eanField, organisationFields } from "~/licensing/organisation-forms";
import { isIsoDate } from "~/i18n/dates";
import { message, recordId, requiredText, safeLine } from "~/utils/form-schema";

// Everything typed here ends up in the OIOUBL invoice, its PDF and the order mail.
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const orderFields = {
  kind: z.enum(orderKinds, message("validation.required")),
  organisationId: recordId,
  /** The licence renewed, or the one that gets extra seats. */
  licenceId: z.coerce.number().int().positive().optional(),
  planSlug: optionalText,
  startsOn: optionalText,
  seats: optionalText,
  discountCode: z
    .string()
    .trim()
    .max(40, message("order.discountUnknown"))
    .refine(...safeLine)
    .optional(),
  ...organisationFields,
  ean: eanField,
  orderReference: requiredText(40, "order.referenceTooLong"),
  personReference: requiredText(40, "order.referenceTooLong"),
};

type OrderShape = z.infer<z.ZodObject<typeof orderFields>>;

/** What each kind of order needs beyond the buyer's details. */
function checkKind(value: OrderShape, ctx: z.RefinementCtx) {
  const issue = (path: string, key: MessageKey) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message: key });
  if (value.kind !== "extraSeats") {
    if (!value.planSlug) issue("planSlug", "order.planRequired");
    if (!value.startsOn) issue("startsOn", "order.startsOnRequired");
    else if (!isIsoDate(value.startsOn)) issue("startsOn", "order.startsOnInvalid");
  }
  if (value.kind !== "new" && value.licenceId === undefined) issue("licenceId", "validation.required");
  if (value.kind === "extraSeats") {
    const seats = Number(value.seats);
    if (!value.seats || !Number.isInteger(seats) || seats < 1 || seats > 10_000) issue("seats", "order.seatsInvalid");
  }
}

/**
 * The order form, in one schema shared by the browser (checked as the admin types) and the
 * action (checked again, then against the database). "review" shows the summary; "quote"
 * renders the quote PDF; "place" places the order and needs the terms accepted.
 */
export const orderSchema = z
  .object({
    ...orderFields,
    intent: z.enum(["review", "quote", "place"]),
    /** Made by the form when it is shown, so a double click or a resent form places one order. */
    requestKey: z.string().uuid(message("order.requestKeyInvalid")).optional(),
    acceptTerms: z.literal("on").optional(),
  })
  .superRefine((value, ctx) => {
    checkKind(value, ctx);
    // The terms and the request key sit on the summary, not among the order form's fields: said above the form.
    if (value.intent === "place") {
      if (value.acceptTerms !== "on")
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [], message: "order.termsRequired" });
      if (!value.requestKey)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [], message: "order.requestKeyInvalid" });
    }
  });

export type OrderForm = z.infer<typeof orderSchema>;

/** The owner's "Markér som betalt" on one invoice. */
export const markPaidSchema = z.object({ intent: z.literal("markPaid"), invoiceId: recordId });
