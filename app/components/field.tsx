import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { MessageKey } from "~/i18n/da";
import { useT } from "~/i18n/i18n";

type FieldProps = {
  field: FieldMetadata<string>;
  label: string;
  type: "text" | "email" | "password" | "date";
  hint?: string;
  autoComplete?: string;
};

type ControlAria = { "aria-invalid": true | undefined; "aria-describedby": string | undefined };

/** Label, hint and errors around a control, tied to it for screen readers. */
function LabelledControl({
  field,
  label,
  hint,
  control,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  control: (aria: ControlAria) => JSX.Element;
}) {
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
      {control({ "aria-invalid": field.errors ? true : undefined, "aria-describedby": describedBy })}
      <FieldErrors field={field} />
    </div>
  );
}

/** A labelled input whose hint and errors are tied to it for screen readers. */
export function Field({ field, label, type, hint, autoComplete }: FieldProps) {
  return (
    <LabelledControl
      field={field}
      label={label}
      hint={hint}
      control={(aria) => (
        <input {...getInputProps(field, { type, ariaAttributes: false })} {...aria} autoComplete={autoComplete} />
      )}
    />
  );
}

/** A whole number from `min` (1 unless given) up to `max`, with the number keyboard on phones. */
export function NumberField({
  field,
  label,
  hint,
  min = 1,
  max,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  min?: number;
  max: number;
}) {
  return (
    <LabelledControl
      field={field}
      label={label}
      hint={hint}
      control={(aria) => (
        <input
          {...getInputProps(field as FieldMetadata<string>, { type: "number", ariaAttributes: false })}
          {...aria}
          min={min}
          max={max}
          inputMode="numeric"
        />
      )}
    />
  );
}

/** A new password and the same again, on the reset page and when an invitation creates the account. */
export function NewPasswordFields({
  password,
  confirm,
}: {
  password: FieldMetadata<string>;
  confirm: FieldMetadata<string>;
}) {
  const t = useT();
  return (
    <>
      <Field
        field={password}
        label={t("reset.password")}
        hint={t("reset.passwordHint")}
        type="password"
        autoComplete="new-password"
      />
      <Field field={confirm} label={t("reset.confirm")} type="password" autoComplete="new-password" />
    </>
  );
}

/** A checkbox for a yes-or-no field, its label after it. */
export function CheckboxField({ field, label }: { field: FieldMetadata<unknown>; label: string }) {
  return (
    <div className="checkbox">
      <input {...getInputProps(field, { type: "checkbox", ariaAttributes: false })} />
      <label htmlFor={field.id}>{label}</label>
    </div>
  );
}

/** A labelled file picker; the form around it must send multipart/form-data. */
export function FileField({
  field,
  label,
  hint,
  accept,
  required,
}: {
  field: FieldMetadata<File | undefined>;
  label: string;
  hint?: string;
  accept: string;
  required?: boolean;
}) {
  return (
    <LabelledControl
      field={field}
      label={label}
      hint={hint}
      control={(aria) => (
        <input
          {...getInputProps(field, { type: "file", ariaAttributes: false })}
          {...aria}
          accept={accept}
          required={required}
        />
      )}
    />
  );
}

/** Field's counterpart for longer text. */
export function TextAreaField({
  field,
  label,
  hint,
  rows = 4,
}: {
  field: FieldMetadata<string>;
  label: string;
  hint?: string;
  rows?: number;
}) {
  return (
    <LabelledControl
      field={field}
      label={label}
      hint={hint}
      control={(aria) => <textarea {...getTextareaProps(field, { ariaAttributes: false })} rows={rows} {...aria} />}
    />
  );
}

/** A field's errors, translated, with the id its control points to. */
export function FieldErrors({ field }: { field: FieldMetadata<unknown> }) {
  const t = useT();
  return field.errors ? (
    <p className="field__error" id={field.errorId}>
      {field.errors.map((error) => t(error as MessageKey)).join(" ")}
    </p>
  ) : null;
}

/** A labelled select, with errors tied to it the same way as Field's. */
export function SelectField({
  field,
  label,
  options,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <select
        {...getSelectProps(field, { ariaAttributes: false })}
        aria-invalid={field.errors ? true : undefined}
        aria-describedby={field.errors ? field.errorId : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldErrors field={field} />
    </div>
  );
}
