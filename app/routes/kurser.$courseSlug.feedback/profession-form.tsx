import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { SelectField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { professionSchema } from "~/feedback/forms";
import { professionLabels, professions } from "~/feedback/professions";
import { useT, type Translate } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import type { FeedbackPageData } from "./route";

/** The profession on its own, once the answers are given or when there is nothing to answer. */
export const PROFESSION_FORM = "feedback-profession";

export function professionOptions(t: Translate) {
  return [
    { value: "", label: t("feedback.profession.choose") },
    ...professions.map((profession) => ({ value: profession, label: t(professionLabels[profession]) })),
  ];
}

export function ProfessionForm({ profession }: { profession: FeedbackPageData["profession"] }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(PROFESSION_FORM, professionSchema, {
    defaultValue: { profession: profession ?? "" },
    shouldValidate: "onBlur",
  });
  return (
    <section className="card feedback-profession" aria-labelledby="profession-heading">
      <h2 id="profession-heading">{t("feedback.profession.heading")}</h2>
      <p>{t("feedback.profession.why")}</p>
      <FormMessage reply={reply} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="form">
        <input type="hidden" name="intent" value="profession" />
        <SelectField field={fields.profession} label={t("feedback.profession.label")} options={professionOptions(t)} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("feedback.profession.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
