import { getFormProps } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import { useEffect } from "react";
import { signInSchema } from "~/auth/forms";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { SubmitButton } from "~/components/submit-button";
import { useT } from "~/i18n/i18n";
import type { MunicipalLogin } from "~/sso/sign-in-routing.server";
import { useReplyForm } from "~/utils/form-reply";

export const PASSWORD_FORM_ID = "sign-in";

/**
 * The address again (editable, and what a password manager fills) and the password. `email` is
 * the address the first step accepted; the password field then takes the focus, unless the form
 * is a fallback beneath the municipality's login. `municipalLogin` is where a refused password
 * sends the person instead.
 */
export function PasswordStep({
  email,
  redirectTo,
  municipalLogin,
  focusPassword = true,
}: {
  email?: string;
  redirectTo: string;
  municipalLogin?: MunicipalLogin | null;
  focusPassword?: boolean;
}) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(PASSWORD_FORM_ID, signInSchema, {
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: { email },
  });
  const passwordId = fields.password.id;
  useEffect(() => {
    if (email && focusPassword) document.getElementById(passwordId)?.focus();
  }, [email, focusPassword, passwordId]);

  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <FormMessage reply={reply} id={form.errorId} />
      {municipalLogin ? (
        <p>
          <a className="button" href={`${municipalLogin.startPath}?redirectTo=${encodeURIComponent(redirectTo)}`}>
            {t("signIn.toMunicipalLogin")}
          </a>
        </p>
      ) : null}
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <Field field={fields.email} label={t("signIn.email")} type="email" autoComplete="username" />
      <Field field={fields.password} label={t("signIn.password")} type="password" autoComplete="current-password" />
      <SubmitButton>{t("signIn.submit")}</SubmitButton>
      <p>
        <Link to="/glemt-adgangskode">{t("signIn.forgot")}</Link>
      </p>
    </Form>
  );
}
