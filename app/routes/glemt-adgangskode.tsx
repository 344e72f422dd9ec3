import { parseWithZod } from "@conform-to/zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { requestPasswordReset } from "~/auth/auth.server";
import { forgotPasswordSchema } from "~/auth/forms";
import { Field } from "~/components/field";
import { pageTitle, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { parseSubmission, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "forgot.title") }];

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseSubmission(await readForm(request), forgotPasswordSchema);
  if (submission.status !== "success") {
    return json({ result: submission.reply(), sent: false }, { status: 400 });
  }
  requestPasswordReset(submission.value.email, await getLanguage(request));
  return json({ result: submission.reply({ resetForm: true }), sent: true });
}

export default function ForgotPassword() {
  const t = useT();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: data?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  });
  return (
    <div className="page page--narrow">
      <h1>{t("forgot.title")}</h1>
      <p className="lead">{t("forgot.intro")}</p>
      {data?.sent ? (
        <p className="notice" role="status">
          {t("forgot.sent")}
        </p>
      ) : null}
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
