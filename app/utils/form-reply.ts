import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunction, SerializeFrom } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import type { MessageKey } from "~/i18n/da";

/** A confirmation to announce after a form was handled, with the values its text names. */
export type Notice = { key: MessageKey; values?: Record<string, string | number> };

/**
 * What every action answers to a form it handled, on every page: which form the reply belongs to,
 * Conform's result (field errors, and a refusal as the form's own error, both message keys) and a
 * confirmation. Pages with one form per row name the row in `formId` (`invite-7`), so a reply
 * only ever shows under the form that was sent.
 */
export type FormReply = {
  formId: string;
  result: SubmissionResult<string[]>;
  notice: Notice | null;
  /** The values the refusal's text names ("all {seats} seats are in use"). */
  refusalValues?: Notice["values"];
};

/**
 * The action's reply when it belongs to this form, else undefined (always, when no form is named).
 * Typed by the action only for what a reply carries beside FormReply, such as an order's summary.
 */
export function useFormReply<Action extends ActionFunction>(formId: string | undefined) {
  const data = useActionData<Action>() as (SerializeFrom<Action> & Partial<FormReply>) | undefined;
  return formId !== undefined && data?.formId === formId ? (data as SerializeFrom<Action> & FormReply) : undefined;
}

/** The refusal a reply carries (a message key), if any. */
export function refusalOf(reply: Pick<FormReply, "result"> | undefined): MessageKey | undefined {
  return reply?.result.error?.[""]?.[0] as MessageKey | undefined;
}
