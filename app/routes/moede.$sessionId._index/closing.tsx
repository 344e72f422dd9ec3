import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { SubmitButton } from "~/components/submit-button";
import { useT } from "~/i18n/i18n";
import { agreementSchema } from "~/meetings/forms";
import { useReplyForm } from "~/utils/form-reply";

export const AGREEMENT_FORM = "agreement";

/** "Afslut mødet": joining and playback close, and those present long enough get the film credited. */
export function EndMeetingForm() {
  const t = useT();
  return (
    <section className="card" aria-labelledby="end-heading">
      <h2 id="end-heading">{t("meetings.end.heading")}</h2>
      <p>{t("meetings.end.intro")}</p>
      <OneButtonForm fields={{ intent: "end" }} look="button">
        {t("meetings.end.button")}
      </OneButtonForm>
    </section>
  );
}

/** "Det aftalte vi": written after the meeting, and rewritten whenever the presenter likes. */
export function AgreementForm({ agreement }: { agreement: string }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(AGREEMENT_FORM, agreementSchema, {
    defaultValue: { intent: "agreement", agreement },
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <h2>{t("meetings.agreement.heading")}</h2>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="agreement" />
      <TextAreaField
        field={fields.agreement}
        label={t("meetings.agreement.label")}
        hint={t("meetings.agreement.hint")}
        rows={6}
      />
      <SubmitButton>{t("meetings.agreement.save")}</SubmitButton>
    </Form>
  );
}
