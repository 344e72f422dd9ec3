import { useEffect, useState } from "react";
import { useT } from "~/i18n/i18n";

/** How often the presenter's count of who is in the room is asked for again. */
const COUNT_EVERY_MS = 5_000;

/** The code, big enough to read from the back of the room, the QR code with it filled in, and who has joined. */
export function JoinPanel({
  sessionId,
  code,
  join,
  present,
}: {
  sessionId: number;
  code: string;
  join: { url: string; qrImage: string };
  present: number;
}) {
  const t = useT();
  const [count, setCount] = useState(present);
  useEffect(() => {
    const timer = window.setInterval(() => {
      fetch(`/moede/${sessionId}/deltagere`, { credentials: "same-origin" })
        .then(async (response) => {
          if (response.ok) setCount(((await response.json()) as { present: number }).present);
        })
        // A lost answer only leaves the old count standing until the next.
        .catch(() => undefined);
    }, COUNT_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [sessionId]);
  const joinAddress = new URL(join.url);
  return (
    <section className="card meeting-join" aria-labelledby="join-heading">
      <h2 id="join-heading">{t("meetings.presenter.joinHeading")}</h2>
      <p>{t("meetings.presenter.joinAt", { address: `${joinAddress.host}${joinAddress.pathname}` })}</p>
      <p
        className="meeting-code"
        data-testid="meeting-code"
        aria-label={t("meetings.presenter.codeLabel", { code: code.split("").join(" ") })}
      >
        {code}
      </p>
      <img className="meeting-qr" src={join.qrImage} alt={t("meetings.presenter.qrAlt")} width={280} height={280} />
      <p className="meeting-count" role="status" data-testid="participant-count">
        {t("meetings.presenter.present", { count })}
      </p>
    </section>
  );
}
