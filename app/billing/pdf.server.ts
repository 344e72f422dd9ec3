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
 * - pdfkit's built-in Helvetica needs no font files of our own, but it can only print WinAnsi
 *   (Latin-1 and a few more), which covers Danish; other letters are approximated (ł → l, ş → s)
 *   because pdfkit would otherwise print garbage for them.
 * - The creation date is the issue date, so the same input always gives byte-identical PDFs.
 */
import PDFDocument from "pdfkit";
import { toWinAnsi } from "~/utils/pdf-text.server";
import { formatKroner, VAT_RATE_PERCENT } from "~/billing/money";
import { validateOioublInvoice, type OioublInvoice, type OioublParty } from "~/billing/oioubl-invoice.server";
import { parseIsoDate } from "~/i18n/dates";
import { intlLocale, type Language } from "~/i18n/i18n";

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

type Terms = {
  number: string;
  gross: string;
  vat: string;
  due: string;
  validUntil: string;
  paidOn: string | null;
  regNo: string;
  accountNo: string;
  ean: string;
  paymentDays: number;
};

type Copy = {
  title: Record<PdfDocumentKind, string>;
  number: Record<PdfDocumentKind, string>;
  issued: Record<PdfDocumentKind, string>;
  due: string;
  validUntil: string;
  orderDate: string;
  customer: string;
  cvr: string;
  ean: string;
  orderReference: string;
  personReference: string;
  email: string;
  phone: string;
  columns: { description: string; period: string; quantity: string; unitPrice: string; amount: string };
  range: (start: string, end: string) => string;
  net: string;
  vat: string;
  gross: string;
  paid: (date: string) => string;
  page: (page: number, pages: number) => string;
  termsHeading: Record<PdfDocumentKind, string>;
  invoiceTerms: (terms: Terms) => string[];
  quoteTerms: (terms: Terms) => string[];
};

