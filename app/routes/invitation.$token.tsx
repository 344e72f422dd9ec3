import { parseWithZod } from "@conform-to/zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { acceptInvitationSchema } from "~/auth/forms";
import { createSession, getSessionUser } from "~/auth/session.server";
import { Field } from "~/components/field";
import { pageTitle, useT } from "~/i18n/i18n";
import { acceptInvitation, findOpenInvitation, type AcceptResult } from "~/licensing/invitations.server";
import { parseSubmission, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "invite.title") },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = findOpenInvitation(params.token ?? "");
  if (!invitation) return json({ invitation: null, signedInAsInvitee: false }, { status: 410 });
  const user = await getSessionUser(request);
  return json({
    invitation: { organisationName: invitation.organisationName, email: invitation.email, hasAccount: invitation.hasAccount },
    signedInAsInvitee: user?.email === invitation.email,
  });
}

const refusals: Record<Exclude<AcceptResult["status"], "accepted">, { status: number; message: "invite.invalid" | "invite.full" | "invite.notActive" | "invite.suspended" | "invite.signInFirst" }> = {
  invalid: { status: 410, message: "invite.invalid" },
  full: { status: 409, message: "invite.full" },
  notActive: { status: 409, message: "invite.notActive" },
  suspended: { status: 409, message: "invite.suspended" },
  signInFirst: { status: 403, message: "invite.signInFirst" },
};

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const invitation = findOpenInvitation(token);
  const user = await getSessionUser(request);
  const form = await readForm(request);
  let newAccount: { name: string; password: string } | undefined;
  if (invitation && !invitation.hasAccount) {
    const submission = parseSubmission(form, acceptInvitationSchema);
    if (submission.status !== "success") {
      return json({ result: submission.reply({ hideFields: ["password", "confirm"] }), refusal: null }, { status: 400 });
    }
    newAccount = { name: submission.value.name, password: submission.value.password };
  }
  const accepted = await acceptInvitation(token, { signedInUserId: user?.id ?? null, newAccount });
  if (accepted.status !== "accepted") {
    const refusal = refusals[accepted.status];
    return json({ result: null, refusal: refusal.message }, { status: refusal.status });
  }
  const headers = user?.id === accepted.userId ? undefined : { "Set-Cookie": await createSession(accepted.userId) };
  return redirect("/kurser", { headers });
}

export default function AcceptInvitation() {
  const t = useT();
  const { invitation, signedInAsInvitee } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const location = useLocation();
  const [form, fields] = useForm({
    lastResult: data?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: acceptInvitationSchema }),
  });

  if (!invitation) {
    return (
      <div className="page page--narrow">
        <h1>{t("invite.title")}</h1>
        <p className="notice notice--error" role="alert">
          {t("invite.invalid")}
        </p>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>{t("invite.title")}</h1>
      <p className="lead">{t("invite.intro", { organisation: invitation.organisationName, email: invitation.email })}</p>
      {data?.refusal ? (
        <p className="notice notice--error" role="alert">
          {t(data.refusal)}
        </p>
      ) : null}
      {invitation.hasAccount && !signedInAsInvitee ? (
        <p className="notice">
          {t("invite.signInFirst")} <Link to={`/log-ind?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("nav.signIn")}</Link>
        </p>
      ) : invitation.hasAccount ? (
        <Form method="post" className="form card">
          <button type="submit" className="button">
            {t("invite.accept")}
          </button>
        </Form>
      ) : (
        <Form method="post" {...getFormProps(form)} className="form card">
          <p>{t("invite.newAccount")}</p>
          <Field field={fields.name} label={t("invite.name")} type="text" autoComplete="name" />
          <Field field={fields.password} label={t("reset.password")} hint={t("reset.passwordHint")} type="password" autoComplete="new-password" />
          <Field field={fields.confirm} label={t("reset.confirm")} type="password" autoComplete="new-password" />
          <div>
            <button type="submit" className="button">
              {t("invite.accept")}
            </button>
          </div>
        </Form>
      )}
    </div>
  );
}
