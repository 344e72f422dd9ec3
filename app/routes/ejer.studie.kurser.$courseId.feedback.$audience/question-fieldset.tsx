import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { feedbackQuestionKinds, type FeedbackQuestionKind } from "#db/schema";
import { CheckboxField, Field, SelectField, TextAreaField } from "~/components/field";
import type { MessageKey } from "~/i18n/da";
import { useT } from "~/i18n/i18n";

const kindLabels: Record<FeedbackQuestionKind, MessageKey> = {
  scale: "feedback.kind.scale",
  recommend: "feedback.kind.recommend",
  choice: "feedback.kind.choice",
  text: "feedback.kind.text",
};

type QuestionFields = ReturnType<
  FieldMetadata<{
    id?: number;
    kind: string;
    text: string;
    required?: boolean;
    lowLabel?: string;
    highLabel?: string;
    choices?: string;
  }>["getFieldset"]
>;

/** One question of the form: its kind, its text, and the fields that kind asks for. */
export function QuestionFieldset({ question, number }: { question: QuestionFields; number: number }) {
  const t = useT();
  const kind = question.kind.value;
  return (
    <>
      <input {...getInputProps(question.id, { type: "hidden" })} />
      <SelectField
        field={question.kind}
        label={t("feedback.builder.kind")}
        options={feedbackQuestionKinds.map((value) => ({ value, label: t(kindLabels[value]) }))}
      />
      <Field field={question.text} label={t("feedback.builder.questionText")} type="text" autoComplete="off" />
      <CheckboxField field={question.required} label={t("feedback.builder.required")} />
      {kind === "scale" ? (
        <div className="feedback-builder__pair">
          <Field
            field={question.lowLabel}
            label={t("feedback.builder.lowLabel")}
            hint={t("feedback.builder.lowLabelHint")}
            type="text"
            autoComplete="off"
          />
          <Field
            field={question.highLabel}
            label={t("feedback.builder.highLabel")}
            hint={t("feedback.builder.highLabelHint")}
            type="text"
            autoComplete="off"
          />
        </div>
      ) : null}
      {kind === "recommend" ? <p className="field__hint">{t("feedback.builder.recommendHint")}</p> : null}
      {kind === "choice" ? (
        <TextAreaField
          field={question.choices}
          label={t("feedback.builder.choices")}
          hint={t("feedback.builder.choicesHint", { number })}
          rows={5}
        />
      ) : null}
    </>
  );
}
