import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { allInvoices } from "~/billing/invoices.server";
import { markInvoicePaid } from "~/billing/providers.server";
import { formatKroner } from "~/billing/money";
import { markPaidSchema } from "~/billing/forms";
import { FormMessage } from "~/components/form-message";
import { InvoiceFiles } from "~/components/invoice-files";
import { formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { ScrollingTable } from "~/components/scrolling-table";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "billing.ownerTitle") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  return json({ invoices: allInvoices() }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = { markPaid: markPaidSchema } as const;

/** Each invoice's row has its own form, so what happened to an invoice is said in its row. */
export async function action({ request }: ActionFunctionArgs) {
  await requireOwner(request);
  const form = await readForm(request);
  const submission = parseSubmission(form, schemas[formIntent(form, schemas)]);
  // The button sends only the id the page wrote.
  invariantResponse(submission.status === "success", "error.unreadableForm");
  const { invoiceId } = submission.value;
  const formId = `invoice-${invoiceId}`;
  const marked = await markInvoicePaid(invoiceId).catch((error: unknown) => {
    console.error(`Faktura ${invoiceId} kunne ikke markeres som betalt:`, error);
    return { status: "unreachable" } as const;
  });
  invariantResponse(marked.status !== "notFound", "notFound.invoice", { status: 404 });
  if (marked.status === "unreachable")
    return replyToForm(formId, submission, { refusal: "refusal.paymentSystemDown", status: 502 });
  if (marked.status === "notPayable") return replyToForm(formId, submission, { refusal: "refusal.invoiceNotPayable" });
  return replyToForm(formId, submission, { notice: { key: "billing.markedPaid", values: { number: marked.number } } });
}

export default function OwnerInvoices() {
  const t = useT();
  const language = useLanguage();
  const { invoices } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("billing.ownerTitle")}</h1>
      <p className="lead">{t("billing.ownerIntro")}</p>
      <ScrollingTable label={t("billing.ownerTitle")}>
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
                {invoice.lastError ? (
                  <span className="course-card__meta"> · {t("billing.lastError", { error: invoice.lastError })}</span>
                ) : null}
              </td>
              <td>
                <FormMessage formId={`invoice-${invoice.id}`} />
                {invoice.number ? <InvoiceFiles invoice={{ id: invoice.id, number: invoice.number }} /> : null}
                {invoice.number && !["paid", "void"].includes(invoice.status) ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="markPaid" />
                    <input type="hidden" name="invoiceId" value={invoice.id} />
                    <button
                      type="submit"
                      className="link-button"
                      aria-label={t("billing.markPaidFor", { number: invoice.number })}
                    >
                      {t("billing.markPaid")}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollingTable>
    </div>
  );
}
