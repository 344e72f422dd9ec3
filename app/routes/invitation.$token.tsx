import { getFormProps, type Submission } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { acceptInvitationSchema } from "~/auth/forms";
import { getSessionUser, startSession } from "~/auth/session.server";
import { Field, NewPasswordFields } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import type { MessageKey } from "~/i18n/da";
import { pageTitle, useT } from "~/i18n/i18n";
import { acceptInvitation, findOpenInvitation, type AcceptResult } from "~/licensing/invitations.server";
import { refusalOf, useReplyForm } from "~/utils/form-reply";
import { parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "invite.title") },
  { name: "referrer", content: "no-referrer" },
];

const FORM_ID = "accept-invitation";
const hideFields = ["password", "confirm"];
const noStore = { "Cache-Control": "no-store" };

/** A spent, expired or unknown link still gets this page (410), saying what to do instead. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = findOpenInvitation(params.token ?? "");
  const user = await getSessionUser(request);
  if (!invitation)
    return json(
      { invitation: null, signedIn: user !== null, signedInAsInvitee: false },
      { status: 410, headers: noStore },
    );
  return json(
    {
      invitation: {
        organisationName: invitation.organisationName,
        email: invitation.email,
        hasAccount: invitation.hasAccount,
      },
      signedIn: user !== null,
      signedInAsInvitee: user?.email === invitation.email,
    },
    { headers: noStore },
  );
}

const refusals: Record<Exclude<AcceptResult["status"], "accepted">, { status: number; message: MessageKey }> = {
  invalid: { status: 410, message: "invite.invalid" },
  full: { status: 409, message: "invite.full" },
  notActive: { status: 409, message: "invite.notActive" },
  suspended: { status: 409, message: "invite.suspended" },
  signInFirst: { status: 403, message: "invite.signInFirst" },
};

/** Takes the seat and starts a session with a new id, even for the invitee who was signed in: the seat changes what it opens. */
async function accept(
  request: Request,
  token: string,
  submission: Submission<unknown> | null,
  newAccount?: { name: string; password: string },
) {
  const user = await getSessionUser(request);
  const accepted = await acceptInvitation(token, { signedInUserId: user?.id ?? null, newAccount });
  if (accepted.status !== "accepted") {
    const refusal = refusals[accepted.status];
    return replyToForm(FORM_ID, submission, { refusal: refusal.message, status: refusal.status, hideFields });
  }
  return redirect("/kurser", { headers: { "Set-Cookie": await startSession(request, accepted.userId) } });
}

/** Someone new chooses a name and password; someone with an account only confirms. */
export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const invitation = findOpenInvitation(token);
  const form = await readForm(request);
  if (invitation && !invitation.hasAccount) {
    const submission = parseSubmission(form, acceptInvitationSchema);
    if (submission.status !== "success") return replyToForm(FORM_ID, submission, { hideFields });
    return accept(request, token, submission, { name: submission.value.name, password: submission.value.password });
  }
  // Someone with an account only presses a button, and a dead link has no form: no field stands behind a refusal.
  return accept(request, token, null);
}

export default function AcceptInvitation() {
  const t = useT();
  const { invitation, signedIn, signedInAsInvitee } = useLoaderData<typeof loader>();
  const location = useLocation();
  const { reply, form, fields } = useReplyForm(FORM_ID, acceptInvitationSchema, {
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });

  // Also when the link died while the page was open (accepted in another tab, or expired).
  if (!invitation || refusalOf(reply) === "invite.invalid") {
    return (
      <div className="page page--narrow">
        <h1>{t("invite.title")}</h1>
        <p className="notice notice--error" role="alert">
          {t("invite.invalid")}
        </p>
        {signedIn ? (
          <p>
            {t("invite.invalidSignedIn")} <Link to="/kurser">{t("nav.myCourses")}</Link>
          </p>
        ) : (
          <p>
            {t("invite.invalidHaveAccount")} <Link to="/log-ind">{t("nav.signIn")}</Link>
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>{t("invite.title")}</h1>
      <p className="lead">
        {t("invite.intro", { organisation: invitation.organisationName, email: invitation.email })}
      </p>
      <FormMessage reply={reply} id={form.errorId} />
      {invitation.hasAccount && !signedInAsInvitee ? (
        <p className="notice">
          {t("invite.signInFirst")}{" "}
          <Link to={`/log-ind?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("nav.signIn")}</Link>
        </p>
      ) : invitation.hasAccount ? (
        // Only a button: Conform's checks are for the new-account form below.
        <Form method="post" className="form card">
          <button type="submit" className="button">
            {t("invite.accept")}
          </button>
        </Form>
      ) : (
        <Form method="post" {...getFormProps(form)} className="form card">
          <p>{t("invite.newAccount")}</p>
          <Field field={fields.name} label={t("invite.name")} type="text" autoComplete="name" />
          <NewPasswordFields password={fields.password} confirm={fields.confirm} />
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
