/**
 * OIOUBL 2.1 invoices (profile Procurement-BilSim-1.0) for NemHandel, written by hand so that
 * the output is fully deterministic and depends on no XML library.
 *
 * Element order follows the UBL 2.1 Invoice schema (a schema-valid document is required before
 * NemHandel even looks at the OIOUBL rules), and the scheme/list attributes are the ones the
 * OIOUBL 2.1 schematron checks.
 */
import { createHash } from "node:crypto";
import { vatOf, VAT_RATE_PERCENT, type Ore } from "~/billing/money";
import {
  INVOICE_CURRENCY,
  QUANTITY_SCALE,
  validateOioublInvoice,
  type OioublInvoice,
  type OioublInvoiceLine,
  type OioublParty,
} from "./oioubl-invoice.server";
import { XmlWriter } from "./oioubl-xml.server";

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

function writeSupplierParty(xml: XmlWriter, seller: OioublInvoice["seller"]): void {
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
}

function writeCustomerParty(xml: XmlWriter, buyer: OioublInvoice["buyer"]): void {
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
}

function writeInvoiceLine(xml: XmlWriter, line: OioublInvoiceLine): void {
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
    .text("cbc:DocumentCurrencyCode", INVOICE_CURRENCY);

  xml
    .open("cac:OrderReference")
    .text("cbc:ID", invoice.orderReference)
    .optionalText("cbc:IssueDate", invoice.orderDate)
    .close("cac:OrderReference");

  writeSupplierParty(xml, seller);
  writeCustomerParty(xml, buyer);

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

  for (const line of invoice.lines) writeInvoiceLine(xml, line);

  xml.close("Invoice");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml.toString()}`;
}
