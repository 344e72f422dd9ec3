/**
 * OIOUBL 2.1 invoices (profile Procurement-BilSim-1.0) for NemHandel, written by hand so that
 * the output is fully deterministic and depends on no XML library.
 *
 * Element order follows the UBL 2.1 Invoice schema (a schema-valid document is required before
 * NemHandel even looks at the OIOUBL rules), and the scheme/list attributes are the ones the
 * OIOUBL 2.1 schematron checks.
 */
import { createHash } from "node:crypto";
import { formatAmountForXml, vatOf, VAT_RATE_PERCENT, type Ore } from "~/billing/money";
import { isValidCvr, isValidEan } from "~/licensing/danish-ids";
import { withXmlSafeCharacters } from "~/utils/form-schema";

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

const CURRENCY = "DKK";
// Quantities are checked in thousandths so that line amounts can be verified with integers only.
const QUANTITY_SCALE = 1000;

/**
 * Text as XML character data or an attribute value. The forms refuse characters XML 1.0 cannot
 * carry at all (safeLine), but a row saved before they did, or a value from elsewhere, must not
 * make a document NemHandel rejects: such characters are replaced, and the invoice stays whole.
 */
export function escapeXml(text: string): string {
  return withXmlSafeCharacters(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

function parseDate(value: string, field: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // Round-tripping catches dates such as 2027-02-30 that Date.UTC would silently roll over.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new Error(`${field} must be a date written YYYY-MM-DD, got "${value}"`);
  }
  return time;
}

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
  const issued = parseDate(invoice.issueDate, "issue date");
  const due = parseDate(invoice.dueDate, "due date");
  if (invoice.orderDate !== undefined) parseDate(invoice.orderDate, "order date");
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
        parseDate(line.period.end, `line ${line.id} period end`) <
        parseDate(line.period.start, `line ${line.id} period start`)
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

/**
 * A stable UUID (version 5 layout) from the seller's CVR and the invoice number: OIOUBL wants a
 * UUID on every document, and re-generating the same invoice must give byte-identical XML.
 */
function invoiceUuid(sellerCvr: string, invoiceNumber: string): string {
  const bytes = createHash("sha1").update(`rettidig-invoice:${sellerCvr}:${invoiceNumber}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function formatQuantity(quantity: number): string {
  const thousandths = Math.round(quantity * QUANTITY_SCALE);
  const whole = Math.trunc(thousandths / QUANTITY_SCALE);
  const fraction = thousandths % QUANTITY_SCALE;
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(3, "0").replace(/0+$/, "")}`;
}

class XmlWriter {
  private readonly out: string[] = [];
  private depth = 0;

  open(tag: string, attributes: Record<string, string> = {}): this {
    this.out.push(`${"  ".repeat(this.depth)}<${tag}${renderAttributes(attributes)}>`);
    this.depth += 1;
    return this;
  }

  close(tag: string): this {
    this.depth -= 1;
    this.out.push(`${"  ".repeat(this.depth)}</${tag}>`);
    return this;
  }

  text(tag: string, value: string, attributes: Record<string, string> = {}): this {
    this.out.push(`${"  ".repeat(this.depth)}<${tag}${renderAttributes(attributes)}>${escapeXml(value)}</${tag}>`);
    return this;
  }

  optionalText(tag: string, value: string | undefined): this {
    return value === undefined || value.trim() === "" ? this : this.text(tag, value);
  }

  amount(tag: string, ore: Ore): this {
    return this.text(tag, formatAmountForXml(ore), { currencyID: CURRENCY });
  }

  toString(): string {
    return `${this.out.join("\n")}\n`;
  }
}

function renderAttributes(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join("");
}

// The agency/list attributes below are the values the OIOUBL 2.1 schematron checks for.
const DK_CVR = { schemeAgencyID: "320", schemeID: "DK:CVR" } as const;
const GLN = { schemeAgencyID: "9", schemeID: "GLN" } as const;

function writeAddress(xml: XmlWriter, party: OioublParty): void {
  xml
    .open("cac:PostalAddress")
    .text("cbc:AddressFormatCode", "StructuredDK", {
      listAgencyID: "320",
      listID: "urn:oioubl:codelist:addressformatcode-1.1",
    })
    .text("cbc:StreetName", party.streetName)
    .text("cbc:BuildingNumber", party.buildingNumber)
    .text("cbc:CityName", party.city)
    .text("cbc:PostalZone", party.postalCode)
    .open("cac:Country")
    .text("cbc:IdentificationCode", party.countryCode)
    .close("cac:Country")
    .close("cac:PostalAddress");
}

function writeTaxScheme(xml: XmlWriter): void {
  xml
    .open("cac:TaxScheme")
    .text("cbc:ID", "63", { schemeAgencyID: "320", schemeID: "urn:oioubl:id:taxschemeid-1.5" })
    .text("cbc:Name", "Moms")
    .close("cac:TaxScheme");
}

function writeTaxCategory(xml: XmlWriter): void {
  xml
    .open("cac:TaxCategory")
    .text("cbc:ID", "StandardRated", { schemeAgencyID: "320", schemeID: "urn:oioubl:id:taxcategoryid-1.1" })
    .text("cbc:Percent", String(VAT_RATE_PERCENT));
  writeTaxScheme(xml);
  xml.close("cac:TaxCategory");
}

function writeTaxTotal(xml: XmlWriter, netOre: Ore, vatOre: Ore): void {
  xml
    .open("cac:TaxTotal")
    .amount("cbc:TaxAmount", vatOre)
    .open("cac:TaxSubtotal")
    .amount("cbc:TaxableAmount", netOre)
    .amount("cbc:TaxAmount", vatOre);
  writeTaxCategory(xml);
  xml.close("cac:TaxSubtotal").close("cac:TaxTotal");
}

/** The invoice as OIOUBL 2.1 XML (UTF-8); throws if the input would not make a valid invoice. */
export function buildOioublInvoice(invoice: OioublInvoice): string {
  validateOioublInvoice(invoice);
  const { seller, buyer, totals } = invoice;
  const xml = new XmlWriter();

  xml
    .open("Invoice", {
      xmlns: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
      "xmlns:cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "xmlns:cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    })
    .text("cbc:UBLVersionID", "2.1")
    .text("cbc:CustomizationID", "OIOUBL-2.1")
    .text("cbc:ProfileID", "Procurement-BilSim-1.0", { schemeAgencyID: "320", schemeID: "urn:oioubl:id:profileid-1.6" })
    .text("cbc:ID", invoice.number)
    .text("cbc:CopyIndicator", "false")
    .text("cbc:UUID", invoiceUuid(seller.cvr, invoice.number))
    .text("cbc:IssueDate", invoice.issueDate)
    .text("cbc:InvoiceTypeCode", "380", { listAgencyID: "320", listID: "urn:oioubl:codelist:invoicetypecode-1.2" })
    .optionalText("cbc:Note", invoice.note)
    .text("cbc:DocumentCurrencyCode", CURRENCY);

  xml
    .open("cac:OrderReference")
    .text("cbc:ID", invoice.orderReference)
    .optionalText("cbc:IssueDate", invoice.orderDate)
    .close("cac:OrderReference");

  xml
    .open("cac:AccountingSupplierParty")
    .open("cac:Party")
    .text("cbc:EndpointID", `DK${seller.cvr}`, DK_CVR)
    .open("cac:PartyIdentification")
    .text("cbc:ID", `DK${seller.cvr}`, DK_CVR)
    .close("cac:PartyIdentification")
    .open("cac:PartyName")
    .text("cbc:Name", seller.name)
    .close("cac:PartyName");
  writeAddress(xml, seller);
  xml.open("cac:PartyTaxScheme").text("cbc:CompanyID", `DK${seller.cvr}`, { schemeAgencyID: "320", schemeID: "DK:SE" });
  writeTaxScheme(xml);
  xml
    .close("cac:PartyTaxScheme")
    .open("cac:PartyLegalEntity")
    .text("cbc:RegistrationName", seller.name)
    .text("cbc:CompanyID", `DK${seller.cvr}`, DK_CVR)
    .close("cac:PartyLegalEntity");
  if (seller.contactName || seller.phone || seller.email) {
    xml
      .open("cac:Contact")
      .text("cbc:ID", "1")
      .optionalText("cbc:Name", seller.contactName)
      .optionalText("cbc:Telephone", seller.phone)
      .optionalText("cbc:ElectronicMail", seller.email)
      .close("cac:Contact");
  }
  xml.close("cac:Party").close("cac:AccountingSupplierParty");

  xml
    .open("cac:AccountingCustomerParty")
    .open("cac:Party")
    .text("cbc:EndpointID", buyer.ean, GLN)
    .open("cac:PartyIdentification")
    .text("cbc:ID", `DK${buyer.cvr}`, DK_CVR)
    .close("cac:PartyIdentification")
    .open("cac:PartyName")
    .text("cbc:Name", buyer.name)
    .close("cac:PartyName");
  writeAddress(xml, buyer);
  xml
    .open("cac:PartyLegalEntity")
    .text("cbc:RegistrationName", buyer.name)
    .text("cbc:CompanyID", `DK${buyer.cvr}`, DK_CVR)
    .close("cac:PartyLegalEntity")
    // OIOUBL carries the public buyer's person reference in Contact/ID; it is routed on with the invoice.
    .open("cac:Contact")
    .text("cbc:ID", buyer.personReference)
    .text("cbc:Name", buyer.personReference)
    .optionalText("cbc:Telephone", buyer.phone)
    .optionalText("cbc:ElectronicMail", buyer.contactEmail ?? buyer.email)
    .close("cac:Contact")
    .close("cac:Party")
    .close("cac:AccountingCustomerParty");

  xml
    .open("cac:PaymentMeans")
    .text("cbc:ID", "1")
    .text("cbc:PaymentMeansCode", "42")
    .text("cbc:PaymentDueDate", invoice.dueDate)
    .text("cbc:PaymentChannelCode", "DK:BANK", {
      listAgencyID: "320",
      listID: "urn:oioubl:codelist:paymentchannelcode-1.1",
    })
    .open("cac:PayeeFinancialAccount")
    .text("cbc:ID", seller.bankAccountNo)
    .open("cac:FinancialInstitutionBranch")
    .text("cbc:ID", seller.bankRegNo)
    .close("cac:FinancialInstitutionBranch")
    .close("cac:PayeeFinancialAccount")
    .close("cac:PaymentMeans");

  xml
    .open("cac:PaymentTerms")
    .text("cbc:ID", "1")
    .text("cbc:PaymentMeansID", "1")
    .amount("cbc:Amount", totals.grossOre)
    .close("cac:PaymentTerms");

  writeTaxTotal(xml, totals.netOre, totals.vatOre);

  xml
    .open("cac:LegalMonetaryTotal")
    .amount("cbc:LineExtensionAmount", totals.netOre)
    // OIOUBL gives TaxExclusiveAmount a meaning of its own: the VAT amount, not the net.
    .amount("cbc:TaxExclusiveAmount", totals.vatOre)
    .amount("cbc:TaxInclusiveAmount", totals.grossOre)
    .amount("cbc:PayableAmount", totals.grossOre)
    .close("cac:LegalMonetaryTotal");

  for (const line of invoice.lines) {
    xml
      .open("cac:InvoiceLine")
      .text("cbc:ID", line.id)
      .text("cbc:InvoicedQuantity", formatQuantity(line.quantity), { unitCode: line.unitCode })
      .amount("cbc:LineExtensionAmount", line.lineNetOre);
    if (line.period) {
      xml
        .open("cac:InvoicePeriod")
        .text("cbc:StartDate", line.period.start)
        .text("cbc:EndDate", line.period.end)
        .close("cac:InvoicePeriod");
    }
    writeTaxTotal(xml, line.lineNetOre, vatOf(line.lineNetOre));
    xml
      .open("cac:Item")
      .text("cbc:Description", line.description)
      .text("cbc:Name", line.name ?? line.description)
      .close("cac:Item")
      .open("cac:Price")
      .amount("cbc:PriceAmount", line.unitPriceOre)
      .text("cbc:BaseQuantity", "1", { unitCode: line.unitCode })
      .close("cac:Price")
      .close("cac:InvoiceLine");
  }

  xml.close("Invoice");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml.toString()}`;
}
