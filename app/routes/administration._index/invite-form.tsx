import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { useT } from "~/i18n/i18n";
import { inviteSchema } from "~/licensing/forms";
import { useReplyForm } from "~/utils/form-reply";
import { SubmitButton } from "~/components/submit-button";

/** The invite form, or only what the last invite was told once the licence takes no one new. */
export function InviteForm({ licenceId, open }: { licenceId: number; open: boolean }) {
  const t = useT();
  const formId = `invite-${licenceId}`;
  const { reply, form, fields } = useReplyForm(formId, inviteSchema, {
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  if (!open) return <FormMessage reply={reply} />;
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <h3>{t("admin.inviteHeading")}</h3>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="invite" />
      <input type="hidden" name="licenceId" value={licenceId} />
      <Field
        field={fields.email}
        label={t("admin.inviteEmail")}
        hint={t("admin.inviteHint")}
        type="email"
        autoComplete="off"
      />
      <SubmitButton>{t("admin.inviteSubmit")}</SubmitButton>
    </Form>
  );
}
