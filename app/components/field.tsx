import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { MessageKey } from "~/i18n/da";
import { useT } from "~/i18n/i18n";

type FieldProps = {
  field: FieldMetadata<string>;
  label: string;
  type: "text" | "email" | "password";
  hint?: string;
  autoComplete?: string;
};

/** A labelled input whose hint and errors are tied to it for screen readers. */
export function Field({ field, label, type, hint, autoComplete }: FieldProps) {
  const t = useT();
  const hintId = hint ? `${field.id}-hint` : undefined;
  const describedBy = [hintId, field.errors ? field.errorId : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <input
        {...getInputProps(field, { type, ariaAttributes: false })}
        aria-invalid={field.errors ? true : undefined}
        aria-describedby={describedBy}
        autoComplete={autoComplete}
      />
      {field.errors ? (
        <p className="field__error" id={field.errorId}>
          {field.errors.map((error) => t(error as MessageKey)).join(" ")}
        </p>
      ) : null}
    </div>
  );
}
