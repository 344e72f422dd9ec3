import { getCollectionProps, getInputProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import type { ComponentProps } from "react";
import type { QuizQuestionKind } from "#db/schema";
import { Field, FieldErrors, SelectField, TextAreaField } from "~/components/field";
import { ListItemButtons } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { MAX_OPTIONS, nextOptionRef, type BuilderFormValue } from "~/learning/quiz-forms";

export type BuilderFormMetadata = FormMetadata<BuilderFormValue, string[]>;
type QuestionField = FieldMetadata<BuilderFormValue["questions"][number], BuilderFormValue, string[]>;
type OptionField = ReturnType<ReturnType<QuestionField["getFieldset"]>["options"]["getFieldList"]>[number];

const kindHints: Record<
  QuizQuestionKind,
  "quiz.builder.hint.single" | "quiz.builder.hint.multiple" | "quiz.builder.hint.trueFalse"
> = {
  single: "quiz.builder.hint.single",
  multiple: "quiz.builder.hint.multiple",
  trueFalse: "quiz.builder.hint.trueFalse",
};

/** One answer option: its text, the mark that makes it right, and buttons to move or remove it. */
function OptionEditor({
  form,
  optionsName,
  option,
  mark,
  optionIndex,
  count,
  number,
}: {
  form: BuilderFormMetadata;
  optionsName: string;
  option: OptionField;
  mark: ComponentProps<"input"> & { id: string };
  optionIndex: number;
  count: number;
  number: number;
}) {
  const t = useT();
  const optionFields = option.getFieldset();
  const optionNumber = optionIndex + 1;
  return (
    <li className="quiz-builder__option">
      <input {...getInputProps(optionFields.id, { type: "hidden" })} />
      <input {...getInputProps(optionFields.ref, { type: "hidden" })} />
      <Field
        field={optionFields.text}
        label={t("quiz.builder.optionText", { number: optionNumber })}
        type="text"
        autoComplete="off"
      />
      <div className="checkbox">
        <input {...mark} />
        <label htmlFor={mark.id}>{t("quiz.builder.correct", { number: optionNumber })}</label>
      </div>
      <ListItemButtons
        form={form}
        list={optionsName}
        index={optionIndex}
        count={count}
        className="quiz-builder__tools"
        buttonClassName="link-button"
        up={{ text: t("quiz.builder.moveUp"), label: t("quiz.builder.optionUpFor", { option: optionNumber, number }) }}
        down={{
          text: t("quiz.builder.moveDown"),
          label: t("quiz.builder.optionDownFor", { option: optionNumber, number }),
        }}
        remove={{
          text: t("quiz.builder.remove"),
          label: t("quiz.builder.optionRemoveFor", { option: optionNumber, number }),
        }}
      />
    </li>
  );
}

/** One question: its kind, text and explanation, its options, and buttons to move or remove it. */
export function QuestionEditor({
  form,
  questionsName,
  question,
  index,
  count,
}: {
  form: BuilderFormMetadata;
  questionsName: string;
  question: QuestionField;
  index: number;
  count: number;
}) {
  const t = useT();
  const fields = question.getFieldset();
  const options = fields.options.getFieldList();
  const number = index + 1;
  const kind = (fields.kind.value ?? "single") as QuizQuestionKind;
  const optionsHintId = `${fields.options.id}-hint`;
  const refs = options.map((option) => option.getFieldset().ref.value);
  const radios = getCollectionProps(fields.correctOption, {
    type: "radio",
    options: refs.map((ref) => ref ?? ""),
    ariaAttributes: false,
  });
  return (
    <li>
      <fieldset className="card quiz-builder__question">
        <legend>{t("quiz.builder.questionLegend", { number })}</legend>
        <input {...getInputProps(fields.id, { type: "hidden" })} />
        <SelectField
          field={fields.kind}
          label={t("quiz.builder.kind")}
          options={(["single", "multiple", "trueFalse"] as const).map((value) => ({
            value,
            label: t(`quiz.builder.kind.${value}`),
          }))}
        />
        <TextAreaField field={fields.text} label={t("quiz.builder.text")} rows={2} />
        <TextAreaField
          field={fields.explanation}
          label={t("quiz.builder.explanation")}
          hint={t("quiz.builder.explanationHint")}
          rows={2}
        />
        <fieldset
          className="quiz-builder__options"
          aria-describedby={[optionsHintId, fields.options.errors ? fields.options.errorId : undefined]
            .filter(Boolean)
            .join(" ")}
        >
          <legend>{t("quiz.builder.options", { number })}</legend>
          <p className="field__hint" id={optionsHintId}>
            {t(kindHints[kind] ?? "quiz.builder.hint.single")}
          </p>
          <ol className="quiz-builder__option-list">
            {options.map((option, optionIndex) => {
              // One right answer is one choice in a group, as the learner will meet it; several are boxes of their own.
              const { key: _key, ...mark } =
                kind === "multiple"
                  ? getInputProps(option.getFieldset().correct, { type: "checkbox", ariaAttributes: false })
                  : radios[optionIndex]!;
              return (
                <OptionEditor
                  key={option.key}
                  form={form}
                  optionsName={fields.options.name}
                  option={option}
                  mark={mark}
                  optionIndex={optionIndex}
                  count={options.length}
                  number={number}
                />
              );
            })}
          </ol>
          <FieldErrors field={fields.options} />
          {options.length < MAX_OPTIONS && kind !== "trueFalse" ? (
            <div>
              <button
                {...form.insert.getButtonProps({
                  name: fields.options.name,
                  defaultValue: { ref: nextOptionRef(refs), text: "", correct: false },
                })}
                className="button button--secondary"
              >
                {t("quiz.builder.addOption", { number })}
              </button>
            </div>
          ) : null}
        </fieldset>
        <ListItemButtons
          form={form}
          list={questionsName}
          index={index}
          count={count}
          className="quiz-builder__tools"
          buttonClassName="link-button"
          up={{ text: t("quiz.builder.moveUp"), label: t("quiz.builder.questionUpFor", { number }) }}
          down={{ text: t("quiz.builder.moveDown"), label: t("quiz.builder.questionDownFor", { number }) }}
          remove={{ text: t("quiz.builder.removeQuestion", { number }) }}
        />
      </fieldset>
    </li>
  );
}
