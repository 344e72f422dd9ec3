import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useSearchParams } from "@remix-run/react";
import { signIn } from "~/auth/auth.server";
import { signInEmailSchema, signInSchema } from "~/auth/forms";
import { requireAnonymous, startSession } from "~/auth/session.server";
import { pageTitle, useT } from "~/i18n/i18n";
import { municipalLoginFor, type MunicipalLogin } from "~/sso/sign-in-routing.server";
import { useFormReply } from "~/utils/form-reply";
import { parseSubmission, readForm, replyToForm, safeRedirectPath } from "~/utils/http.server";
import { EmailStep, EMAIL_FORM_ID } from "./email-step";
import { MunicipalLoginStep } from "./municipal-login-step";
import { PasswordStep, PASSWORD_FORM_ID } from "./password-step";

/** What the page needs beside the form's result: the accepted address and where it leads. */
type SignInReplyData = { email?: string; redirectTo?: string; municipalLogin?: MunicipalLogin | null };

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "signIn.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return json(null);
}

/**
 * Two forms: the address first, which says whether the municipality's own login takes over, then
 * the password. A POST with a password and no intent is the password form sent straight, as a
 * browser without the first step (or a password manager) does.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = await readForm(request);
  if (form.get("intent") === "email") {
    const submission = parseSubmission(form, signInEmailSchema);
    if (submission.status !== "success") return replyToForm<SignInReplyData>(EMAIL_FORM_ID, submission);
    const { email, redirectTo } = submission.value;
    return replyToForm<SignInReplyData>(EMAIL_FORM_ID, submission, {
      data: { email, redirectTo: safeRedirectPath(redirectTo), municipalLogin: municipalLoginFor(email) },
    });
  }

  const submission = parseSubmission(form, signInSchema);
  const hideFields = ["password"];
  if (submission.status !== "success")
    return replyToForm<SignInReplyData>(PASSWORD_FORM_ID, submission, { hideFields });
  const municipalLogin = municipalLoginFor(submission.value.email);
  if (municipalLogin?.passwordSignInDisabled) {
    return replyToForm<SignInReplyData>(PASSWORD_FORM_ID, submission, {
      refusal: { key: "signIn.passwordOff", values: { organisation: municipalLogin.organisationName } },
      status: 403,
      hideFields,
      data: { municipalLogin },
    });
  }
  const outcome = await signIn(submission.value.email, submission.value.password, context.clientAddress);
  if (outcome.status === "tooMany")
    return replyToForm<SignInReplyData>(PASSWORD_FORM_ID, submission, {
      refusal: "signIn.tooMany",
      status: 429,
      hideFields,
    });
  if (outcome.status === "wrong")
    return replyToForm<SignInReplyData>(PASSWORD_FORM_ID, submission, {
      refusal: "signIn.failed",
      status: 401,
      hideFields,
    });
  if (outcome.status === "deactivated")
    return replyToForm<SignInReplyData>(PASSWORD_FORM_ID, submission, {
      refusal: "sso.signIn.deactivated",
      status: 403,
      hideFields,
    });
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
  const reply = useActionData<typeof action>();
  const emailStep = useFormReply<typeof action>(EMAIL_FORM_ID);
  const passwordReply = useFormReply<typeof action>(PASSWORD_FORM_ID);
  const notice = notices[searchParams.get("besked") as keyof typeof notices];
  const redirectTo = searchParams.get("redirectTo") ?? "";
  // The address was accepted: the municipality's login or the password comes next.
  const chosen = emailStep?.result.status === "success" ? emailStep : undefined;

  return (
    <div className="page page--narrow">
      <h1>{t("signIn.title")}</h1>
      <p className="lead">{t("signIn.intro")}</p>
      {notice && !reply ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {chosen?.municipalLogin ? (
        <MunicipalLoginStep
          login={chosen.municipalLogin}
          email={chosen.email ?? ""}
          redirectTo={chosen.redirectTo ?? redirectTo}
        />
      ) : chosen || passwordReply ? (
        <PasswordStep
          email={chosen?.email}
          redirectTo={chosen?.redirectTo ?? redirectTo}
          municipalLogin={passwordReply?.municipalLogin}
        />
      ) : (
        <EmailStep redirectTo={redirectTo} />
      )}
    </div>
  );
}