const COPY: Record<Language, Copy> = {
  da: {
    title: { invoice: "Faktura", quote: "Tilbud" },
    number: { invoice: "Fakturanr.", quote: "Tilbudsnr." },
    issued: { invoice: "Fakturadato", quote: "Tilbudsdato" },
    due: "Betalingsfrist",
    validUntil: "Gyldigt til",
    orderDate: "Ordredato",
    customer: "Kunde",
    cvr: "CVR-nr.",
    ean: "EAN-nr.",
    orderReference: "Ordre-/rekvisitionsnr.",
    personReference: "Personreference",
    email: "E-mail",
    phone: "Tlf.",
    columns: {
      description: "Beskrivelse",
      period: "Periode",
      quantity: "Antal",
      unitPrice: "Enhedspris",
      amount: "Beløb",
    },
    range: (start, end) => `${start}–${end}`,
    net: "Beløb ekskl. moms",
    vat: `Moms ${VAT_RATE_PERCENT} %`,
    gross: "I alt inkl. moms",
    paid: (date) => `Betalt ${date}`,
    page: (page, pages) => `Side ${page} af ${pages}`,
    termsHeading: { invoice: "Betaling", quote: "Om tilbuddet" },
    invoiceTerms: (t) =>
      t.paidOn
        ? [
            `Fakturaen er betalt ${t.paidOn}. Tak for betalingen.`,
            `Fakturaen er også sendt elektronisk via NemHandel (OIOUBL) til EAN-nr. ${t.ean}.`,
          ]
        : [
            `Beløbet på ${t.gross} bedes overført senest ${t.due} til Reg.nr. ${t.regNo} Kontonr. ${t.accountNo}. ` +
              `Skriv fakturanr. ${t.number} i tekstfeltet til modtageren, så betalingen kan genkendes.`,
            `Fakturaen sendes også elektronisk via NemHandel (OIOUBL) til EAN-nr. ${t.ean}. ` +
              "Det er den samme faktura, så den skal kun betales én gang.",
          ],
    quoteTerms: (t) => [
      `Dette er et tilbud og ikke en faktura – der skal ikke betales noget nu. Tilbuddet er gyldigt til og med ${t.validUntil}.`,
      `Priserne er ekskl. moms. Med ${VAT_RATE_PERCENT} % moms (${t.vat}) er prisen i alt ${t.gross} inkl. moms.`,
      `Ved accept sender vi en faktura elektronisk via NemHandel (OIOUBL) til EAN-nr. ${t.ean} ` +
        `med ${t.paymentDays} ${t.paymentDays === 1 ? "dags" : "dages"} betalingsfrist.`,
    ],
  },
  en: {
    title: { invoice: "Invoice", quote: "Quote" },
    number: { invoice: "Invoice no.", quote: "Quote no." },
    issued: { invoice: "Invoice date", quote: "Quote date" },
    due: "Due date",
    validUntil: "Valid until",
    orderDate: "Order date",
    customer: "Customer",
    cvr: "CVR no.",
    ean: "EAN no.",
    orderReference: "Order/requisition no.",
    personReference: "Person reference",
    email: "Email",
    phone: "Phone",
    columns: {
      description: "Description",
      period: "Period",
      quantity: "Qty",
      unitPrice: "Unit price",
      amount: "Amount",
    },
    // Spelt-out dates are too wide for one line, so the range may only break between the two dates.
    range: (start, end) => `${start.replaceAll(" ", "\u00a0")} – ${end.replaceAll(" ", "\u00a0")}`,
    net: "Subtotal excl. VAT",
    vat: `VAT ${VAT_RATE_PERCENT}%`,
    gross: "Total incl. VAT",
    paid: (date) => `Paid ${date}`,
    page: (page, pages) => `Page ${page} of ${pages}`,
    termsHeading: { invoice: "Payment", quote: "About this quote" },
    invoiceTerms: (t) =>
      t.paidOn
        ? [
            `This invoice was paid on ${t.paidOn}. Thank you.`,
            `It has also been sent electronically via NemHandel (OIOUBL) to EAN ${t.ean}.`,
          ]
        : [
            `Please transfer ${t.gross} by ${t.due} to bank reg. no. ${t.regNo}, account no. ${t.accountNo}, ` +
              `quoting invoice no. ${t.number} so that we can match the payment.`,
            `This invoice is also sent electronically via NemHandel (OIOUBL) to EAN ${t.ean}. ` +
              "It is the same invoice, so please pay it only once.",
          ],
    quoteTerms: (t) => [
      `This is a quote, not an invoice – nothing is payable now. The quote is valid until ${t.validUntil} inclusive.`,
      `Prices are excl. VAT. With ${VAT_RATE_PERCENT}% VAT (${t.vat}) the total is ${t.gross} incl. VAT.`,
      `On acceptance we send an invoice electronically via NemHandel (OIOUBL) to EAN ${t.ean}, ` +
        `payable within ${t.paymentDays} ${t.paymentDays === 1 ? "day" : "days"}.`,
    ],
  },
};

const FONT = { regular: "Helvetica", bold: "Helvetica-Bold" } as const;
const COLOR = {
  text: "#1b1f24",
  muted: "#5c6570",
  rule: "#cfd5dc",
  band: "#eef1f4",
  accent: "#1f3a5f",
  paid: "#1a7f37",
} as const;
const MARGIN = { top: 50, bottom: 64, left: 50, right: 50 } as const;
// The footer sits inside the bottom margin, where body text never goes.
const FOOTER_FROM_BOTTOM = 38;
const CELL_PADDING = { x: 5, y: 6 } as const;

