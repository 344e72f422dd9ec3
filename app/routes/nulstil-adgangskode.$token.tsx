import { parseWithZod } from "@conform-to/zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { isResetTokenUsable, resetPassword } from "~/auth/auth.server";
import { resetPasswordSchema } from "~/auth/forms";
import { Field } from "~/components/field";
import { pageTitle, useT } from "~/i18n/i18n";
import { parseSubmission, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "reset.title") },
  { name: "referrer", content: "no-referrer" },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ params }: LoaderFunctionArgs) {
  const usable = isResetTokenUsable(params.token ?? "");
  return json({ usable }, { status: usable ? 200 : 410, headers: { "Referrer-Policy": "no-referrer" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = parseSubmission(await readForm(request), resetPasswordSchema);
  if (submission.status !== "success") {
    return json({ result: submission.reply({ hideFields: ["password", "confirm"] }), expired: false }, { status: 400 });
  }
  const changed = await resetPassword(params.token ?? "", submission.value.password);
  if (!changed) return json({ result: submission.reply({ hideFields: ["password", "confirm"] }), expired: true }, { status: 410 });
  return redirect("/log-ind?besked=password-changed");
}

export default function ResetPassword() {
  const t = useT();
  const { usable } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: data?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
  });

  if (!usable || data?.expired) {
    return (
      <div className="page page--narrow">
        <h1>{t("reset.title")}</h1>
        <p className="notice notice--error" role="alert">
          {t("reset.invalid")}
        </p>
        <p>
          <Link to="/glemt-adgangskode">{t("reset.askAgain")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>{t("reset.title")}</h1>
      <Form method="post" {...getFormProps(form)} className="form card">
        <Field field={fields.password} label={t("reset.password")} hint={t("reset.passwordHint")} type="password" autoComplete="new-password" />
        <Field field={fields.confirm} label={t("reset.confirm")} type="password" autoComplete="new-password" />
        <div>
          <button type="submit" className="button">
            {t("reset.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}
