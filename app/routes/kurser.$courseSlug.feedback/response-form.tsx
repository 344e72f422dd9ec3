import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useMemo } from "react";
import { SelectField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { answerName, responseSchema } from "~/feedback/forms";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import { Question } from "./feedback-questions";
import { professionOptions } from "./profession-form";
import type { FeedbackPageData } from "./route";

/** The answers, with the profession when it is not known yet. */
export const RESPONSE_FORM = "feedback-response";

export function ResponseForm({
  page,
  form: feedbackForm,
}: {
  page: FeedbackPageData;
  form: NonNullable<FeedbackPageData["form"]>;
}) {
  const t = useT();
  const askProfession = page.profession == null;
  const schema = useMemo(
    () => responseSchema(feedbackForm.questions, askProfession),
    [feedbackForm.questions, askProfession],
  );
  const { reply, form, fields } = useReplyForm(RESPONSE_FORM, schema, {
    constraint: true,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="respond" />
      <input type="hidden" name="anonymous" value={feedbackForm.anonymous ? "yes" : "no"} />
      {feedbackForm.questions.map((question) => (
        <Question key={question.id} question={question} field={fields[answerName(question.id)]!} />
      ))}
      {askProfession ? (
        <div className="feedback-profession">
          <p className="field__hint">{t("feedback.profession.why")}</p>
          <SelectField
            field={fields.profession}
            label={t("feedback.profession.label")}
            options={professionOptions(t)}
          />
        </div>
      ) : null}
      {page.preview ? null : (
        <div>
          <button type="submit" className="button">
            {t("feedback.submit")}
          </button>
        </div>
      )}
    </Form>
  );
}
