import { sendEmail } from "~/email/mailer.server";
import { getEnv } from "~/env.server";
import { formatDay, translator } from "~/i18n/i18n";
import { db } from "~/db.server";
import { invoiceDocument, recordInvoiceStatus } from "./invoices.server";
import { formatKroner } from "./money";
import { notifyInvoicePaid } from "./notices.server";
import type { BillingProvider } from "./providers.server";

/**
 * The platform's own invoicing: the invoice was numbered when the order was saved, so issuing
 * it is mailing the municipality's invoice address; the owner marks it paid by hand.
 */
export const manualProvider: BillingProvider = {
  name: "manual",

  async issue(invoiceId, now) {
    const document = invoiceDocument(invoiceId);
    if (!document) throw new Error(`Faktura ${invoiceId} findes ikke eller har intet nummer`);
    // Invoices to Danish public bodies are Danish documents, whatever language the admin reads.
    const t = translator("da");
    const link = `${getEnv().PUBLIC_URL}/administration`;
    await sendEmail({
      to: document.buyer.email ?? "",
      subject: t("billing.invoiceMailSubject", { number: document.number }),
      text: t("billing.invoiceMailBody", {
        buyer: document.buyer.name,
        number: document.number,
        total: formatKroner(document.totals.grossOre),
        due: formatDay("da", document.dueDate),
        reg: document.seller.bankRegNo,
        account: document.seller.bankAccountNo,
        ean: document.buyer.ean,
        link,
        seller: document.seller.name,
      }),
    });
    recordInvoiceStatus(db, invoiceId, "sent", now);
  },

  async markPaid(invoiceId, now) {
    if (recordInvoiceStatus(db, invoiceId, "paid", now)) await notifyInvoicePaid(invoiceId);
  },
};