// Danish readers expect 01.12.2026; English readers get the month spelt out, which no one misreads.
const DATE_STYLE: Record<Language, Intl.DateTimeFormatOptions> = {
  da: { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" },
  en: { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" },
};

type Doc = PDFKit.PDFDocument;
type TextStyle = { size?: number; bold?: boolean; color?: string };

function style(doc: Doc, { size = 9.5, bold = false, color = COLOR.text }: TextStyle): Doc {
  return doc
    .font(bold ? FONT.bold : FONT.regular)
    .fontSize(size)
    .fillColor(color);
}

/** Wrapped text in a box of the given width; returns the height it took. */
function paragraph(doc: Doc, text: string, x: number, y: number, width: number, textStyle: TextStyle = {}): number {
  const printable = toWinAnsi(text);
  style(doc, textStyle).text(printable, x, y, { width, lineGap: 1.5 });
  return doc.heightOfString(printable, { width, lineGap: 1.5 });
}

function measure(doc: Doc, text: string, width: number, textStyle: TextStyle = {}): number {
  return style(doc, textStyle).heightOfString(toWinAnsi(text), { width, lineGap: 1.5 });
}

/** One unwrapped line ending at `right`: amounts must never break across lines. */
function rightAligned(doc: Doc, text: string, right: number, y: number, textStyle: TextStyle = {}): void {
  const printable = toWinAnsi(text);
  style(doc, textStyle);
  doc.text(printable, right - doc.widthOfString(printable), y, { lineBreak: false });
}

function line(doc: Doc, x1: number, x2: number, y: number, color: string = COLOR.rule, width = 0.75): void {
  doc.moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke();
}

function addressLines(party: OioublParty): string[] {
  return [`${party.streetName} ${party.buildingNumber}`, `${party.postalCode} ${party.city}`];
}

/** Label/value rows; returns the y below the last row. */
function keyValues(
  doc: Doc,
  rows: Array<[string, string]>,
  x: number,
  y: number,
  labelWidth: number,
  valueWidth: number,
): number {
  let top = y;
  for (const [label, value] of rows) {
    paragraph(doc, label, x, top, labelWidth - 6, { size: 9, color: COLOR.muted });
    top +=
      Math.max(
        paragraph(doc, value, x + labelWidth, top, valueWidth, { size: 9 }),
        measure(doc, label, labelWidth - 6, { size: 9 }),
      ) + 3;
  }
  return top;
}

type Column = { title: string; width: number; align: "left" | "right" };

export async function renderInvoicePdf(invoice: OioublInvoice, options: PdfOptions): Promise<Buffer> {
  validateOioublInvoice(invoice);
  const language = options.language ?? "da";
  const copy = COPY[language];
  const kind = options.kind;
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
  const title = copy.title[kind];

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
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

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
    `${copy.cvr} ${seller.cvr}`,
    seller.email && `${copy.email} ${seller.email}`,
    seller.phone && `${copy.phone} ${seller.phone}`,
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
    [copy.number[kind], invoice.number],
    [copy.issued[kind], day(invoice.issueDate, "issue date")],
    validUntil === null
      ? [copy.due, day(invoice.dueDate, "due date")]
      : [copy.validUntil, day(validUntil, "valid-until date")],
  ];
  for (const [label, value] of metaRows) {
    paragraph(doc, label, metaLeft, metaTop, metaWidth / 2, { size: 9, color: COLOR.muted });
    rightAligned(doc, value, right, metaTop, { size: 9, bold: true });
    metaTop += 15;
  }
  if (paidOn !== null) {
    const stamp = copy.paid(paidOn);
    style(doc, { size: 13, bold: true });
    const stampWidth = doc.widthOfString(toWinAnsi(stamp)) + 24;
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
  paragraph(doc, copy.customer.toUpperCase(), left, y, half, { size: 8, bold: true, color: COLOR.muted });
  let buyerBottom = y + 13;
  buyerBottom += paragraph(doc, buyer.name, left, buyerBottom, half - 12, { size: 11, bold: true }) + 2;
  buyerBottom += paragraph(doc, addressLines(buyer).join("\n"), left, buyerBottom, half - 12);
  const references: Array<[string, string | undefined]> = [
    [copy.cvr, buyer.cvr],
    [copy.ean, buyer.ean],
    [copy.orderReference, invoice.orderReference],
    [copy.orderDate, invoice.orderDate && day(invoice.orderDate, "order date")],
    [copy.personReference, buyer.personReference],
    [copy.email, buyer.contactEmail ?? buyer.email],
  ];
  const presentReferences = references.filter((row): row is [string, string] => Boolean(row[1]));
  const referencesBottom = keyValues(doc, presentReferences, left + half, y + 13, 112, half - 112);
  y = Math.max(buyerBottom, referencesBottom) + 18;

  if (invoice.note?.trim()) {
    y += paragraph(doc, invoice.note, left, y, width, { size: 9.5, color: COLOR.muted }) + 12;
  }

  // Lines
  const fixed: Column[] = [
    { title: copy.columns.period, width: 110, align: "left" },
    { title: copy.columns.quantity, width: 42, align: "right" },
    { title: copy.columns.unitPrice, width: 74, align: "right" },
    { title: copy.columns.amount, width: 86, align: "right" },
  ];
  const columns: Column[] = [
    {
      title: copy.columns.description,
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
        ? copy.range(day(invoiceLine.period.start, "period start"), day(invoiceLine.period.end, "period end"))
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
    [copy.net, totals.netOre],
    [copy.vat, totals.vatOre],
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
  paragraph(doc, copy.gross, totalsLeft, y, 160, { size: 11, bold: true });
  rightAligned(doc, kroner(totals.grossOre), right - CELL_PADDING.x, y, { size: 11, bold: true });
  y += 16;
  line(doc, totalsLeft, right, y, COLOR.text, 1);
  y += 2.5;
  line(doc, totalsLeft, right, y, COLOR.text, 1);
  y += 26;

  // Payment instructions for an invoice, the terms of a quote.
  const terms: Terms = {
    number: invoice.number,
    gross: kroner(totals.grossOre),
    vat: kroner(totals.vatOre),
    due: day(invoice.dueDate, "due date"),
    validUntil: validUntil === null ? "" : day(validUntil, "valid-until date"),
    paidOn,
    regNo: seller.bankRegNo,
    accountNo: seller.bankAccountNo,
    ean: buyer.ean,
    paymentDays: Math.round((parseIsoDate(invoice.dueDate, "due date") - issued) / 86_400_000),
  };
  const termLines = kind === "invoice" ? copy.invoiceTerms(terms) : copy.quoteTerms(terms);
  const boxPadding = 14;
  const textWidth = width - 2 * boxPadding;
  const headingHeight = 17;
  const termsHeight =
    headingHeight + termLines.reduce((sum, text) => sum + measure(doc, text, textWidth) + 5, 0) - 5 + 2 * boxPadding;
  ensureSpace(termsHeight);
  doc.rect(left, y, width, termsHeight).fill(COLOR.band);
  doc.rect(left, y, 3, termsHeight).fill(COLOR.accent);
  let termsTop = y + boxPadding;
  paragraph(doc, copy.termsHeading[kind], left + boxPadding, termsTop, textWidth, {
    size: 10.5,
    bold: true,
    color: COLOR.accent,
  });
  termsTop += headingHeight;
  for (const text of termLines) termsTop += paragraph(doc, text, left + boxPadding, termsTop, textWidth) + 5;

  // Every page says whose document it is and which one, in case pages get separated.
  const pages = doc.bufferedPageRange();
  const footer = [seller.name, ...addressLines(seller), `${copy.cvr} ${seller.cvr}`].join(" · ");
  for (let index = 0; index < pages.count; index += 1) {
    doc.switchToPage(pages.start + index);
    const footerY = doc.page.height - FOOTER_FROM_BOTTOM;
    line(doc, left, right, footerY - 8);
    style(doc, { size: 7.5, color: COLOR.muted }).text(toWinAnsi(footer), left, footerY, { lineBreak: false });
    rightAligned(doc, `${title} ${invoice.number} · ${copy.page(index + 1, pages.count)}`, right, footerY, {
      size: 7.5,
      color: COLOR.muted,
    });
  }

  doc.end();
  return finished;
}
