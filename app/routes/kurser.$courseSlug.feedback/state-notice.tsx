import { formatDay, useLanguage, useT } from "~/i18n/i18n";
import { refusalOf, useFormReply } from "~/utils/form-reply";
import { RESPONSE_FORM } from "./response-form";
import type { action, FeedbackPageData } from "./route";

/** Where the form stands for this learner: a preview, refused, answered, not open yet, closed, or open. */
export function StateNotice({ page, form }: { page: FeedbackPageData; form: NonNullable<FeedbackPageData["form"]> }) {
  const t = useT();
  const language = useLanguage();
  const reply = useFormReply<typeof action>(RESPONSE_FORM);
  const refusal = refusalOf(reply);
  if (page.preview) return <p className="notice">{t("feedback.page.preview")}</p>;
  // Refused because the form is no longer open (answered in another tab, closed): the form is gone, its reason stays.
  if (refusal && page.state !== "open") {
    return (
      <p className="notice notice--error" role="alert">
        {t(refusal)}
      </p>
    );
  }
  if (page.state === "answered") {
    // Just sent, the form gives way to its thanks; opened later, the page says the answers are in.
    return (
      <p className="notice" role="status">
        {reply?.notice ? t(reply.notice.key) : t("feedback.page.answered")}
      </p>
    );
  }
  if (page.state === "notOpenYet")
    return <p className="notice">{t("feedback.page.notOpenYet", { date: formatDay(language, form.opensOn) })}</p>;
  if (page.state === "closed")
    return (
      <p className="notice">
        {t("feedback.page.closed", { date: formatDay(language, form.closesOn ?? form.opensOn) })}
      </p>
    );
  return <p>{t(page.courseComplete ? "feedback.page.complete" : "feedback.page.notComplete")}</p>;
}
