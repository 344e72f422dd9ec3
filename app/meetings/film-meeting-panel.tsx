import { Form } from "@remix-run/react";
import { formatDate, useLanguage, useT } from "~/i18n/i18n";

export type FilmMeetingNotes = {
  mayPresent: boolean;
  attended: { outcome: "watched" | "discussed"; endedAt: number }[];
  agreements: { id: number; text: string; endedAt: number }[];
};

/**
 * The film page's part of staff meetings: "Vis på personalemødet" for those who may show it, what
 * the person's meetings credited them with, and what was agreed at meetings on this film.
 */
export function FilmMeetingPanel({ moduleId, notes }: { moduleId: number; notes: FilmMeetingNotes }) {
  const t = useT();
  const language = useLanguage();
  if (!notes.mayPresent && notes.attended.length === 0 && notes.agreements.length === 0) return null;
  return (
    <section className="card" aria-labelledby="meeting-heading" data-testid="film-meetings">
      <h2 id="meeting-heading">{t("meetings.film.heading")}</h2>
      {notes.attended.map((meeting) => (
        <p key={`${meeting.outcome}-${meeting.endedAt}`} className="notice">
          {t(meeting.outcome === "watched" ? "meetings.film.watched" : "meetings.film.discussed", {
            date: formatDate(language, meeting.endedAt),
          })}
        </p>
      ))}
      {notes.agreements.map((agreement) => (
        <figure key={agreement.id} className="meeting-agreement-note">
          <figcaption>
            <strong>{t("meetings.agreement.heading")}</strong>{" "}
            {t("meetings.film.agreedOn", { date: formatDate(language, agreement.endedAt) })}
          </figcaption>
          <p className="meeting-agreement">{agreement.text}</p>
        </figure>
      ))}
      {notes.mayPresent ? (
        <Form method="post" action="/moede/ny">
          <input type="hidden" name="moduleId" value={moduleId} />
          <p className="hint">{t("meetings.film.presentHint")}</p>
          <button type="submit" className="button">
            {t("meetings.film.present")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
