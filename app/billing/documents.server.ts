import { eq } from "drizzle-orm";
import { organisations } from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { invariantResponse, privateFileHeaders } from "~/utils/http.server";
import { invoiceDocument, invoiceVisibleTo, PAYMENT_DAYS } from "./invoices.server";
import type { OioublInvoice } from "./oioubl-invoice.server";
import { buildOioublInvoice } from "./oioubl.server";
import type { PreparedOrder } from "./orders.server";
import { renderInvoicePdf } from "./pdf.server";
import { seller } from "./seller.server";

/** The invoice behind a download URL, for its municipality's admins and the owner; 404 for anyone else. */
function downloadableInvoice(user: Pick<SessionUser, "id" | "platformRole">, invoiceIdParam: string | undefined) {
  const invoiceId = Number(invoiceIdParam);
  const invoice = Number.isSafeInteger(invoiceId) && invoiceId > 0 ? invoiceVisibleTo(user, invoiceId) : null;
  invariantResponse(invoice, "notFound.invoice", { status: 404 });
  const document = invoiceDocument(invoice.id);
  // A Stripe invoice has no number until Stripe has finalized it.
  invariantResponse(document, "refusal.invoiceNotIssued", { status: 409 });
  return { invoice, document };
}

const fileName = (number: string, extension: string) => `faktura-${number.replace(/[^\w-]/g, "_")}.${extension}`;

export async function invoicePdfResponse(
  user: Pick<SessionUser, "id" | "platformRole">,
  invoiceIdParam: string | undefined,
) {
  const { invoice, document } = downloadableInvoice(user, invoiceIdParam);
  const pdf = await renderInvoicePdf(document, {
    kind: "invoice",
    paidOn: invoice.paidAt ? danishDate(invoice.paidAt) : null,
  });
  return new Response(new Uint8Array(pdf), {
    headers: privateFileHeaders("application/pdf", fileName(document.number, "pdf")),
  });
}

export function invoiceXmlResponse(user: Pick<SessionUser, "id" | "platformRole">, invoiceIdParam: string | undefined) {
  const { document } = downloadableInvoice(user, invoiceIdParam);
  return new Response(buildOioublInvoice(document), {
    headers: privateFileHeaders("application/xml; charset=utf-8", fileName(document.number, "xml")),
  });
}

/** A quote (tilbud) for an order not yet placed: the same lines and totals the invoice will have. */
function quoteDocument({ form, priced }: PreparedOrder, now: Date): OioublInvoice {
  const today = danishDate(now);
  const buyerName =
    db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, form.organisationId)).get()
      ?.name ?? "";
  return {
    number: `T${today.replaceAll("-", "")}-${form.organisationId}`,
    issueDate: today,
    dueDate: shiftDays(today, PAYMENT_DAYS),
    orderReference: form.orderReference,
    seller: seller(),
    buyer: {
      name: buyerName,
      cvr: form.cvr,
      streetName: form.streetName,
      buildingNumber: form.buildingNumber,
      postalCode: form.postalCode,
      city: form.city,
      countryCode: "DK",
      email: form.invoiceEmail,
      ean: form.ean,
      personReference: form.personReference,
    },
    lines: priced.lines.map((line, index) => ({
      id: String(index + 1),
      description: line.description,
      quantity: line.quantity,
      unitCode: "EA",
      unitPriceOre: line.unitPriceOre,
      lineNetOre: line.lineNetOre,
      period: { start: line.periodStart, end: line.periodEnd },
    })),
    totals: { netOre: priced.netOre, vatOre: priced.vatOre, grossOre: priced.grossOre },
  };
}

export async function quotePdfResponse(order: PreparedOrder, now = new Date()) {
  const document = quoteDocument(order, now);
  const pdf = await renderInvoicePdf(document, { kind: "quote", validUntil: document.dueDate });
  return new Response(new Uint8Array(pdf), {
    headers: privateFileHeaders("application/pdf", `tilbud-${document.number}.pdf`),
  });
}
