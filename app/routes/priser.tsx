import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatKroner, withVat } from "~/billing/money";
import { priceList } from "~/billing/pricing.server";
import { pageTitle, useT } from "~/i18n/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "prices.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** Open to all: what a municipality can buy and what it costs, before anyone signs in. */
export async function loader(_: LoaderFunctionArgs) {
  return json({ plans: priceList() }, { headers: { "Cache-Control": "private, max-age=300" } });
}

export default function Prices() {
  const t = useT();
  const { plans } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("prices.title")}</h1>
      <p className="lead">{t("prices.intro")}</p>
      {plans.length === 0 ? <p className="notice">{t("prices.none")}</p> : null}
      <ul className="course-grid">
        {plans.map((plan) => {
          const totals = withVat(plan.listPriceOre);
          return (
            <li key={plan.slug}>
              <article className="card course-card" aria-labelledby={`plan-${plan.slug}`}>
                <h2 id={`plan-${plan.slug}`}>{plan.name}</h2>
                <p>{plan.summary}</p>
                <p className="price">
                  <strong>{formatKroner(totals.net)}</strong> {t("prices.exclVat")}
                  <br />
                  <span className="course-card__meta">
                    {t("prices.inclVat", { price: formatKroner(totals.gross) })}
                  </span>
                </p>
                <p className="course-card__meta">
                  {t("prices.seats", { count: plan.seatCount })} · {t("prices.months", { count: plan.periodMonths })} ·{" "}
                  {t("prices.perSeat", { price: formatKroner(plan.seatPriceOre) })}
                </p>
                <h3>{t("prices.courses")}</h3>
                <ul>
                  {plan.courses.map((title) => (
                    <li key={title}>{title}</li>
                  ))}
                </ul>
                <div className="course-card__actions">
                  <Link to={`/administration/bestil?plan=${plan.slug}`} className="button">
                    {t("prices.order", { plan: plan.name })}
                  </Link>
                </div>
              </article>
            </li>
          );
        })}
      </ul>
      <p>{t("prices.pilotNote")}</p>
      <p>{t("prices.paymentTerms")}</p>
    </div>
  );
}
