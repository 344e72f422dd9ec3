import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "@remix-run/react";
import type { QuizQuestionKind } from "#db/schema";
import { CheckboxField, Field, FieldErrors } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { useT } from "~/i18n/i18n";
import {
  builderFormValue,
  MAX_QUESTIONS,
  newQuestionOptions,
  quizBuilderSchema,
  type BuilderFormValue,
  type QuizBuilderInput,
} from "~/learning/quiz-forms";
import { useFormReply } from "~/utils/form-reply";
import { validateForm } from "~/utils/form-schema";
import { QuestionEditor } from "./question-editor";
import type { action, QuizBuilderPageData } from "./route";
import { SubmitButton } from "~/components/submit-button";

export const QUIZ_BUILDER_FORM_ID = "quiz-builder";

/** The quiz's settings and questions, saved together; list buttons work with and without JavaScript. */
export function BuilderForm({ data }: { data: QuizBuilderPageData }) {
  const t = useT();
  const reply = useFormReply<typeof action>(QUIZ_BUILDER_FORM_ID);
  const [form, fields] = useForm<BuilderFormValue, QuizBuilderInput>({
    id: QUIZ_BUILDER_FORM_ID,
    // A saved quiz starts a fresh form from the loader (see the key below); only refusals are replayed.
    lastResult: reply?.notice ? undefined : reply?.result,
    defaultValue: builderFormValue(data),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => validateForm(formData, quizBuilderSchema),
  });
  const questions = fields.questions.getFieldList();
  const newQuestion = (kind: QuizQuestionKind) => ({
    kind,
    text: "",
    explanation: "",
    options: newQuestionOptions(kind === "trueFalse" ? [t("quiz.builder.true"), t("quiz.builder.false")] : ["", ""]),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form quiz-builder">
      <FormMessage reply={reply} id={form.errorId} />
      {/* First in the form, so pressing Enter in a field saves instead of pressing the first list button. */}
      <SubmitButton>{t("quiz.builder.save")}</SubmitButton>
      <fieldset className="card quiz-builder__settings">
        <legend>{t("quiz.builder.settings")}</legend>
        <Field
          field={fields.passPercent}
          label={t("quiz.builder.passPercent")}
          hint={t("quiz.builder.passPercentHint")}
          type="text"
          autoComplete="off"
        />
        <Field
          field={fields.maxAttempts}
          label={t("quiz.builder.maxAttempts")}
          hint={t("quiz.builder.maxAttemptsHint")}
          type="text"
          autoComplete="off"
        />
        <CheckboxField field={fields.shuffleQuestions} label={t("quiz.builder.shuffleQuestions")} />
        <CheckboxField field={fields.shuffleOptions} label={t("quiz.builder.shuffleOptions")} />
      </fieldset>

      <h2>{t("quiz.builder.questionsHeading")}</h2>
      {questions.length === 0 ? <p>{t("quiz.builder.noQuestions")}</p> : null}
      <ol className="quiz-builder__questions">
        {questions.map((question, index) => (
          <QuestionEditor
            key={question.key}
            form={form}
            questionsName={fields.questions.name}
            question={question}
            index={index}
            count={questions.length}
          />
        ))}
      </ol>
      <FieldErrors field={fields.questions} />
      {questions.length < MAX_QUESTIONS ? (
        <div className="button-row">
          {(["single", "multiple", "trueFalse"] as const).map((kind) => (
            <button
              key={kind}
              {...form.insert.getButtonProps({ name: fields.questions.name, defaultValue: newQuestion(kind) })}
              className="button button--secondary"
            >
              {t(`quiz.builder.add.${kind}`)}
            </button>
          ))}
        </div>
      ) : null}
      <SubmitButton>{t("quiz.builder.save")}</SubmitButton>
    </Form>
  );
}
