import { Link } from "@remix-run/react";
import { formatDay, useLanguage, useT } from "~/i18n/i18n";
import { refusalOf, useFormReply } from "~/utils/form-reply";
import { ANSWER_FORM } from "./answer-form";
import type { action, MeasurementPageData } from "./route";

/** Why there is nothing to answer: done (just now or before), not yet, too late, or not asked of this person. */
export function StateNotice({ data }: { data: MeasurementPageData }) {
  const t = useT();
  const language = useLanguage();
  const reply = useFormReply<typeof action>(ANSWER_FORM);
  const refusal = refusalOf(reply);
  const { page, course } = data;
  const goOn = (
    <p>
      <Link to={data.next ?? `/kurser/${course.slug}`} className="button button--secondary">
        {t(data.next ? "measurement.page.goOn" : "measurement.page.toCourse")}
      </Link>
    </p>
  );
  // Refused because the moment closed while the page was open (answered in another tab): the reason stays.
  if (refusal) {
    return (
      <>
        <p className="notice notice--error" role="alert">
          {t(refusal)}
        </p>
        {goOn}
      </>
    );
  }
  const text =
    page.state === "done"
      ? reply?.notice
        ? t(reply.notice.key)
        : t("measurement.page.done")
      : page.state === "notDue"
        ? page.dueOn
          ? t("measurement.page.notDueOn", { date: formatDay(language, page.dueOn) })
          : t(page.moment === "completion" ? "measurement.page.notComplete" : "measurement.page.notDue")
        : page.state === "started"
          ? t("measurement.page.started")
          : page.state === "noSeat"
            ? t("measurement.refused.noSeat")
            : page.state === "notLeader"
              ? t("measurement.refused.notLeader")
              : t("measurement.page.inactive");
  return (
    <>
      <p className="notice" role="status">
        {text}
      </p>
      {goOn}
    </>
  );
}
