import { formatKroner } from "~/billing/money";
import { formatDay, useLanguage, useT } from "~/i18n/i18n";

type OrderSummary = {
  planName: string;
  startsOn: string;
  endsOn: string;
  seatCount: number;
  netOre: number;
  vatOre: number;
  grossOre: number;
};

/** What an order buys and costs, before it is placed and after; a discount shows as list price less discount. */
export function OrderSummaryTable({
  order,
  discount = null,
}: {
  order: OrderSummary;
  discount?: { label: string; listNetOre: number } | null;
}) {
  const t = useT();
  const language = useLanguage();
  return (
    <table className="table">
      <tbody>
        <tr>
          <th scope="row">{t("order.summaryPlan")}</th>
          <td>{order.planName}</td>
        </tr>
        <tr>
          <th scope="row">{t("order.summaryPeriod")}</th>
          <td>
            {formatDay(language, order.startsOn)} – {formatDay(language, order.endsOn)}
          </td>
        </tr>
        <tr>
          <th scope="row">{t("order.summarySeats")}</th>
          <td>{order.seatCount}</td>
        </tr>
        {discount ? (
          <>
            <tr>
              <th scope="row">{t("order.summaryList")}</th>
              <td className="amount">{formatKroner(discount.listNetOre)}</td>
            </tr>
            <tr>
              <th scope="row">{t("order.summaryDiscount", { label: discount.label })}</th>
              <td className="amount">−{formatKroner(discount.listNetOre - order.netOre)}</td>
            </tr>
          </>
        ) : null}
        <tr>
          <th scope="row">{t("order.summaryNet")}</th>
          <td className="amount">{formatKroner(order.netOre)}</td>
        </tr>
        <tr>
          <th scope="row">{t("order.summaryVat")}</th>
          <td className="amount">{formatKroner(order.vatOre)}</td>
        </tr>
        <tr className="total">
          <th scope="row">{t("order.summaryGross")}</th>
          <td className="amount">{formatKroner(order.grossOre)}</td>
        </tr>
      </tbody>
    </table>
  );
}
