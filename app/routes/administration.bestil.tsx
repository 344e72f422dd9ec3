import { getFormProps, getInputProps } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { randomUUID } from "node:crypto";
import { useEffect, useRef } from "react";
import { orderSchema } from "~/billing/forms";
import { formatKroner } from "~/billing/money";
import { orderFormStart, placeOrder, prepareOrder } from "~/billing/orders.server";
import { Field, SelectField } from "~/components/field";
import { OrderSummaryTable } from "~/components/order-summary-table";
import { FormMessage } from "~/components/form-message";
import { OrganisationFields } from "~/components/organisation-fields";
import { formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { requireAdmin } from "~/auth/session.server";
import { useReplyForm } from "~/utils/form-reply";
import { invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { SubmitButton } from "~/components/submit-button";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "order.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const start = orderFormStart(user, new URL(request.url).searchParams);
  invariantResponse(start, "notFound.licence", { status: 404 });
  // A fresh key each time the form is shown: the order it places is placed once, however often it is sent.
  return json({ ...start, requestKey: randomUUID() }, { headers: { "Cache-Control": "private, no-store" } });
}

const ORDER_FORM = "order";

/**
 * Reviews the order (the summary) or places it. A quote the PDF route could not make comes here
 * too, resent by the browser with the same fields (a 307), so its problems show on this page.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const fields = await readForm(request);
  const submission = parseSubmission(fields, orderSchema);
  // Every reply says whether there is a summary, so the page knows whether to show one.
  const noSummary = { summary: null };
  // Someone who asked for a quote is told why there is none, besides what to correct.
  const quoteRefused = fields.get("intent") === "quote" ? ("order.quoteRefused" as const) : undefined;
  if (submission.status !== "success")
    return replyToForm(ORDER_FORM, submission, { refusal: quoteRefused, status: 400, data: noSummary });
  const form = submission.value;
  // Placing checks the order itself, after looking for one already placed from this form.
  const outcome = form.intent === "place" ? await placeOrder(user, form) : prepareOrder(user, form);
  invariantResponse(outcome.status !== "forbidden", "notFound.organisationOrLicence", { status: 404 });
  if (outcome.status === "invalid") {
    // The licence renewed or given seats is a hidden field: what is wrong with it is said above the form.
    const { licenceId: licenceProblem, ...problems } = outcome.problems;
    const fieldErrors = Object.fromEntries(Object.entries(problems).map(([field, key]) => [field, [key]]));
    return replyToForm(ORDER_FORM, submission, {
      refusal: licenceProblem ?? quoteRefused,
      fieldErrors,
      data: noSummary,
    });
  }
  if (outcome.status === "ok") {
    const notice = form.intent === "quote" ? ({ key: "order.quoteAgain" } as const) : undefined;
    return replyToForm(ORDER_FORM, submission, {
      notice,
      data: { summary: { ...outcome.order.priced, values: form } },
    });
  }
  return redirect(`/administration/ordrer/${outcome.orderId}`);
}

const SUMMARY_FIELDS = [
  "kind",
  "organisationId",
  "licenceId",
  "planSlug",
  "startsOn",
  "seats",
  "discountCode",
  "cvr",
  "streetName",
  "buildingNumber",
  "postalCode",
  "city",
  "invoiceEmail",
  "ean",
  "orderReference",
  "personReference",
] as const;

export default function Order() {
  const t = useT();
  const language = useLanguage();
  const start = useLoaderData<typeof loader>();
  const location = useLocation();
  const summaryHeading = useRef<HTMLHeadingElement>(null);
  const { reply, form, fields } = useReplyForm<typeof orderSchema, typeof action>(ORDER_FORM, orderSchema, {
    defaultValue: start.values,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const summary = reply?.summary ?? null;

  useEffect(() => {
    if (summary) summaryHeading.current?.focus();
  }, [summary]);

  const title =
    start.values.kind === "renewal"
      ? "order.titleRenewal"
      : start.values.kind === "extraSeats"
        ? "order.titleExtra"
        : "order.title";

  return (
    <div className="page page--narrow">
      <h1>{t(title)}</h1>
      <p className="lead">{t("order.intro")}</p>
      <FormMessage reply={reply} id={form.errorId} />

      <Form method="post" {...getFormProps(form)} className="form card">
        <input type="hidden" name="intent" value="review" />
        <input {...getInputProps(fields.kind, { type: "hidden" })} />
        <input {...getInputProps(fields.licenceId, { type: "hidden" })} />
        {start.organisations.length > 1 ? (
          <SelectField
            field={fields.organisationId}
            label={t("order.organisation")}
            options={start.organisations.map((o) => ({ value: String(o.id), label: o.name }))}
          />
        ) : (
          <input {...getInputProps(fields.organisationId, { type: "hidden" })} />
        )}

        {start.values.kind === "extraSeats" ? (
          <>
            <p>{start.licence ? t("order.seatsHint", { end: formatDay(language, start.licence.endsOn) }) : null}</p>
            <Field field={fields.seats} label={t("order.seats")} type="text" />
          </>
        ) : (
          <>
            <SelectField
              field={fields.planSlug}
              label={t("order.plan")}
              options={start.plans.map((plan) => ({
                value: plan.slug,
                label: t("order.planOption", { plan: plan.name, price: formatKroner(plan.listPriceOre) }),
              }))}
            />
            <Field field={fields.startsOn} label={t("order.startsOn")} hint={t("order.startsOnHint")} type="date" />
          </>
        )}
        <Field field={fields.discountCode} label={t("order.discountCode")} type="text" autoComplete="off" />

        <h2>{t("order.buyerHeading")}</h2>
        <OrganisationFields fields={fields} />

        <h2>{t("order.invoiceHeading")}</h2>
        <Field field={fields.ean} label={t("order.ean")} hint={t("order.eanHint")} type="text" />
        <Field field={fields.orderReference} label={t("order.orderReference")} type="text" autoComplete="off" />
        <Field
          field={fields.personReference}
          label={t("order.personReference")}
          hint={t("order.personReferenceHint")}
          type="text"
        />
        <SubmitButton>{t("order.review")}</SubmitButton>
      </Form>

      {summary ? (
        <section className="card order-summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading" ref={summaryHeading} tabIndex={-1}>
            {t("order.summaryHeading")}
          </h2>
          <OrderSummaryTable
            order={summary}
            discount={summary.discount ? { label: summary.discount.label, listNetOre: summary.listNetOre } : null}
          />
          <p>{t("order.summaryPayment", { ean: summary.values.ean })}</p>

          {/* A document submission, so the quote downloads as a file and the order lands on its own page. */}
          <Form method="post" reloadDocument className="form">
            {SUMMARY_FIELDS.map((name) => {
              const value = summary.values[name];
              return value === undefined ? null : <input key={name} type="hidden" name={name} value={String(value)} />;
            })}
            <input type="hidden" name="requestKey" value={start.requestKey} />
            <h3>{t("order.termsHeading")}</h3>
            <p>{t("order.termsText")}</p>
            <div className="checkbox">
              <input type="checkbox" id="acceptTerms" name="acceptTerms" required />
              <label htmlFor="acceptTerms">{t("order.terms")}</label>
            </div>
            <div className="button-row">
              <button
                type="submit"
                name="intent"
                value="quote"
                className="button button--secondary"
                formAction={`/administration/tilbud.pdf${location.search}`}
                formNoValidate
              >
                {t("order.quote")}
              </button>
              <button type="submit" name="intent" value="place" className="button">
                {t("order.place")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
