import { parseWithZod } from "@conform-to/zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { normaliseEmail } from "~/auth/auth.server";
import { getSessionUser } from "~/auth/session.server";
import { Field } from "~/components/field";
import { pageTitle, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { joinRequestSchema } from "~/licensing/forms";
import { claimSeatWithJoinLink, findJoinLink, requestSeatWithJoinLink, type JoinClaimResult, type JoinRequestResult } from "~/licensing/join-links.server";
import { parseSubmission, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "join.title") },
  { name: "referrer", content: "no-referrer" },
];

const noStore = { "Cache-Control": "no-store" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = findJoinLink(params.token ?? "");
  if (found.status !== "open") {
    const closed = found.status === "closed";
    return json(
      { organisationName: null, signedInAs: null, problem: closed ? ("join.closed" as const) : ("join.unknown" as const) },
      { status: closed ? 410 : 404, headers: noStore },
    );
  }
  const user = await getSessionUser(request);
  return json({ organisationName: found.link.organisationName, signedInAs: user?.email ?? null, problem: null }, { headers: noStore });
}

type Refused = Exclude<JoinRequestResult["status"] | JoinClaimResult["status"], "sent" | "claimed" | "wrongDomain">;

const refusals = {
  unknown: { status: 404, message: "join.unknown" },
  closed: { status: 410, message: "join.closed" },
  full: { status: 409, message: "invite.full" },
  notActive: { status: 409, message: "invite.notActive" },
  suspended: { status: 409, message: "invite.suspended" },
} as const satisfies Record<Refused, { status: number; message: string }>;

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const user = await getSessionUser(request);
  if (user) {
    const claimed = claimSeatWithJoinLink(token, user);
    if (claimed.status === "claimed") return redirect("/kurser");
    const refusal = claimed.status === "wrongDomain" ? { status: 400, message: "join.wrongDomain" as const } : refusals[claimed.status];
    return json({ result: null, refusal: refusal.message, sent: null }, { status: refusal.status, headers: noStore });
  }

  const submission = parseSubmission(await readForm(request), joinRequestSchema);
  if (submission.status !== "success") {
    return json({ result: submission.reply(), refusal: null, sent: null }, { status: 400, headers: noStore });
  }
  const requested = requestSeatWithJoinLink(token, submission.value.email, await getLanguage(request));
  if (requested.status === "sent") {
    return json({ result: submission.reply({ resetForm: true }), refusal: null, sent: normaliseEmail(submission.value.email) }, { headers: noStore });
  }
  if (requested.status === "wrongDomain") {
    return json({ result: submission.reply({ fieldErrors: { email: ["join.wrongDomain"] } }), refusal: null, sent: null }, { status: 400, headers: noStore });
  }
  const refusal = refusals[requested.status];
  return json({ result: null, refusal: refusal.message, sent: null }, { status: refusal.status, headers: noStore });
}

export default function Join() {
  const t = useT();
  const { organisationName, signedInAs, problem } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const location = useLocation();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: data?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: joinRequestSchema }),
  });

  if (problem || organisationName === null) {
    return (
      <div className="page page--narrow">
        <h1>{t("join.title")}</h1>
        <p className="notice notice--error" role="alert">
          {t(problem ?? "join.unknown")}
        </p>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>{t("join.title")}</h1>
      <p className="lead">{t("join.intro", { organisation: organisationName })}</p>
      {data?.refusal ? (
        <p className="notice notice--error" role="alert">
          {t(data.refusal)}
        </p>
      ) : null}
      {data?.sent ? (
        <p className="notice" role="status">
          {t("join.sent", { email: data.sent })}
        </p>
      ) : signedInAs ? (
        <Form method="post" className="form card">
          <p>{t("join.signedInAs", { email: signedInAs })}</p>
          <div>
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t("join.claim")}
            </button>
          </div>
        </Form>
      ) : (
        <>
          <Form method="post" {...getFormProps(form)} className="form card">
            <Field field={fields.email} label={t("join.email")} hint={t("join.emailHint")} type="email" autoComplete="email" />
            <div>
              <button type="submit" className="button" disabled={navigation.state === "submitting"}>
                {t("join.submit")}
              </button>
            </div>
          </Form>
          <p>
            {t("join.haveAccount")} <Link to={`/log-ind?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("nav.signIn")}</Link>
          </p>
        </>
      )}
    </div>
  );
}
