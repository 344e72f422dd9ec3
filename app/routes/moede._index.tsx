import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { SubmitButton } from "~/components/submit-button";
import { pageTitle, useT } from "~/i18n/i18n";
import type { MessageKey } from "~/i18n/da";
import { CODE_LENGTH, joinMeetingSchema } from "~/meetings/forms";
import { joinMeeting, type JoinResult } from "~/meetings/joining.server";
import meetingStyles from "~/styles/meetings.css";
import { useReplyForm } from "~/utils/form-reply";
import { parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: meetingStyles }];

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "meetings.join.title") }];

const FORM_ID = "join-meeting";

/** The code from the QR code's link fills the field; anything longer than a code is left out. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const code = (new URL(request.url).searchParams.get("kode") ?? "").slice(0, CODE_LENGTH + 4);
  return json({ code }, { headers: { "Cache-Control": "private, no-store" } });
}

/** Each refusal, beside the field, with the status it is answered with. */
const refusals: Record<Exclude<JoinResult["status"], "joined">, { key: MessageKey; status: number }> = {
  wrongCode: { key: "meetings.join.wrongCode", status: 404 },
  ended: { key: "meetings.join.ended", status: 410 },
  noSeat: { key: "meetings.join.noSeat", status: 403 },
  tooMany: { key: "meetings.join.tooMany", status: 429 },
};

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseSubmission(await readForm(request), joinMeetingSchema);
  if (submission.status !== "success") return replyToForm(FORM_ID, submission);
  const joined = await joinMeeting(user.id, submission.value.code, context.clientAddress);
  if (joined.status === "joined") return redirect(`/moede/${joined.sessionId}/deltager`);
  const { key, status } = refusals[joined.status];
  return replyToForm(FORM_ID, submission, { fieldErrors: { code: [key] }, status });
}

export default function JoinMeeting() {
  const t = useT();
  const { code } = useLoaderData<typeof loader>();
  const { reply, form, fields } = useReplyForm(FORM_ID, joinMeetingSchema, {
    defaultValue: { code },
    shouldValidate: "onSubmit",
  });
  return (
    <div className="page page--narrow">
      <h1>{t("meetings.join.title")}</h1>
      <p className="lead">{t("meetings.join.intro")}</p>
      <FormMessage reply={reply} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="form card meeting-code-input">
        <Field
          field={fields.code}
          label={t("meetings.join.code")}
          type="text"
          hint={t("meetings.join.codeHint")}
          autoComplete="off"
        />
        <SubmitButton>{t("meetings.join.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
