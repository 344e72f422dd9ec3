import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

type Props = {
  /** Another route's action, such as signing out; the page's own action when left out. */
  action?: string;
  /** The hidden fields the page wrote, sent in this order: the intent, then the ids of what is acted on. */
  fields?: Record<string, string | number>;
  /** The button's name for screen readers, when its text alone does not say which row it acts on. */
  label?: string;
  /** A link-looking button inside a row, or a secondary button where it stands on its own. */
  look?: "link" | "button";
  children: ReactNode;
};

/**
 * A form that is one button and nothing to type: "take the seat back", "mark as paid", "remove".
 * It sits inline in a row or a sentence, and what it acts on travels in hidden fields.
 */
export function OneButtonForm({ action, fields = {}, label, look = "link", children }: Props) {
  return (
    <Form method="post" action={action} className="inline-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={look === "link" ? "link-button" : "button button--secondary"} aria-label={label}>
        {children}
      </button>
    </Form>
  );
}
