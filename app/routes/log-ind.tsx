import { parseWithZod } from "@conform-to/zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { normaliseEmail, verifyCredentials } from "~/auth/auth.server";
import { signInSchema } from "~/auth/forms";
import { createSession, requireAnonymous } from "~/auth/session.server";
import { clearSignInFailures, isSignInBlocked, recordSignInFailure } from "~/auth/sign-in-throttle.server";
import { Field } from "~/components/field";
import { pageTitle, useT } from "~/i18n/i18n";
import { getTranslator } from "~/i18n/language.server";
import { parseSubmission, readForm, safeRedirectPath } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "signIn.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const submission = parseSubmission(await readForm(request), signInSchema);
  if (submission.status !== "success") {
    return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const email = normaliseEmail(submission.value.email);
  const t = await getTranslator(request);
  if (isSignInBlocked(email)) {
    return json(submission.reply({ formErrors: [t("signIn.tooMany")], hideFields: ["password"] }), { status: 429 });
  }
  const userId = await verifyCredentials(email, submission.value.password);
  if (userId == null) {
    recordSignInFailure(email);
    return json(submission.reply({ formErrors: [t("signIn.failed")], hideFields: ["password"] }), { status: 401 });
  }
  clearSignInFailures(email);
  return redirect(safeRedirectPath(submission.value.redirectTo), {
    headers: { "Set-Cookie": await createSession(userId) },
  });
}

const notices = {
  "signed-out": "signIn.signedOut",
  "password-changed": "signIn.passwordChanged",
} as const;

export default function SignIn() {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signInSchema }),
  });
  const notice = notices[searchParams.get("besked") as keyof typeof notices];

  return (
    <div className="page page--narrow">
      <h1>{t("signIn.title")}</h1>
      <p className="lead">{t("signIn.intro")}</p>
      {notice && !form.errors ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="form card">
        {form.errors ? (
          <p className="notice notice--error" role="alert" id={form.errorId}>
            {form.errors.join(" ")}
          </p>
        ) : null}
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field field={fields.email} label={t("signIn.email")} type="email" autoComplete="username" />
        <Field field={fields.password} label={t("signIn.password")} type="password" autoComplete="current-password" />
        <div>
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("signIn.submit")}
          </button>
        </div>
        <p>
          <Link to="/glemt-adgangskode">{t("signIn.forgot")}</Link>
        </p>
      </Form>
    </div>
  );
}
