import type {
  ActionFunctionArgs,
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { FormMessage } from "~/components/form-message";
import { VideoPlayer } from "~/components/video-player/video-player";
import { pageTitle, useT } from "~/i18n/i18n";
import { mediaBaseUrl } from "~/media/access.server";
import { agreementSchema, endMeetingSchema } from "~/meetings/forms";
import { meetingJoinLink } from "~/meetings/join-link.server";
import { endMeeting, presenterMeeting, saveAgreement } from "~/meetings/presenting.server";
import meetingStyles from "~/styles/meetings.css";
import playerStyles from "~/styles/player.css";
import {
  formIntent,
  invariantResponse,
  parseSubmission,
  readForm,
  replyToForm,
  requirePathId,
} from "~/utils/http.server";
import { AgreementForm, AGREEMENT_FORM, EndMeetingForm } from "./closing";
import { JoinPanel } from "./join-panel";
import { QuestionDeck } from "./question-deck";
import { usePlayMarker } from "./use-play-marker";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: playerStyles },
  { rel: "stylesheet", href: meetingStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, { text: data.meeting.title }) : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** The presenter's screen: the film large, the code and QR code to join by, then the questions. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const meeting = presenterMeeting(user.id, requirePathId(params.sessionId, "meetings.notFound"));
  invariantResponse(meeting, "meetings.notFound", { status: 404 });
  const { mediaVersion, ...shown } = meeting;
  return json(
    {
      meeting: shown,
      mediaBase: mediaVersion && meeting.open ? mediaBaseUrl(user.id, meeting.moduleId, mediaVersion) : null,
      join: meeting.open ? await meetingJoinLink(meeting.code) : null,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

const schemas = { end: endMeetingSchema, agreement: agreementSchema };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = requirePathId(params.sessionId, "meetings.notFound");
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") return replyToForm(AGREEMENT_FORM, submission);
  if (submission.value.intent === "end") {
    invariantResponse(endMeeting(user.id, sessionId).status === "ended", "meetings.notFound", { status: 404 });
    return replyToForm("end-meeting", submission, { notice: "meetings.end.done" });
  }
  const saved = saveAgreement(user.id, sessionId, submission.value.agreement);
  invariantResponse(saved.status !== "notFound", "meetings.notFound", { status: 404 });
  if (saved.status === "notEnded")
    return replyToForm(AGREEMENT_FORM, submission, { refusal: "meetings.agreement.notEnded" });
  return replyToForm(AGREEMENT_FORM, submission, { notice: "meetings.agreement.saved" });
}

export default function PresenterView() {
  const t = useT();
  const { meeting, mediaBase, join } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const playback = { endpoint: `/moede/${meeting.id}/afspilning`, viewId: String(meeting.id) };
  usePlayMarker(playback.endpoint, playback.viewId);
  return (
    <div className="page meeting">
      <p className="breadcrumb">
        <Link to={`/kurser/${meeting.courseSlug}/${meeting.moduleSlug}`}>{t("meetings.presenter.back")}</Link>
      </p>
      <h1>{meeting.title}</h1>
      {meeting.open ? (
        <div className="meeting-stage">
          <div>
            {mediaBase ? (
              <VideoPlayer
                src={`${mediaBase}/master.m3u8`}
                poster={`${mediaBase}/poster.jpg`}
                title={meeting.title}
                startAtSeconds={0}
                durationSeconds={meeting.durationSeconds}
                progress={playback}
                onAccessExpired={revalidator.revalidate}
              />
            ) : (
              <p className="notice">{t("module.noMedia")}</p>
            )}
          </div>
          {join ? <JoinPanel sessionId={meeting.id} code={meeting.code} join={join} present={meeting.present} /> : null}
        </div>
      ) : meeting.endedAt == null ? (
        // Its time ran out before anyone pressed "Afslut mødet": it is ended, and credited, with the button below.
        <p className="notice">{t("meetings.presenter.expired")}</p>
      ) : (
        <>
          <FormMessage formId="end-meeting" />
          <p className="notice">{t("meetings.presenter.ended")}</p>
        </>
      )}
      <QuestionDeck questions={meeting.questions} />
      {meeting.endedAt == null ? <EndMeetingForm /> : <AgreementForm agreement={meeting.agreement ?? ""} />}
    </div>
  );
}
