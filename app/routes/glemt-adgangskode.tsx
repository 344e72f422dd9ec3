import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { requestPasswordReset } from "~/auth/auth.server";
import { forgotPasswordSchema } from "~/auth/forms";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { pageTitle, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { useReplyForm } from "~/utils/form-reply";
import { parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "forgot.title") }];

const FORM_ID = "forgot-password";

/** The answer is the same whether or not the address is known, and whether or not its mail limit was met. */
export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseSubmission(await readForm(request), forgotPasswordSchema);
  if (submission.status !== "success") return replyToForm(FORM_ID, submission);
  const outcome = await requestPasswordReset(submission.value.email, await getLanguage(request), context.clientAddress);
  if (outcome === "tooMany") return replyToForm(FORM_ID, submission, { refusal: "forgot.tooMany", status: 429 });
  return replyToForm(FORM_ID, submission, { notice: "forgot.sent", resetForm: true });
}

export default function ForgotPassword() {
  const t = useT();
  const { reply, form, fields } = useReplyForm(FORM_ID, forgotPasswordSchema, {
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page page--narrow">
      <h1>{t("forgot.title")}</h1>
      <p className="lead">{t("forgot.intro")}</p>
      <FormMessage reply={reply} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="form card">
        <Field field={fields.email} label={t("signIn.email")} type="email" autoComplete="email" />
        <div>
          <button type="submit" className="button">
            {t("forgot.submit")}
          </button>
        </div>
        <p>
          <Link to="/log-ind">{t("forgot.back")}</Link>
        </p>
      </Form>
    </div>
  );
}
