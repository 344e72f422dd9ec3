import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { normaliseEmail } from "~/auth/auth.server";
import { getSessionUser } from "~/auth/session.server";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { pageTitle, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { joinRequestSchema } from "~/licensing/forms";
import {
  claimSeatWithJoinLink,
  findJoinLink,
  requestSeatWithJoinLink,
  type JoinClaimResult,
  type JoinRequestResult,
} from "~/licensing/join-links.server";
import { refusalOf, useReplyForm } from "~/utils/form-reply";
import { parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { SubmitButton } from "~/components/submit-button";

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "join.title") },
  { name: "referrer", content: "no-referrer" },
];

const FORM_ID = "join";
const noStore = { "Cache-Control": "no-store" };

/** A closed or unknown link still gets this page (410/404), saying what to do instead. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = findJoinLink(params.token ?? "");
  if (found.status !== "open") {
    const closed = found.status === "closed";
    return json(
      {
        organisationName: null,
        signedInAs: null,
        problem: closed ? ("join.closed" as const) : ("join.unknown" as const),
      },
      { status: closed ? 410 : 404, headers: noStore },
    );
  }
  const user = await getSessionUser(request);
  return json(
    { organisationName: found.link.organisationName, signedInAs: user?.email ?? null, problem: null },
    { headers: noStore },
  );
}

type Refused = Exclude<JoinRequestResult["status"] | JoinClaimResult["status"], "sent" | "claimed" | "wrongDomain">;

const refusals = {
  unknown: { status: 404, message: "join.unknown" },
  closed: { status: 410, message: "join.closed" },
  full: { status: 409, message: "invite.full" },
  notActive: { status: 409, message: "invite.notActive" },
  suspended: { status: 409, message: "invite.suspended" },
  tooMany: { status: 429, message: "join.tooMany" },
} as const satisfies Record<Refused, { status: number; message: string }>;

/** Someone signed in takes the seat with a button; anyone else asks for a confirmation mail. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const user = await getSessionUser(request);
  const form = await readForm(request);
  if (user) {
    // Only a button: no field stands behind the refusal.
    const claimed = claimSeatWithJoinLink(token, user);
    if (claimed.status === "claimed") return redirect("/kurser");
    const refusal =
      claimed.status === "wrongDomain"
        ? { status: 400, message: "join.wrongDomain" as const }
        : refusals[claimed.status];
    return replyToForm(FORM_ID, null, { refusal: refusal.message, status: refusal.status });
  }

  const submission = parseSubmission(form, joinRequestSchema);
  if (submission.status !== "success") return replyToForm(FORM_ID, submission);
  const requested = await requestSeatWithJoinLink(
    token,
    submission.value.email,
    await getLanguage(request),
    context.clientAddress,
  );
  if (requested.status === "sent") {
    return replyToForm(FORM_ID, submission, {
      notice: { key: "join.sent", values: { email: normaliseEmail(submission.value.email) } },
      resetForm: true,
    });
  }
  if (requested.status === "wrongDomain")
    return replyToForm(FORM_ID, submission, { fieldErrors: { email: ["join.wrongDomain"] } });
  const refusal = refusals[requested.status];
  return replyToForm(FORM_ID, submission, { refusal: refusal.message, status: refusal.status });
}

export default function Join() {
  const t = useT();
  const { organisationName, signedInAs, problem } = useLoaderData<typeof loader>();
  const location = useLocation();
  const { reply, form, fields } = useReplyForm(FORM_ID, joinRequestSchema, {
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });

  // Also when the link closed while the page was open.
  const refusal = refusalOf(reply);
  const deadLink = problem ?? (refusal === "join.closed" || refusal === "join.unknown" ? refusal : null);
  if (deadLink || organisationName === null) {
    return (
      <div className="page page--narrow">
        <h1>{t("join.title")}</h1>
        <p className="notice notice--error" role="alert">
          {t(deadLink ?? "join.unknown")}
        </p>
        <p>
          {t("join.haveAccount")} <Link to="/log-ind">{t("nav.signIn")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>{t("join.title")}</h1>
      <p className="lead">{t("join.intro", { organisation: organisationName })}</p>
      <FormMessage reply={reply} id={form.errorId} />
      {reply?.notice ? null : signedInAs ? (
        // Only a button: Conform's checks are for the address form below.
        <Form method="post" className="form card">
          <p>{t("join.signedInAs", { email: signedInAs })}</p>
          <SubmitButton>{t("join.claim")}</SubmitButton>
        </Form>
      ) : (
        <>
          <Form method="post" {...getFormProps(form)} className="form card">
            <Field
              field={fields.email}
              label={t("join.email")}
              hint={t("join.emailHint")}
              type="email"
              autoComplete="email"
            />
            <SubmitButton>{t("join.submit")}</SubmitButton>
          </Form>
          <p>
            {t("join.haveAccount")}{" "}
            <Link to={`/log-ind?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("nav.signIn")}</Link>
          </p>
        </>
      )}
    </div>
  );
}
