/**
 * The invoice the platform issues, as one plain object that both the OIOUBL XML and the PDF are
 * made from, and the rules it must meet before either is: what NemHandel or a public buyer would
 * otherwise reject.
 */
import { formatAmountForXml, vatOf, VAT_RATE_PERCENT, type Ore } from "~/billing/money";
import { parseIsoDate } from "~/i18n/dates";
import { isValidCvr, isValidEan } from "~/licensing/danish-ids";

export type OioublParty = {
  name: string;
  cvr: string;
  /** The street alone ("Vesterbrogade"): OIOUBL's StructuredDK address keeps street and number apart. */
  streetName: string;
  /** House number with any letter or floor ("12A", "12, 2. th."). */
  buildingNumber: string;
  postalCode: string;
  city: string;
  countryCode: "DK";
  email?: string;
  phone?: string;
};

export type OioublInvoiceLine = {
  id: string;
  description: string;
  /** Short item name; defaults to the description. */
  name?: string;
  quantity: number;
  /** UN/ECE Recommendation 20 unit code; "EA" (each) fits seats. */
  unitCode: string;
  unitPriceOre: Ore;
  lineNetOre: Ore;
  period?: { start: string; end: string };
};

export type OioublInvoice = {
  number: string;
  /** YYYY-MM-DD */
  issueDate: string;
  /** YYYY-MM-DD, at most 30 days after the issue date. */
  dueDate: string;
  /** The municipality's order or requisition number. */
  orderReference: string;
  orderDate?: string;
  note?: string;
  seller: OioublParty & { bankRegNo: string; bankAccountNo: string; contactName?: string };
  buyer: OioublParty & {
    /** The receiving unit's EAN (GLN) location number, to which NemHandel routes the invoice. */
    ean: string;
    /** The buyer's contact person (OIOUBL "personreference"). */
    personReference: string;
    contactEmail?: string;
  };
  lines: OioublInvoiceLine[];
  totals: { netOre: Ore; vatOre: Ore; grossOre: Ore };
};

/** Public authorities may not be given longer credit than this. */
export const MAX_PAYMENT_DAYS = 30;

export const INVOICE_CURRENCY = "DKK";
// Quantities are checked in thousandths so that line amounts can be verified with integers only.
export const QUANTITY_SCALE = 1000;

function requireText(value: string | undefined, field: string): void {
  if (value === undefined || value.trim() === "") throw new Error(`${field} must not be empty`);
}

function checkParty(party: OioublParty, role: string): void {
  requireText(party.name, `${role} name`);
  if (!isValidCvr(party.cvr)) throw new Error(`${role} CVR "${party.cvr}" is not a valid CVR number`);
  requireText(party.streetName, `${role} street name`);
  requireText(party.buildingNumber, `${role} building number`);
  if (!/^\d{4}$/.test(party.postalCode))
    throw new Error(`${role} postal code must be 4 digits, got "${party.postalCode}"`);
  requireText(party.city, `${role} city`);
  if (party.countryCode !== "DK") throw new Error(`${role} must be in Denmark`);
}

function quantityInThousandths(quantity: number, lineId: string): bigint {
  const scaled = Math.round(quantity * QUANTITY_SCALE);
  if (!(quantity > 0) || Math.abs(scaled - quantity * QUANTITY_SCALE) > 1e-6 || !Number.isSafeInteger(scaled)) {
    throw new Error(`line ${lineId}: quantity must be positive with at most three decimals, got ${quantity}`);
  }
  return BigInt(scaled);
}

/** Throws a descriptive Error for the first problem that NemHandel or the buyer would reject. */
export function validateOioublInvoice(invoice: OioublInvoice): void {
  requireText(invoice.number, "invoice number");
  requireText(invoice.orderReference, "order reference");
  requireText(invoice.buyer.personReference, "buyer person reference");
  const issued = parseIsoDate(invoice.issueDate, "issue date");
  const due = parseIsoDate(invoice.dueDate, "due date");
  if (invoice.orderDate !== undefined) parseIsoDate(invoice.orderDate, "order date");
  const days = (due - issued) / 86_400_000;
  if (days < 0) throw new Error(`due date ${invoice.dueDate} is before issue date ${invoice.issueDate}`);
  if (days > MAX_PAYMENT_DAYS) {
    throw new Error(
      `due date ${invoice.dueDate} is ${days} days after issue; public buyers allow at most ${MAX_PAYMENT_DAYS}`,
    );
  }

  checkParty(invoice.seller, "seller");
  checkParty(invoice.buyer, "buyer");
  if (!isValidEan(invoice.buyer.ean)) throw new Error(`buyer EAN "${invoice.buyer.ean}" is not a valid EAN/GLN number`);
  if (!/^\d{4}$/.test(invoice.seller.bankRegNo)) throw new Error("seller bank registration number must be 4 digits");
  if (!/^\d{1,10}$/.test(invoice.seller.bankAccountNo))
    throw new Error("seller bank account number must be 1–10 digits");

  if (invoice.lines.length === 0) throw new Error("an invoice needs at least one line");
  const lineIds = new Set<string>();
  let netSum = 0;
  for (const line of invoice.lines) {
    requireText(line.id, "line id");
    if (lineIds.has(line.id)) throw new Error(`line id ${line.id} is used twice`);
    lineIds.add(line.id);
    requireText(line.description, `line ${line.id} description`);
    if (!/^[A-Z0-9]{1,3}$/.test(line.unitCode))
      throw new Error(`line ${line.id}: "${line.unitCode}" is not a UN/ECE unit code`);
    for (const [field, value] of [
      ["unit price", line.unitPriceOre],
      ["line net", line.lineNetOre],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new Error(`line ${line.id}: ${field} must be a non-negative whole number of øre`);
    }
    const exact = quantityInThousandths(line.quantity, line.id) * BigInt(line.unitPriceOre);
    const rounded = (exact * 2n + BigInt(QUANTITY_SCALE)) / BigInt(2 * QUANTITY_SCALE);
    if (rounded !== BigInt(line.lineNetOre)) {
      throw new Error(
        `line ${line.id}: ${line.quantity} × ${formatAmountForXml(line.unitPriceOre)} is not ${formatAmountForXml(line.lineNetOre)}`,
      );
    }
    if (line.period) {
      if (
        parseIsoDate(line.period.end, `line ${line.id} period end`) <
        parseIsoDate(line.period.start, `line ${line.id} period start`)
      ) {
        throw new Error(`line ${line.id}: period ends before it starts`);
      }
    }
    netSum += line.lineNetOre;
  }

  const { netOre, vatOre, grossOre } = invoice.totals;
  if (netOre !== netSum)
    throw new Error(
      `net total ${formatAmountForXml(netOre)} is not the sum of the lines, ${formatAmountForXml(netSum)}`,
    );
  const expectedVat = vatOf(netSum);
  if (vatOre !== expectedVat)
    throw new Error(
      `VAT ${formatAmountForXml(vatOre)} is not ${VAT_RATE_PERCENT} % of the net total, ${formatAmountForXml(expectedVat)}`,
    );
  if (grossOre !== netOre + vatOre)
    throw new Error(
      `gross total ${formatAmountForXml(grossOre)} is not net + VAT, ${formatAmountForXml(netOre + vatOre)}`,
    );
}
