import { getCollectionProps, type FieldMetadata } from "@conform-to/react";
import { FieldErrors, TextAreaField } from "~/components/field";
import { ScaleField } from "~/components/scale-field";
import { isScored, scoreRange, TEXT_ANSWER_MAX } from "~/feedback/forms";
import type { FeedbackQuestion } from "~/feedback/responses.server";
import { intlLocale, useLanguage, useT } from "~/i18n/i18n";

function ScoreQuestion({
  question,
  field,
}: {
  question: FeedbackQuestion & { kind: "scale" | "recommend" };
  field: FieldMetadata<string | undefined>;
}) {
  const t = useT();
  const { min, max } = scoreRange[question.kind];
  const low = question.kind === "scale" ? (question.lowLabel ?? "") : t("feedback.recommend.low");
  const high = question.kind === "scale" ? (question.highLabel ?? "") : t("feedback.recommend.high");
  return (
    <ScaleField
      legend={question.required ? question.text : `${question.text} ${t("feedback.optional")}`}
      min={min}
      max={max}
      low={low}
      high={high}
      field={field}
    />
  );
}

function ChoiceQuestion({ question, field }: { question: FeedbackQuestion; field: FieldMetadata<string | undefined> }) {
  const t = useT();
  const choices = question.choices ?? [];
  return (
    <fieldset className="field feedback-question" aria-describedby={field.errors ? field.errorId : undefined}>
      <legend>
        {question.text}
        {question.required ? null : ` ${t("feedback.optional")}`}
      </legend>
      {getCollectionProps(field, { type: "radio", options: choices, ariaAttributes: false }).map(
        ({ key, ...props }) => (
          <div className="checkbox" key={key}>
            <input {...props} />
            <label htmlFor={props.id}>{props.value}</label>
          </div>
        ),
      )}
      <FieldErrors field={field} />
    </fieldset>
  );
}

/** A question as its kind asks it: a row of scores, one choice among several, or free text. */
export function Question({
  question,
  field,
}: {
  question: FeedbackQuestion;
  field: FieldMetadata<string | undefined>;
}) {
  const t = useT();
  const language = useLanguage();
  if (isScored(question.kind)) return <ScoreQuestion question={{ ...question, kind: question.kind }} field={field} />;
  if (question.kind === "choice") return <ChoiceQuestion question={question} field={field} />;
  return (
    <TextAreaField
      field={field}
      label={question.required ? question.text : `${question.text} ${t("feedback.optional")}`}
      hint={t("feedback.textHint", { max: new Intl.NumberFormat(intlLocale(language)).format(TEXT_ANSWER_MAX) })}
    />
  );
}
