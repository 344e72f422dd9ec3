import { useActionData } from "@remix-run/react";
import type { ActionFunction, SerializeFrom } from "@remix-run/node";

/**
 * The action's reply when it belongs to this form. Pages with one form per row (each plan,
 * course or module) name the form in the reply, so only the form that was sent shows it.
 */
export function useFormReply<Action extends ActionFunction>(formId: string) {
  const data = useActionData<Action>() as (SerializeFrom<Action> & { formId?: unknown }) | undefined;
  return data?.formId === formId ? data : undefined;
}
