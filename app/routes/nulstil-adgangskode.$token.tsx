import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { isResetTokenUsable, resetPassword } from "~/auth/auth.server";
import { resetPasswordSchema } from "~/auth/forms";
import { NewPasswordFields } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { pageTitle, useT } from "~/i18n/i18n";
import { refusalOf, useReplyForm } from "~/utils/form-reply";
import { parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "reset.title") },
  { name: "referrer", content: "no-referrer" },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const FORM_ID = "reset-password";

/** A spent or expired link still gets this page (410), saying so and where to ask for a new one. */
export async function loader({ params }: LoaderFunctionArgs) {
  const usable = isResetTokenUsable(params.token ?? "");
  return json(
    { usable },
    { status: usable ? 200 : 410, headers: { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = parseSubmission(await readForm(request), resetPasswordSchema);
  const hideFields = ["password", "confirm"];
  if (submission.status !== "success") return replyToForm(FORM_ID, submission, { hideFields });
  const changed = await resetPassword(params.token ?? "", submission.value.password);
  if (!changed) return replyToForm(FORM_ID, submission, { refusal: "reset.invalid", status: 410, hideFields });
  return redirect("/log-ind?besked=password-changed");
}

export default function ResetPassword() {
  const t = useT();
  const { usable } = useLoaderData<typeof loader>();
  const { reply, form, fields } = useReplyForm(FORM_ID, resetPasswordSchema, {
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });

  // The link can die while the page is open (used in another tab): then the form is no use either.
  if (!usable || refusalOf(reply) === "reset.invalid") {
    return (
      <div className="page page--narrow">
        <h1>{t("reset.title")}</h1>
        <p className="notice notice--error" role="alert">
          {t("reset.invalid")}
        </p>
        <p>
          <Link to="/glemt-adgangskode">{t("reset.askAgain")}</Link>
        </p>
        <p>
          {t("reset.remember")} <Link to="/log-ind">{t("nav.signIn")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>{t("reset.title")}</h1>
      <FormMessage reply={reply} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="form card">
        <NewPasswordFields password={fields.password} confirm={fields.confirm} />
        <div>
          <button type="submit" className="button">
            {t("reset.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}
