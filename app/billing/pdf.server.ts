/**
 * Invoices and quotes as PDF: the copy people read, file and forward, while NemHandel processes
 * the OIOUBL XML built from the very same OioublInvoice.
 *
 * Choices worth knowing:
 * - The input is validated with validateOioublInvoice first, so the PDF can never show amounts,
 *   dates or identifiers that the XML would not.
 * - The options are a union on `kind`, so a quote cannot be marked paid and an invoice cannot get
 *   a validity date. A quote has no invoice number: its reference travels in invoice.number, and
 *   without `validUntil` it is valid until invoice.dueDate.
 * - Every word comes from the dictionaries (`invoicePdf.*`), so the PDF speaks the reader's
 *   language like the pages do; the drawing primitives are in ./pdf-layout.
 * - The creation date is the issue date, so the same input always gives byte-identical PDFs.
 */
import PDFDocument from "pdfkit";
import { collectPdf } from "~/utils/pdf.server";
import { formatKroner, VAT_RATE_PERCENT } from "~/billing/money";
import { validateOioublInvoice, type OioublInvoice, type OioublParty } from "~/billing/oioubl-invoice.server";
import { parseIsoDate } from "~/i18n/dates";
import type { MessageKey } from "~/i18n/da";
import { intlLocale, translator, type Language } from "~/i18n/i18n";
import {
  COLOR,
  keyValues,
  line,
  measure,
  paragraph,
  rightAligned,
  singleLine,
  widthOf,
  type TextStyle,
} from "./pdf-layout.server";

export type PdfOptions =
  | {
      kind: "invoice";
      language?: Language;
      /** YYYY-MM-DD; prints a clear "Betalt <date>" mark and replaces the payment instructions. */
      paidOn?: string | null;
    }
  | {
      kind: "quote";
      language?: Language;
      /** YYYY-MM-DD; defaults to invoice.dueDate. */
      validUntil?: string;
    };

export type PdfDocumentKind = PdfOptions["kind"];

/** The words that differ between an invoice and a quote. */
const KIND_COPY = {
  invoice: {
    title: "invoicePdf.invoice.title",
    number: "invoicePdf.invoice.number",
    issued: "invoicePdf.invoice.issued",
    termsHeading: "invoicePdf.invoice.termsHeading",
  },
  quote: {
    title: "invoicePdf.quote.title",
    number: "invoicePdf.quote.number",
    issued: "invoicePdf.quote.issued",
    termsHeading: "invoicePdf.quote.termsHeading",
  },
} as const satisfies Record<PdfDocumentKind, Record<string, MessageKey>>;

const MARGIN = { top: 50, bottom: 64, left: 50, right: 50 } as const;
// The footer sits inside the bottom margin, where body text never goes.
const FOOTER_FROM_BOTTOM = 38;
const CELL_PADDING = { x: 5, y: 6 } as const;

