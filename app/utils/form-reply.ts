import { useForm, type DefaultValue, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import type { ActionFunction, SerializeFrom } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import type { z, ZodTypeAny } from "zod";
import type { MessageKey } from "~/i18n/da";
import { validateForm } from "~/utils/form-schema";

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
  return formId !== undefined && data?.formId === formId ? (data as ActionReply<Action>) : undefined;
}

type ActionReply<Action extends ActionFunction> = SerializeFrom<Action> & FormReply;

/** The refusal a reply carries (a message key), if any. */
export function refusalOf(reply: Pick<FormReply, "result"> | undefined): MessageKey | undefined {
  return reply?.result.error?.[""]?.[0] as MessageKey | undefined;
}

type ReplyFormOptions<Input, Reply> = {
  /** When the browser first checks a field: as it is left, or only when the form is sent. */
  shouldValidate: "onBlur" | "onSubmit";
  /** Set on forms that check a field again at every keystroke once it has been checked. */
  shouldRevalidate?: "onInput";
  defaultValue?: DefaultValue<Input>;
  /** Puts the schema's limits (required, min, max, pattern) on the inputs, so they hold before JavaScript runs. */
  constraint?: boolean;
  /** Which of the reply's results the form replays, for forms that start afresh after some replies. */
  lastResult?: (reply: Reply | undefined) => SubmissionResult<string[]> | undefined;
};

/**
 * A Conform form checked by `schema` in the browser, as the action checks it, with the action's
 * reply to this form: its errors shown at the fields, the reply itself for `<FormMessage>`.
 * Typed by the action only where the page reads more of the reply than FormReply carries.
 */
export function useReplyForm<Schema extends ZodTypeAny, Action extends ActionFunction = ActionFunction>(
  formId: string,
  schema: Schema,
  { lastResult, constraint, ...options }: ReplyFormOptions<z.input<Schema>, ActionReply<Action>>,
) {
  const reply = useFormReply<Action>(formId);
  const [form, fields] = useForm<z.input<Schema>, z.output<Schema>>({
    ...options,
    id: formId,
    lastResult: lastResult ? lastResult(reply) : reply?.result,
    constraint: constraint ? getZodConstraint(schema) : undefined,
    onValidate: ({ formData }) => validateForm(formData, schema),
  });
  return { reply, form, fields };
}
