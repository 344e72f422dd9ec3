import { useEffect, useState } from "react";
import { useT } from "~/i18n/i18n";

/** Keys that would mean something else where focus is: the player's own keys, typing, a focused button's Space. */
const ownKeysAt = (target: EventTarget | null) =>
  target instanceof HTMLElement && target.closest("[data-testid=video-player], input, textarea, select, button, a");

/**
 * The film's reflection questions, one at a time in large type for the room: → or N (and Space)
 * for the next, ← or P for the one before, from anywhere on the page outside the player.
 */
export function QuestionDeck({ questions }: { questions: string[] }) {
  const t = useT();
  const [index, setIndex] = useState(0);
  const last = questions.length - 1;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented || ownKeysAt(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === "arrowright" || key === "n" || key === " ") setIndex((shown) => Math.min(last, shown + 1));
      else if (key === "arrowleft" || key === "p") setIndex((shown) => Math.max(0, shown - 1));
      else return;
      event.preventDefault();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [last]);
  if (questions.length === 0) return null;
  return (
    <section className="meeting-questions" aria-labelledby="questions-heading">
      <h2 id="questions-heading">{t("meetings.questions.heading")}</h2>
      <p className="meeting-questions__position">
        {t("meetings.questions.position", { number: index + 1, total: questions.length })}
      </p>
      <p className="meeting-question" aria-live="polite" data-testid="meeting-question">
        {questions[index]}
      </p>
      <div className="meeting-questions__buttons">
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setIndex(index - 1)}
          disabled={index === 0}
        >
          ← {t("meetings.questions.previous")}
        </button>
        <button type="button" className="button" onClick={() => setIndex(index + 1)} disabled={index === last}>
          {t("meetings.questions.next")} →
        </button>
      </div>
      <p className="hint">{t("meetings.questions.keys")}</p>
    </section>
  );
}
