import { Link } from "@remix-run/react";
import type { MeasurementMoment } from "#db/schema";
import type { MessageKey } from "~/i18n/da";
import { useT } from "~/i18n/i18n";

const invitations: Record<Exclude<MeasurementMoment, "baseline">, MessageKey> = {
  completion: "measurement.callout.completion",
  followUp: "measurement.callout.followUp",
  leaderFollowUp: "measurement.callout.leaderFollowUp",
};

/** On the course page: the measurement's moment that is open now, after the films. */
export function MeasurementCallout({
  offer,
}: {
  offer: { moment: Exclude<MeasurementMoment, "baseline">; href: string };
}) {
  const t = useT();
  return (
    <section className="card quiz-callout" aria-labelledby="measurement-callout-heading">
      <h2 id="measurement-callout-heading">{t("measurement.callout.heading")}</h2>
      <p>{t(invitations[offer.moment])}</p>
      <Link to={offer.href} className="button">
        {t("measurement.callout.link")}
      </Link>
    </section>
  );
}
