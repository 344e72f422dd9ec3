import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useSearchParams } from "@remix-run/react";
import { signIn } from "~/auth/auth.server";
import { signInSchema } from "~/auth/forms";
import { requireAnonymous, startSession } from "~/auth/session.server";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { pageTitle, useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import { parseSubmission, readForm, replyToForm, safeRedirectPath } from "~/utils/http.server";
import { SubmitButton } from "~/components/submit-button";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "signIn.title") }];

const FORM_ID = "sign-in";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return json(null);
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const submission = parseSubmission(await readForm(request), signInSchema);
  const hideFields = ["password"];
  if (submission.status !== "success") return replyToForm(FORM_ID, submission, { hideFields });
  const outcome = await signIn(submission.value.email, submission.value.password, context.clientAddress);
  if (outcome.status === "tooMany")
    return replyToForm(FORM_ID, submission, { refusal: "signIn.tooMany", status: 429, hideFields });
  if (outcome.status === "wrong")
    return replyToForm(FORM_ID, submission, { refusal: "signIn.failed", status: 401, hideFields });
  if (outcome.status === "deactivated")
    return replyToForm(FORM_ID, submission, { refusal: "sso.signIn.deactivated", status: 403, hideFields });
  return redirect(safeRedirectPath(submission.value.redirectTo), {
    headers: { "Set-Cookie": await startSession(request, outcome.userId) },
  });
}

const notices = {
  "signed-out": "signIn.signedOut",
  "password-changed": "signIn.passwordChanged",
} as const;

export default function SignIn() {
  const t = useT();
  const [searchParams] = useSearchParams();
  const { reply, form, fields } = useReplyForm(FORM_ID, signInSchema, {
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const notice = notices[searchParams.get("besked") as keyof typeof notices];

  return (
    <div className="page page--narrow">
      <h1>{t("signIn.title")}</h1>
      <p className="lead">{t("signIn.intro")}</p>
      {notice && !reply ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="form card">
        <FormMessage reply={reply} id={form.errorId} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field field={fields.email} label={t("signIn.email")} type="email" autoComplete="username" />
        <Field field={fields.password} label={t("signIn.password")} type="password" autoComplete="current-password" />
        <SubmitButton>{t("signIn.submit")}</SubmitButton>
        <p>
          <Link to="/glemt-adgangskode">{t("signIn.forgot")}</Link>
        </p>
      </Form>
    </div>
  );
}
