import type { ReactNode } from "react";
import { formatKroner } from "~/billing/money";
import type { InvoiceSummary } from "~/billing/invoices.server";
import { FormMessage } from "~/components/form-message";
import { InvoiceFiles } from "~/components/invoice-files";
import { ScrollingTable } from "~/components/scrolling-table";
import { formatDay, useLanguage, useT } from "~/i18n/i18n";

type Invoice = Pick<
  InvoiceSummary,
  "id" | "number" | "orderReference" | "organisationName" | "issueDate" | "dueDate" | "grossOre" | "status"
> & {
  /** Why the invoice is still on its way, on the owner's list. */
  lastError?: string | null;
};

/** The form an invoice's row actions answer, shown in the row itself. */
export const invoiceFormId = (invoiceId: number) => `invoice-${invoiceId}`;

type Props<Row extends Invoice> = {
  label: string;
  invoices: Row[];
  /** On the owner's list of every municipality's invoices: whose invoice it is, with the order reference beneath. */
  showBuyer?: boolean;
  /** What the files cell says while an invoice has no number and so no files yet. */
  notIssued?: string;
  /** What may be done with one invoice, below its files, with the answer to it above them. */
  rowActions?: (invoice: Row) => ReactNode;
};

/** Invoices with their number, dates, amount, status and files: a licence's on /administration, all on /ejer/fakturaer. */
export function InvoiceTable<Row extends Invoice>({ label, invoices, showBuyer, notIssued, rowActions }: Props<Row>) {
  const t = useT();
  const language = useLanguage();
  return (
    <ScrollingTable label={label}>
      <thead>
        <tr>
          <th scope="col">{t("billing.column.number")}</th>
          <th scope="col">{t(showBuyer ? "billing.column.organisation" : "billing.column.order")}</th>
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
            {showBuyer ? (
              <td>
                {invoice.organisationName}
                <br />
                <span className="course-card__meta">{invoice.orderReference}</span>
              </td>
            ) : (
              <td>{invoice.orderReference}</td>
            )}
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
              {rowActions ? <FormMessage formId={invoiceFormId(invoice.id)} /> : null}
              {invoice.number ? <InvoiceFiles invoice={{ id: invoice.id, number: invoice.number }} /> : notIssued}
              {rowActions?.(invoice)}
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollingTable>
  );
}
