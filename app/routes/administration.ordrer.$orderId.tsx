import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { invoiceOfOrder } from "~/billing/invoices.server";
import { orderVisibleTo } from "~/billing/orders.server";
import { OrderSummaryTable } from "~/components/order-summary-table";
import { pageTitle, useT } from "~/i18n/i18n";
import { requireAdmin } from "~/auth/session.server";
import { invariantResponse } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "order.placedTitle") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const order = orderVisibleTo(user, Number(params.orderId));
  invariantResponse(order, "notFound.order", { status: 404 });
  const invoice = invoiceOfOrder(order.id);
  return json(
    {
      order: {
        orderReference: order.orderReference,
        planName: order.planName,
        seatCount: order.seatCount,
        startsOn: order.startsOn,
        endsOn: order.endsOn,
        netOre: order.netOre,
        vatOre: order.vatOre,
        grossOre: order.grossOre,
        buyerEmail: order.buyerEmail,
      },
      invoice,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function OrderPlaced() {
  const t = useT();
  const { order, invoice } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>{t("order.placedTitle")}</h1>
      <p className="lead">{t("order.placed")}</p>
      <section className="card" aria-labelledby="order-heading">
        <h2 id="order-heading">{t("order.detailsHeading", { reference: order.orderReference })}</h2>
        <OrderSummaryTable order={order} />
        {invoice?.number ? (
          <>
            <p role="status">{t("order.invoiceReady", { number: invoice.number, email: order.buyerEmail })}</p>
            <p className="button-row">
              <a className="button button--secondary" href={`/fakturaer/${invoice.id}/pdf`} download>
                {t("billing.pdfFor", { number: invoice.number })}
              </a>
              <a className="button button--secondary" href={`/fakturaer/${invoice.id}/xml`} download>
                {t("billing.xmlFor", { number: invoice.number })}
              </a>
            </p>
          </>
        ) : (
          <p className="notice" role="status">
            {t("order.invoiceOnItsWay")}
          </p>
        )}
      </section>
      <p>
        <Link to="/administration">{t("order.toAdministration")}</Link>
      </p>
    </div>
  );
}
