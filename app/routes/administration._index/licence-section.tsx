import { Link } from "@remix-run/react";
import { InvoiceTable } from "~/components/invoice-table";
import { ProgressBar } from "~/components/progress-bar";
import { formatDate, formatDateTime, formatDay, useLanguage, useT } from "~/i18n/i18n";
import { InviteForm } from "./invite-form";
import type { LicenceData } from "./route";
import { SeatHolders } from "./seat-holders";

/** One licence: seats used of bought, payment, invoices, the invite form, pending invitations, holders and the seat log. */
export function LicenceSection({ licence }: { licence: LicenceData }) {
  const t = useT();
  const language = useLanguage();
  const day = (iso: string) => formatDay(language, iso);
  return (
    <section className="card admin-licence" aria-labelledby={`licence-${licence.id}`}>
      <h2 id={`licence-${licence.id}`}>
        {t("admin.licenceHeading", { from: day(licence.startsOn), to: day(licence.endsOn) })}
      </h2>
      <ProgressBar
        label={t("admin.seatsLabel")}
        value={licence.seatsUsed}
        max={licence.seatCount}
        text={t("admin.seatsUsed", { used: licence.seatsUsed, total: licence.seatCount })}
      />
      <p>
        {t("admin.paymentState")}:{" "}
        <strong className={`payment payment--${licence.paymentState}`}>
          {t(`billing.state.${licence.paymentState}`)}
        </strong>
      </p>
      {licence.suspended ? (
        <p className="notice notice--error" role="alert">
          {t("billing.suspended")}
        </p>
      ) : null}
      <p className="button-row">
        <Link to={`/administration/bestil?forny=${licence.id}`} className="button button--secondary">
          {t("order.renew")}
        </Link>
        {licence.ended ? null : (
          <Link to={`/administration/bestil?ekstra=${licence.id}`} className="button button--secondary">
            {t("order.buyExtra")}
          </Link>
        )}
      </p>
      <h3>{t("billing.heading")}</h3>
      {licence.invoices.length === 0 ? (
        <p>{t("billing.none")}</p>
      ) : (
        <InvoiceTable label={t("billing.heading")} invoices={licence.invoices} notIssued={t("billing.notIssued")} />
      )}
      <InviteForm licenceId={licence.id} open={!licence.suspended && !licence.ended} />

      <h3>{t("admin.pendingHeading")}</h3>
      {licence.pending.length === 0 ? (
        <p>{t("admin.pendingNone")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("admin.column.person")}</th>
              <th scope="col">{t("admin.column.expires")}</th>
            </tr>
          </thead>
          <tbody>
            {licence.pending.map((invitation) => (
              <tr key={invitation.id}>
                <td className="email">{invitation.email}</td>
                <td>{formatDate(language, new Date(invitation.expiresAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <SeatHolders licence={licence} />

      <h3>{t("admin.auditHeading")}</h3>
      {licence.events.length === 0 ? <p>{t("admin.auditNone")}</p> : null}
      <table className="table" hidden={licence.events.length === 0}>
        <thead>
          <tr>
            <th scope="col">{t("admin.column.when")}</th>
            <th scope="col">{t("admin.column.event")}</th>
            <th scope="col">{t("admin.column.person")}</th>
          </tr>
        </thead>
        <tbody>
          {licence.events.map((event) => (
            <tr key={event.id}>
              <td>{formatDateTime(language, new Date(event.at))}</td>
              <td>{t(`admin.event.${event.kind}`)}</td>
              <td className="email">{event.email}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
