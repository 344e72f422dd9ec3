import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { allInvoices } from "~/billing/invoices.server";
import { markInvoicePaid } from "~/billing/providers.server";
import { formatKroner } from "~/billing/money";
import { InvoiceFiles } from "~/components/invoice-files";
import { formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { invariantResponse, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "billing.ownerTitle") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  return json({ invoices: allInvoices() }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireOwner(request);
  const invoiceId = Number((await readForm(request)).get("invoiceId"));
  invariantResponse(Number.isSafeInteger(invoiceId) && invoiceId > 0, "Vælg en faktura.");
  const marked = await markInvoicePaid(invoiceId).catch((error: unknown) => {
    console.error(`Faktura ${invoiceId} kunne ikke markeres som betalt:`, error);
    return { status: "unreachable" } as const;
  });
  invariantResponse(marked.status !== "unreachable", "Betalingssystemet svarer ikke lige nu. Prøv igen om lidt.", { status: 502 });
  invariantResponse(marked.status !== "notFound", "Fakturaen findes ikke.", { status: 404 });
  invariantResponse(marked.status !== "notPayable", "Fakturaen kan ikke markeres som betalt, fordi den ikke er udstedt, eller fordi den er annulleret.", { status: 409 });
  return json({ markedPaid: marked.number });
}

export default function OwnerInvoices() {
  const t = useT();
  const language = useLanguage();
  const { invoices } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t("billing.ownerTitle")}</h1>
      <p className="lead">{t("billing.ownerIntro")}</p>
      {data?.markedPaid ? (
        <p className="notice" role="status">
          {t("billing.markedPaid", { number: data.markedPaid })}
        </p>
      ) : null}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t("billing.ownerTitle")}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("billing.column.number")}</th>
              <th scope="col">{t("billing.column.organisation")}</th>
              <th scope="col">{t("billing.column.issued")}</th>
              <th scope="col">{t("billing.column.due")}</th>
              <th scope="col">{t("billing.column.total")}</th>
              <th scope="col">{t("billing.column.status")}</th>
              <th scope="col">{t("billing.column.files")}</th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((invoice) => (
              <tr key={invoice.id}>
                <td>{invoice.number ?? "–"}</td>
                <td>
                  {invoice.organisationName}
                  <br />
                  <span className="course-card__meta">{invoice.orderReference}</span>
                </td>
                <td>{formatDay(language, invoice.issueDate)}</td>
                <td>{formatDay(language, invoice.dueDate)}</td>
                <td className="amount">{formatKroner(invoice.grossOre)}</td>
                <td>
                  {t(`billing.status.${invoice.status}`)}
                  {invoice.lastError ? <span className="course-card__meta"> · {t("billing.lastError", { error: invoice.lastError })}</span> : null}
                </td>
                <td>
                  {invoice.number ? (
                    <InvoiceFiles invoice={{ id: invoice.id, number: invoice.number }} />
                  ) : null}
                  {invoice.number && !["paid", "void"].includes(invoice.status) ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="invoiceId" value={invoice.id} />
                      <button type="submit" className="link-button" aria-label={t("billing.markPaidFor", { number: invoice.number })}>
                        {t("billing.markPaid")}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
