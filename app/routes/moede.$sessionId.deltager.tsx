import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requireUser } from "~/auth/session.server";
import { formatDate, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { participantMeeting } from "~/meetings/joining.server";
import meetingStyles from "~/styles/meetings.css";
import { useLatest } from "~/components/video-player/use-latest";
import { invariantResponse, requirePathId } from "~/utils/http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: meetingStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, "meetings.participant.title") : pageTitle(matches, "error.title") },
];

/** Every quarter minute the page says it is still open; the presence rule allows for one beat lost. */
const HEARTBEAT_MS = 15_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const meeting = participantMeeting(user.id, requirePathId(params.sessionId, "meetings.notFound"));
  invariantResponse(meeting, "meetings.notFound", { status: 404 });
  return json({ meeting }, { headers: { "Cache-Control": "private, no-store" } });
}

/**
 * Tells the server the page is open, as long as it is, also in the background (a hidden tab's
 * timers are slowed, not stopped; leaving the tab sends one more beat). When the meeting has
 * ended or its agreement has been written since the page was drawn, the page is read again.
 */
function usePresence(sessionId: number, shown: { open: boolean; agreementAt: number | null }) {
  const revalidator = useRevalidator();
  const latest = useLatest({ shown, revalidate: revalidator.revalidate });
  useEffect(() => {
    const beat = () =>
      fetch(`/moede/${sessionId}/tilstede`, { method: "POST", credentials: "same-origin", keepalive: true })
        .then(async (response) => {
          if (!response.ok) return;
          const state = (await response.json()) as { ended: boolean; agreementAt: number | null };
          const { shown, revalidate } = latest.current;
          if (state.ended === shown.open || state.agreementAt !== shown.agreementAt) revalidate();
        })
        // A beat lost on the meeting room's Wi-Fi is made up by the next.
        .catch(() => undefined);
    const timer = window.setInterval(beat, HEARTBEAT_MS);
    // Coming back to the tab, or leaving it, says so at once rather than at the next beat.
    const onVisibility = () => {
      beat();
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [sessionId, latest]);
}

export default function MeetingParticipant() {
  const t = useT();
  const language = useLanguage();
  const { meeting } = useLoaderData<typeof loader>();
  usePresence(meeting.id, meeting);
  const filmPage = `/kurser/${meeting.courseSlug}/${meeting.moduleSlug}`;
  return (
    <div className="page page--narrow">
      <h1>{t("meetings.participant.title")}</h1>
      <p className="lead">{t("meetings.participant.film", { title: meeting.title })}</p>
      {meeting.open ? (
        <p className="notice" role="status" data-testid="meeting-state">
          {t("meetings.participant.takingPart")}
        </p>
      ) : (
        <p className="notice" role="status" data-testid="meeting-state">
          {t(
            meeting.outcome === "watched"
              ? "meetings.participant.endedWatched"
              : meeting.outcome === "discussed"
                ? "meetings.participant.endedDiscussed"
                : "meetings.participant.ended",
          )}
        </p>
      )}
      {meeting.agreement ? (
        <section className="card" aria-labelledby="agreement-heading">
          <h2 id="agreement-heading">{t("meetings.agreement.heading")}</h2>
          <p className="meeting-agreement">{meeting.agreement}</p>
          {meeting.agreementAt ? (
            <p className="hint">
              {t("meetings.agreement.writtenOn", { date: formatDate(language, meeting.agreementAt) })}
            </p>
          ) : null}
        </section>
      ) : null}
      <p>
        <Link to={filmPage}>{t("meetings.participant.toFilm")}</Link>
      </p>
    </div>
  );
}
