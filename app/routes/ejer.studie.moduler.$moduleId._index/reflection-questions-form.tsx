import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { MAX_REFLECTION_QUESTIONS, reflectionQuestionsSchema } from "~/catalog/studio-forms";
import { FieldErrors, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { usePageAction } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";

/** The questions a team discusses after the film, added, moved and removed in the form before it is saved. */
export function ReflectionQuestionsForm({ questions }: { questions: string[] }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm("saveReflection", reflectionQuestionsSchema, {
    defaultValue: { questions },
    shouldValidate: "onBlur",
  });
  const items = fields.questions.getFieldList();
  const list = fields.questions.name;
  return (
    <Form method="post" action={usePageAction()} {...getFormProps(form)} className="form">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="saveReflection" />
      <fieldset className="field">
        <legend>{t("studio.questionsLegend")}</legend>
        <p className="field__hint">{t("studio.questionsHint", { max: MAX_REFLECTION_QUESTIONS })}</p>
        {items.length === 0 ? <p>{t("studio.noQuestions")}</p> : null}
        <ol className="studio-questions">
          {items.map((item, index) => {
            const number = index + 1;
            return (
              <li key={item.key ?? item.id}>
                <TextAreaField field={item} label={t("studio.questionLabel", { number })} rows={2} />
                <div className="studio-controls">
                  <button
                    {...form.reorder.getButtonProps({ name: list, from: index, to: index - 1 })}
                    className="button button--secondary button--small"
                    disabled={index === 0}
                    aria-label={t("studio.moveQuestionUp", { number })}
                  >
                    {t("studio.moveUp")}
                  </button>
                  <button
                    {...form.reorder.getButtonProps({ name: list, from: index, to: index + 1 })}
                    className="button button--secondary button--small"
                    disabled={index === items.length - 1}
                    aria-label={t("studio.moveQuestionDown", { number })}
                  >
                    {t("studio.moveDown")}
                  </button>
                  <button
                    {...form.remove.getButtonProps({ name: list, index })}
                    className="button button--secondary button--small"
                    aria-label={t("studio.removeQuestion", { number })}
                  >
                    {t("studio.remove")}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        <FieldErrors field={fields.questions} />
      </fieldset>
      <div className="button-row">
        <button
          {...form.insert.getButtonProps({ name: list, defaultValue: "" })}
          className="button button--secondary"
          disabled={items.length >= MAX_REFLECTION_QUESTIONS}
        >
          {t("studio.addQuestion")}
        </button>
        <button type="submit" className="button">
          {t("studio.saveQuestions")}
        </button>
      </div>
    </Form>
  );
}
