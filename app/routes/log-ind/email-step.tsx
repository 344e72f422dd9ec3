import { getFormProps } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import { signInEmailSchema } from "~/auth/forms";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { SubmitButton } from "~/components/submit-button";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";

export const EMAIL_FORM_ID = "sign-in-email";

/** The address first: it decides whether the municipality's own login or a password comes next. */
export function EmailStep({ redirectTo }: { redirectTo: string }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(EMAIL_FORM_ID, signInEmailSchema, {
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="email" />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <Field field={fields.email} label={t("signIn.email")} type="email" autoComplete="username" />
      <SubmitButton>{t("signIn.next")}</SubmitButton>
      <p>
        <Link to="/glemt-adgangskode">{t("signIn.forgot")}</Link>
      </p>
    </Form>
  );
}