// Danish readers expect 01.12.2026; English readers get the month spelt out, which no one misreads.
const DATE_STYLE: Record<Language, Intl.DateTimeFormatOptions> = {
  da: { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" },
  en: { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" },
};

function addressLines(party: OioublParty): string[] {
  return [`${party.streetName} ${party.buildingNumber}`, `${party.postalCode} ${party.city}`];
}

/** Spelt-out dates are too wide for one line, so a range may only break between its two dates. */
function unbreakable(text: string): string {
  return text.replaceAll(" ", "\u00a0");
}

type Column = { title: string; width: number; align: "left" | "right" };

export async function renderInvoicePdf(invoice: OioublInvoice, options: PdfOptions): Promise<Buffer> {
  validateOioublInvoice(invoice);
  const language = options.language ?? "da";
  const t = translator(language);
  const kind = options.kind;
  const kindCopy = KIND_COPY[kind];
  const issued = parseIsoDate(invoice.issueDate, "issue date");
  const day = (iso: string, field: string) =>
    new Intl.DateTimeFormat(intlLocale(language), DATE_STYLE[language]).format(parseIsoDate(iso, field));
  const kroner = (ore: number) => formatKroner(ore, intlLocale(language));
  const validUntil = options.kind === "quote" ? (options.validUntil ?? invoice.dueDate) : null;
  if (validUntil !== null && parseIsoDate(validUntil, "valid-until date") < issued) {
    throw new Error(`the quote is valid until ${validUntil}, before its date ${invoice.issueDate}`);
  }
  const paidOn = options.kind === "invoice" && options.paidOn ? day(options.paidOn, "paid-on date") : null;
  const { seller, buyer, totals } = invoice;
  const title = t(kindCopy.title);

  const doc = new PDFDocument({
    size: "A4",
    margins: MARGIN,
    bufferPages: true,
    lang: intlLocale(language),
    displayTitle: true,
    info: {
      // Metadata is written as UTF-16, so unlike page text it keeps every character.
      Title: `${title} ${invoice.number}`,
      Author: seller.name,
      Subject: `${title} ${invoice.number} – ${buyer.name}`,
      CreationDate: new Date(issued),
    },
  });
  const finished = collectPdf(doc);

  const left = MARGIN.left;
  const right = doc.page.width - MARGIN.right;
  const width = right - left;
  const bottom = doc.page.height - MARGIN.bottom;
  let y = MARGIN.top;
  const ensureSpace = (needed: number): boolean => {
    if (y + needed <= bottom) return false;
    doc.addPage();
    y = MARGIN.top;
    return true;
  };

  // Seller on the left, document title and key dates on the right.
  const sellerWidth = width * 0.5;
  let sellerBottom =
    y + paragraph(doc, seller.name, left, y, sellerWidth, { size: 15, bold: true, color: COLOR.accent }) + 4;
  const sellerDetails = [
    ...addressLines(seller),
    `${t("invoicePdf.cvr")} ${seller.cvr}`,
    seller.email && `${t("invoicePdf.email")} ${seller.email}`,
    seller.phone && `${t("invoicePdf.phone")} ${seller.phone}`,
  ].filter(Boolean);
  sellerBottom += paragraph(doc, sellerDetails.join("\n"), left, sellerBottom, sellerWidth, {
    size: 9,
    color: COLOR.muted,
  });

  const metaWidth = 215;
  const metaLeft = right - metaWidth;
  rightAligned(doc, title, right, y - 2, { size: 24, bold: true, color: COLOR.accent });
  let metaTop = y + 36;
  const metaRows: Array<[string, string]> = [
    [t(kindCopy.number), invoice.number],
    [t(kindCopy.issued), day(invoice.issueDate, "issue date")],
    validUntil === null
      ? [t("invoicePdf.due"), day(invoice.dueDate, "due date")]
      : [t("invoicePdf.validUntil"), day(validUntil, "valid-until date")],
  ];
  for (const [label, value] of metaRows) {
    paragraph(doc, label, metaLeft, metaTop, metaWidth / 2, { size: 9, color: COLOR.muted });
    rightAligned(doc, value, right, metaTop, { size: 9, bold: true });
    metaTop += 15;
  }
  if (paidOn !== null) {
    const stamp = t("invoicePdf.paid", { date: paidOn });
    const stampWidth = widthOf(doc, stamp, { size: 13, bold: true }) + 24;
    metaTop += 6;
    doc
      .roundedRect(right - stampWidth, metaTop, stampWidth, 26, 4)
      .lineWidth(1.5)
      .strokeColor(COLOR.paid)
      .stroke();
    rightAligned(doc, stamp, right - 12, metaTop + 7, { size: 13, bold: true, color: COLOR.paid });
    metaTop += 26;
  }
  y = Math.max(sellerBottom, metaTop) + 18;
  line(doc, left, right, y);
  y += 14;

  // Buyer: name and address on the left, the references a municipality routes and books by on the right.
  const half = width / 2;
  paragraph(doc, t("invoicePdf.customer").toUpperCase(), left, y, half, { size: 8, bold: true, color: COLOR.muted });
  let buyerBottom = y + 13;
  buyerBottom += paragraph(doc, buyer.name, left, buyerBottom, half - 12, { size: 11, bold: true }) + 2;
  buyerBottom += paragraph(doc, addressLines(buyer).join("\n"), left, buyerBottom, half - 12);
  const references: Array<[string, string | undefined]> = [
    [t("invoicePdf.cvr"), buyer.cvr],
    [t("invoicePdf.ean"), buyer.ean],
    [t("invoicePdf.orderReference"), invoice.orderReference],
    [t("invoicePdf.orderDate"), invoice.orderDate && day(invoice.orderDate, "order date")],
    [t("invoicePdf.personReference"), buyer.personReference],
    [t("invoicePdf.email"), buyer.contactEmail ?? buyer.email],
  ];
  const presentReferences = references.filter((row): row is [string, string] => Boolean(row[1]));
  const referencesBottom = keyValues(doc, presentReferences, left + half, y + 13, 112, half - 112);
  y = Math.max(buyerBottom, referencesBottom) + 18;

  if (invoice.note?.trim()) {
    y += paragraph(doc, invoice.note, left, y, width, { size: 9.5, color: COLOR.muted }) + 12;
  }

  // Lines
  const fixed: Column[] = [
    { title: t("invoicePdf.column.period"), width: 110, align: "left" },
    { title: t("invoicePdf.column.quantity"), width: 42, align: "right" },
    { title: t("invoicePdf.column.unitPrice"), width: 74, align: "right" },
    { title: t("invoicePdf.column.amount"), width: 86, align: "right" },
  ];
  const columns: Column[] = [
    {
      title: t("invoicePdf.column.description"),
      width: width - fixed.reduce((sum, column) => sum + column.width, 0),
      align: "left",
    },
    ...fixed,
  ];
  const drawRow = (cells: string[], rowTop: number, textStyle: TextStyle): void => {
    let x = left;
    columns.forEach((column, index) => {
      const cell = cells[index] ?? "";
      if (column.align === "right")
        rightAligned(doc, cell, x + column.width - CELL_PADDING.x, rowTop + CELL_PADDING.y, textStyle);
      else
        paragraph(doc, cell, x + CELL_PADDING.x, rowTop + CELL_PADDING.y, column.width - 2 * CELL_PADDING.x, textStyle);
      x += column.width;
    });
  };
  const rowHeight = (cells: string[], textStyle: TextStyle): number =>
    Math.max(
      ...columns.map((column, index) => measure(doc, cells[index] ?? "", column.width - 2 * CELL_PADDING.x, textStyle)),
    ) +
    2 * CELL_PADDING.y;
  const headerStyle: TextStyle = { size: 8.5, bold: true };
  const headerCells = columns.map((column) => column.title);
  const drawHeader = (): void => {
    const height = rowHeight(headerCells, headerStyle);
    doc.rect(left, y, width, height).fill(COLOR.band);
    drawRow(headerCells, y, headerStyle);
    y += height;
  };

  const quantity = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 3 });
  const cellStyle: TextStyle = { size: 9 };
  ensureSpace(80);
  drawHeader();
  for (const invoiceLine of invoice.lines) {
    const cells = [
      invoiceLine.description,
      invoiceLine.period
        ? t("invoicePdf.range", {
            start: unbreakable(day(invoiceLine.period.start, "period start")),
            end: unbreakable(day(invoiceLine.period.end, "period end")),
          })
        : "–",
      quantity.format(invoiceLine.quantity),
      kroner(invoiceLine.unitPriceOre),
      kroner(invoiceLine.lineNetOre),
    ];
    const height = rowHeight(cells, cellStyle);
    if (ensureSpace(height)) drawHeader();
    drawRow(cells, y, cellStyle);
    y += height;
    line(doc, left, right, y);
  }

  // Totals, right-aligned under the amount column.
  const totalsRows: Array<[string, number]> = [
    [t("invoicePdf.net"), totals.netOre],
    [t("invoicePdf.vat", { percent: VAT_RATE_PERCENT }), totals.vatOre],
  ];
  ensureSpace(90);
  y += 10;
  const totalsLeft = right - 250;
  for (const [label, ore] of totalsRows) {
    paragraph(doc, label, totalsLeft, y, 150, { size: 9.5 });
    rightAligned(doc, kroner(ore), right - CELL_PADDING.x, y, { size: 9.5 });
    y += 17;
  }
  line(doc, totalsLeft, right, y, COLOR.text, 1);
  y += 7;
  paragraph(doc, t("invoicePdf.gross"), totalsLeft, y, 160, { size: 11, bold: true });
  rightAligned(doc, kroner(totals.grossOre), right - CELL_PADDING.x, y, { size: 11, bold: true });
  y += 16;
  line(doc, totalsLeft, right, y, COLOR.text, 1);
  y += 2.5;
  line(doc, totalsLeft, right, y, COLOR.text, 1);
  y += 26;

  // Payment instructions for an invoice, the terms of a quote.
  const paymentDays = Math.round((parseIsoDate(invoice.dueDate, "due date") - issued) / 86_400_000);
  const termLines =
    validUntil !== null
      ? [
          t("invoicePdf.quoteTerms.notInvoice", { validUntil: day(validUntil, "valid-until date") }),
          t("invoicePdf.quoteTerms.prices", {
            percent: VAT_RATE_PERCENT,
            vat: kroner(totals.vatOre),
            gross: kroner(totals.grossOre),
          }),
          t(paymentDays === 1 ? "invoicePdf.quoteTerms.acceptanceOne" : "invoicePdf.quoteTerms.acceptanceOther", {
            ean: buyer.ean,
            days: paymentDays,
          }),
        ]
      : paidOn !== null
        ? [t("invoicePdf.paidTerms.thanks", { paidOn }), t("invoicePdf.paidTerms.nemHandel", { ean: buyer.ean })]
        : [
            t("invoicePdf.payTerms.transfer", {
              gross: kroner(totals.grossOre),
              due: day(invoice.dueDate, "due date"),
              regNo: seller.bankRegNo,
              accountNo: seller.bankAccountNo,
              number: invoice.number,
            }),
            t("invoicePdf.payTerms.nemHandel", { ean: buyer.ean }),
          ];
  const boxPadding = 14;
  const textWidth = width - 2 * boxPadding;
  const headingHeight = 17;
  const termsHeight =
    headingHeight + termLines.reduce((sum, text) => sum + measure(doc, text, textWidth) + 5, 0) - 5 + 2 * boxPadding;
  ensureSpace(termsHeight);
  doc.rect(left, y, width, termsHeight).fill(COLOR.band);
  doc.rect(left, y, 3, termsHeight).fill(COLOR.accent);
  let termsTop = y + boxPadding;
  paragraph(doc, t(kindCopy.termsHeading), left + boxPadding, termsTop, textWidth, {
    size: 10.5,
    bold: true,
    color: COLOR.accent,
  });
  termsTop += headingHeight;
  for (const text of termLines) termsTop += paragraph(doc, text, left + boxPadding, termsTop, textWidth) + 5;

  // Every page says whose document it is and which one, in case pages get separated.
  const pages = doc.bufferedPageRange();
  const footer = [seller.name, ...addressLines(seller), `${t("invoicePdf.cvr")} ${seller.cvr}`].join(" · ");
  for (let index = 0; index < pages.count; index += 1) {
    doc.switchToPage(pages.start + index);
    const footerY = doc.page.height - FOOTER_FROM_BOTTOM;
    line(doc, left, right, footerY - 8);
    singleLine(doc, footer, left, footerY, { size: 7.5, color: COLOR.muted });
    rightAligned(
      doc,
      `${title} ${invoice.number} · ${t("invoicePdf.page", { page: index + 1, pages: pages.count })}`,
      right,
      footerY,
      {
        size: 7.5,
        color: COLOR.muted,
      },
    );
  }

  doc.end();
  return finished;
}
