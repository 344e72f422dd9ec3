import { getCollectionProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { FieldErrors } from "~/components/field";
import { useT } from "~/i18n/i18n";

/**
 * A row of scores from `min` to `max` with the words at its ends, as feedback and the
 * before-and-after measurement ask them. The ends are shown under the row and said once, in the
 * hint, for screen readers, so they are not read out beside every number.
 */
export function ScaleField({
  legend,
  min,
  max,
  low,
  high,
  field,
}: {
  legend: ReactNode;
  min: number;
  max: number;
  low: string;
  high: string;
  field: FieldMetadata<string | string[] | undefined>;
}) {
  const t = useT();
  const options = Array.from({ length: max - min + 1 }, (_, index) => String(min + index));
  const hintId = `${field.id}-hint`;
  return (
    <fieldset
      className="field feedback-question"
      aria-describedby={[hintId, field.errors ? field.errorId : ""].join(" ").trim()}
    >
      <legend>{legend}</legend>
      <p className="field__hint" id={hintId}>
        {t("feedback.scaleHint", { min, low, max, high })}
      </p>
      <div className="feedback-scale">
        {getCollectionProps(field, { type: "radio", options, ariaAttributes: false }).map(({ key, ...props }) => (
          <label key={key} className="feedback-scale__option">
            <input {...props} />
            <span>{props.value}</span>
          </label>
        ))}
      </div>
      <p className="feedback-scale__ends" aria-hidden="true">
        <span>{low}</span>
        <span>{high}</span>
      </p>
      <FieldErrors field={field} />
    </fieldset>
  );
}
