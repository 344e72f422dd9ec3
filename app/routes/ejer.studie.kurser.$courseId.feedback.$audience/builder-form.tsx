import { getCollectionProps, getFormProps, type FieldMetadata } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FieldErrors, Field, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { feedbackFormSchema } from "~/feedback/forms";
import { useT } from "~/i18n/i18n";
import { ListItemButtons } from "~/components/studio-controls";
import { useReplyForm } from "~/utils/form-reply";
import { QuestionFieldset } from "./question-fieldset";
import type { BuilderPageData } from "./route";

export const BUILDER_FORM_ID = "feedback-builder";

/** The form as saved, or a new one with a first scale question, checked as the owner goes. */
function useBuilderForm(data: BuilderPageData) {
  const t = useT();
  const saved = data.form;
  const { reply, form, fields } = useReplyForm(BUILDER_FORM_ID, feedbackFormSchema, {
    constraint: true,
    defaultValue: {
      title: saved?.title ?? t("feedback.builder.defaultTitle"),
      intro: saved?.intro ?? "",
      anonymous: saved && !saved.anonymous ? "no" : "yes",
      opensOn: saved?.opensOn ?? data.today,
      closesOn: saved?.closesOn ?? "",
      questions: saved?.questions.map((question) => ({
        id: String(question.id),
        kind: question.kind,
        text: question.text,
        required: question.required,
        lowLabel: question.lowLabel ?? "",
        highLabel: question.highLabel ?? "",
        choices: (question.choices ?? []).join("\n"),
      })) ?? [{ kind: "scale", required: true }],
    },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return { reply, form, fields };
}

/** Anonymous or named. Once a saved form has answers, `lockedTo` is its choice, the only one that can be sent. */
function AnonymityFieldset({ field, lockedTo }: { field: FieldMetadata<string>; lockedTo?: boolean }) {
  const t = useT();
  const locked = lockedTo !== undefined;
  const options = getCollectionProps(field, { type: "radio", options: ["yes", "no"], ariaAttributes: false });
  return (
    <fieldset
      className="field"
      aria-describedby={["anonymous-hint", field.errors ? field.errorId : ""].join(" ").trim()}
    >
      <legend>{t("feedback.builder.anonymous")}</legend>
      <p className="field__hint" id="anonymous-hint">
        {t("feedback.builder.anonymousHint")}
        {locked ? ` ${t("feedback.builder.anonymityLocked")}` : null}
      </p>
      {options.map(({ key, ...props }) => (
        <div className="checkbox" key={key}>
          {/* The saved choice stays enabled, so it is still sent with the form. */}
          <input {...props} disabled={locked && props.value !== (lockedTo ? "yes" : "no")} />
          <label htmlFor={props.id}>
            {t(props.value === "yes" ? "feedback.builder.anonymousYes" : "feedback.builder.anonymousNo")}
          </label>
        </div>
      ))}
      <FieldErrors field={field} />
    </fieldset>
  );
}

export function BuilderForm({ data }: { data: BuilderPageData }) {
  const t = useT();
  const { reply, form, fields } = useBuilderForm(data);
  const questions = fields.questions.getFieldList();
  const anonymityLocked = data.form != null && data.responseCount > 0;
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <FormMessage reply={reply} id={form.errorId} />
      <Field
        field={fields.title}
        label={t("feedback.builder.formTitle")}
        hint={t("feedback.builder.formTitleHint")}
        type="text"
        autoComplete="off"
      />
      <TextAreaField
        field={fields.intro}
        label={t("feedback.builder.intro")}
        hint={t("feedback.builder.introHint")}
        rows={3}
      />
      <AnonymityFieldset field={fields.anonymous} lockedTo={anonymityLocked ? data.form?.anonymous : undefined} />
      <div className="feedback-builder__pair">
        <Field field={fields.opensOn} label={t("feedback.builder.opensOn")} type="date" />
        <Field
          field={fields.closesOn}
          label={t("feedback.builder.closesOn")}
          hint={t("feedback.builder.closesOnHint")}
          type="date"
        />
      </div>

      <h2>{t("feedback.builder.questionsHeading")}</h2>
      <FieldErrors field={fields.questions} />
      <ol className="feedback-builder__questions">
        {questions.map((question, index) => (
          <li key={question.key}>
            <fieldset className="card form">
              <legend>{t("feedback.builder.questionNumber", { number: index + 1 })}</legend>
              <QuestionFieldset question={question.getFieldset()} number={index + 1} />
              <ListItemButtons
                form={form}
                list={fields.questions.name}
                index={index}
                count={questions.length}
                className="button-row"
                buttonClassName="button button--secondary"
                up={{
                  text: t("feedback.builder.moveUp"),
                  label: t("feedback.builder.moveUpFor", { number: index + 1 }),
                }}
                down={{
                  text: t("feedback.builder.moveDown"),
                  label: t("feedback.builder.moveDownFor", { number: index + 1 }),
                }}
                // A form keeps at least one question.
                remove={
                  questions.length > 1
                    ? {
                        text: t("feedback.builder.remove"),
                        label: t("feedback.builder.removeFor", { number: index + 1 }),
                      }
                    : undefined
                }
              />
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button
          {...form.insert.getButtonProps({
            name: fields.questions.name,
            defaultValue: { kind: "scale", required: true },
          })}
          className="button button--secondary"
        >
          {t("feedback.builder.add")}
        </button>
        <button type="submit" className="button">
          {t("feedback.builder.save")}
        </button>
      </div>
    </Form>
  );
}
