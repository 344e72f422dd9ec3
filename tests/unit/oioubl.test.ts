import { withVat } from "~/billing/money";
import { organisationFields } from "~/licensing/organisation-forms";
import type { OioublInvoice } from "~/billing/oioubl-invoice.server";
import { buildOioublInvoice } from "~/billing/oioubl.server";
import { escapeXml } from "~/billing/oioubl-xml.server";
import { pilotInvoice } from "../utils/fixtures";
import { findAll, one, parseXml, textAt } from "../utils/xml";

describe("OIOUBL 2.1 invoice", () => {
  it("writes the pilot invoice with the identifiers a municipality needs", () => {
    const xml = buildOioublInvoice(pilotInvoice());
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"',
      ),
    ).toBe(true);
    const invoice = parseXml(xml);
    expect(invoice.attributes["xmlns:cac"]).toBe(
      "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    );
    expect(invoice.attributes["xmlns:cbc"]).toBe(
      "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    );

    expect(textAt(invoice, "cbc:UBLVersionID")).toBe("2.1");
    expect(textAt(invoice, "cbc:CustomizationID")).toBe("OIOUBL-2.1");
    const profile = one(invoice, "cbc:ProfileID");
    expect(profile.text).toBe("Procurement-BilSim-1.0");
    expect(profile.attributes).toEqual({ schemeAgencyID: "320", schemeID: "urn:oioubl:id:profileid-1.6" });
    expect(one(invoice, "cbc:InvoiceTypeCode")).toMatchObject({ text: "380", attributes: { listAgencyID: "320" } });
    expect(textAt(invoice, "cbc:DocumentCurrencyCode")).toBe("DKK");
    expect(textAt(invoice, "cbc:ID")).toBe("2026-0001");
    expect(textAt(invoice, "cac:OrderReference/cbc:ID")).toBe("IND-2026-0042");

    const buyer = one(invoice, "cac:AccountingCustomerParty/cac:Party");
    expect(one(buyer, "cbc:EndpointID")).toMatchObject({ text: "5798000123458", attributes: { schemeID: "GLN" } });
    expect(textAt(buyer, "cac:Contact/cbc:ID")).toBe("Hanne Berg");
    expect(textAt(buyer, "cac:PartyName/cbc:Name")).toBe("Demo Kommune");

    const seller = one(invoice, "cac:AccountingSupplierParty/cac:Party");
    expect(one(seller, "cbc:EndpointID")).toMatchObject({ text: "DK55133018", attributes: { schemeID: "DK:CVR" } });
    expect(one(seller, "cac:PartyLegalEntity/cbc:CompanyID")).toMatchObject({
      text: "DK55133018",
      attributes: { schemeID: "DK:CVR" },
    });
    expect(textAt(seller, "cac:PostalAddress/cbc:AddressFormatCode")).toBe("StructuredDK");

    const payment = one(invoice, "cac:PaymentMeans");
    expect(textAt(payment, "cbc:PaymentMeansCode")).toBe("42");
    expect(textAt(payment, "cbc:PaymentChannelCode")).toBe("DK:BANK");
    expect(textAt(payment, "cbc:PaymentDueDate")).toBe("2026-12-31");
    expect(textAt(payment, "cac:PayeeFinancialAccount/cbc:ID")).toBe("1234567890");
    expect(textAt(payment, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")).toBe("1234");

    const tax = one(invoice, "cac:TaxTotal");
    expect(textAt(tax, "cbc:TaxAmount")).toBe("14993.75");
    expect(textAt(tax, "cac:TaxSubtotal/cbc:TaxableAmount")).toBe("59975.00");
    expect(textAt(tax, "cac:TaxSubtotal/cac:TaxCategory/cbc:ID")).toBe("StandardRated");
    expect(textAt(tax, "cac:TaxSubtotal/cac:TaxCategory/cbc:Percent")).toBe("25");
    expect(textAt(tax, "cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID")).toBe("63");
    expect(textAt(tax, "cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:Name")).toBe("Moms");

    const totals = one(invoice, "cac:LegalMonetaryTotal");
    expect(textAt(totals, "cbc:LineExtensionAmount")).toBe("59975.00");
    expect(textAt(totals, "cbc:TaxExclusiveAmount")).toBe("14993.75"); // OIOUBL: the VAT, not the net
    expect(textAt(totals, "cbc:TaxInclusiveAmount")).toBe("74968.75");
    expect(textAt(totals, "cbc:PayableAmount")).toBe("74968.75");
    for (const name of [
      "cbc:LineExtensionAmount",
      "cbc:TaxExclusiveAmount",
      "cbc:TaxInclusiveAmount",
      "cbc:PayableAmount",
    ]) {
      expect(one(totals, name).attributes.currencyID, name).toBe("DKK");
    }

    const line = one(invoice, "cac:InvoiceLine");
    expect(one(line, "cbc:InvoicedQuantity")).toMatchObject({ text: "100", attributes: { unitCode: "EA" } });
    expect(textAt(line, "cbc:LineExtensionAmount")).toBe("59975.00");
    expect(textAt(line, "cac:Price/cbc:PriceAmount")).toBe("599.75");
    expect(textAt(line, "cac:Item/cbc:Description")).toBe(
      "Rettidig pilotlicens: 100 pladser i 12 måneder (1. januar – 31. december 2027)",
    );
    expect(textAt(line, "cac:InvoicePeriod/cbc:EndDate")).toBe("2027-12-31");
  });

  it("puts the top-level elements in UBL 2.1 schema order", () => {
    const names = parseXml(buildOioublInvoice(pilotInvoice())).children.map((child) => child.name);
    expect([...new Set(names)]).toEqual([
      "cbc:UBLVersionID",
      "cbc:CustomizationID",
      "cbc:ProfileID",
      "cbc:ID",
      "cbc:CopyIndicator",
      "cbc:UUID",
      "cbc:IssueDate",
      "cbc:InvoiceTypeCode",
      "cbc:Note",
      "cbc:DocumentCurrencyCode",
      "cac:OrderReference",
      "cac:AccountingSupplierParty",
      "cac:AccountingCustomerParty",
      "cac:PaymentMeans",
      "cac:PaymentTerms",
      "cac:TaxTotal",
      "cac:LegalMonetaryTotal",
      "cac:InvoiceLine",
    ]);
  });

  it("is deterministic", () => {
    expect(buildOioublInvoice(pilotInvoice())).toBe(buildOioublInvoice(pilotInvoice()));
    const other = { ...pilotInvoice(), number: "2026-0002" };
    const uuid = (xml: string) => textAt(parseXml(xml), "cbc:UUID");
    expect(uuid(buildOioublInvoice(other))).not.toBe(uuid(buildOioublInvoice(pilotInvoice())));
    expect(uuid(buildOioublInvoice(other))).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("escapes markup characters in every text value", () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe("a&amp;b&lt;c&gt;d&quot;e&apos;f");
    const input = pilotInvoice();
    input.buyer = { ...input.buyer, name: "Kommune <Øst> & Vest", personReference: `Hanne "H" Berg & co` };
    input.seller = { ...input.seller, name: "Rettidig & Søn <ApS>" };
    input.orderReference = "IND<42>&1";
    const xml = buildOioublInvoice(input);
    expect(xml).toContain("<cbc:Name>Kommune &lt;Øst&gt; &amp; Vest</cbc:Name>");
    expect(xml).toContain("<cbc:Name>Rettidig &amp; Søn &lt;ApS&gt;</cbc:Name>");
    const invoice = parseXml(xml);
    expect(textAt(invoice, "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name")).toBe(
      "Kommune <Øst> & Vest",
    );
    expect(textAt(invoice, "cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID")).toBe(`Hanne "H" Berg & co`);
    expect(textAt(invoice, "cac:OrderReference/cbc:ID")).toBe("IND<42>&1");
  });

  it("replaces characters XML cannot carry in text saved before the forms refused them", () => {
    const input = pilotInvoice();
    input.buyer = { ...input.buyer, name: "Demo\u000BKommune\u0000", personReference: "Hanne\uD800Berg" };
    input.orderReference = "IND\uFFFF42";
    input.lines = [{ ...input.lines[0]!, description: "Licens\u001Fpladser" }];
    const invoice = parseXml(buildOioublInvoice(input));
    const buyer = one(invoice, "cac:AccountingCustomerParty/cac:Party");
    expect(textAt(buyer, "cac:PartyName/cbc:Name")).toBe("Demo\uFFFDKommune\uFFFD");
    expect(textAt(buyer, "cac:Contact/cbc:ID")).toBe("Hanne\uFFFDBerg");
    expect(textAt(invoice, "cac:OrderReference/cbc:ID")).toBe("IND\uFFFD42");
    expect(textAt(invoice, "cac:InvoiceLine/cac:Item/cbc:Description")).toBe("Licens\uFFFDpladser");
  });

  it("is well-formed, and says exactly what was typed, for every character the order form accepts", () => {
    // Every BMP code point (a lone surrogate is a character a browser can send), and some beyond it.
    const candidates = [
      ...Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)),
      "😀",
      "𝄞",
      "\u{10FFFD}",
      "👩🏽‍⚕️",
    ];
    const accepted = candidates.filter((char) => organisationFields.streetName.safeParse(`a${char}b`).success);
    // What the form refuses is exactly control characters, line breaks and what XML cannot carry.
    expect(accepted.length).toBeGreaterThan(63_000);
    expect(accepted).not.toContain("\u000B");
    expect(accepted).toContain("&");
    expect(accepted).toContain("😀");

    const CHUNK = 2_000;
    for (let start = 0; start < accepted.length; start += CHUNK) {
      const text = `a${accepted.slice(start, start + CHUNK).join("")}b`;
      const input = pilotInvoice();
      input.buyer = { ...input.buyer, name: text, streetName: text, city: text, personReference: text };
      input.orderReference = text;
      const invoice = parseXml(buildOioublInvoice(input));
      const buyer = one(invoice, "cac:AccountingCustomerParty/cac:Party");
      for (const path of [
        "cac:PartyName/cbc:Name",
        "cac:PostalAddress/cbc:StreetName",
        "cac:PostalAddress/cbc:CityName",
        "cac:Contact/cbc:ID",
      ]) {
        expect(textAt(buyer, path), `${path}, characters from ${start}`).toBe(text);
      }
      expect(textAt(invoice, "cac:OrderReference/cbc:ID")).toBe(text);
    }
  });

  it("writes a two-line invoice whose totals agree to the øre", () => {
    const input = pilotInvoice();
    // 20 extra seats from August to December: 5/12 of the discounted seat price, rounded per seat.
    const extraSeatOre = Math.round((59_975 * 5) / 12);
    const extraLineOre = 20 * extraSeatOre;
    input.lines.push({
      id: "2",
      description: "Ekstra pladser: 20 pladser i 5 måneder (1. august – 31. december 2027)",
      quantity: 20,
      unitCode: "EA",
      unitPriceOre: extraSeatOre,
      lineNetOre: extraLineOre,
      period: { start: "2027-08-01", end: "2027-12-31" },
    });
    const net = 5_997_500 + extraLineOre;
    const { vat, gross } = withVat(net);
    input.totals = { netOre: net, vatOre: vat, grossOre: gross };
    expect(extraSeatOre).toBe(24_990);
    expect(input.totals).toEqual({ netOre: 6_497_300, vatOre: 1_624_325, grossOre: 8_121_625 });

    const invoice = parseXml(buildOioublInvoice(input));
    const lines = findAll(invoice, "cac:InvoiceLine");
    expect(lines.map((line) => textAt(line, "cbc:LineExtensionAmount"))).toEqual(["59975.00", "4998.00"]);
    expect(textAt(invoice, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount")).toBe("64973.00");
    expect(textAt(invoice, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount")).toBe("16243.25");
    expect(textAt(invoice, "cac:LegalMonetaryTotal/cbc:PayableAmount")).toBe("81216.25");
    expect(textAt(invoice, "cac:TaxTotal/cbc:TaxAmount")).toBe("16243.25");
  });

  it("accepts fractional quantities only when the line amount is their rounded product", () => {
    const input = pilotInvoice();
    input.lines = [
      { id: "1", description: "Kursusmåneder", quantity: 2.5, unitCode: "MON", unitPriceOre: 333, lineNetOre: 833 },
    ];
    input.totals = { netOre: 833, vatOre: 208, grossOre: 1_041 };
    expect(textAt(parseXml(buildOioublInvoice(input)), "cac:InvoiceLine/cbc:InvoicedQuantity")).toBe("2.5");
    input.lines[0] = { ...input.lines[0]!, lineNetOre: 832 };
    input.totals = { netOre: 832, vatOre: 208, grossOre: 1_040 };
    expect(() => buildOioublInvoice(input)).toThrow(/line 1: 2.5 × 3.33 is not 8.32/);
  });

  describe("refuses invoices a public buyer would reject", () => {
    const cases: [string, (invoice: OioublInvoice) => void, RegExp][] = [
      [
        "a net total that is not the sum of the lines",
        (i) => void (i.totals = { netOre: 5_997_501, vatOre: 1_499_375, grossOre: 7_496_876 }),
        /net total 59975.01 is not the sum of the lines, 59975.00/,
      ],
      [
        "VAT that is not 25 %",
        (i) => void (i.totals = { ...i.totals, vatOre: 1_499_374, grossOre: 7_496_874 }),
        /VAT 14993.74 is not 25 %/,
      ],
      [
        "a gross total that is not net + VAT",
        (i) => void (i.totals = { ...i.totals, grossOre: 7_496_876 }),
        /gross total 74968.76 is not net \+ VAT/,
      ],
      [
        "a line amount that is not quantity × price",
        (i) => void (i.lines[0] = { ...i.lines[0]!, unitPriceOre: 59_976 }),
        /line 1: 100 × 599.76 is not 59975.00/,
      ],
      [
        "a bad EAN check digit",
        (i) => void (i.buyer = { ...i.buyer, ean: "5798000123457" }),
        /buyer EAN "5798000123457" is not a valid EAN/,
      ],
      ["a bad buyer CVR", (i) => void (i.buyer = { ...i.buyer, cvr: "29181005" }), /buyer CVR "29181005"/],
      ["a bad seller CVR", (i) => void (i.seller = { ...i.seller, cvr: "55133019" }), /seller CVR "55133019"/],
      [
        "a due date 31 days out",
        (i) => void (i.dueDate = "2027-01-01"),
        /31 days after issue; public buyers allow at most 30/,
      ],
      ["a due date before the issue date", (i) => void (i.dueDate = "2026-11-30"), /before issue date/],
      ["an impossible date", (i) => void (i.issueDate = "2026-02-30"), /issue date must be a date written YYYY-MM-DD/],
      ["an empty order reference", (i) => void (i.orderReference = "  "), /order reference must not be empty/],
      [
        "an empty person reference",
        (i) => void (i.buyer = { ...i.buyer, personReference: "" }),
        /buyer person reference must not be empty/,
      ],
      ["no lines", (i) => void (i.lines = []), /at least one line/],
      [
        "a bad bank registration number",
        (i) => void (i.seller = { ...i.seller, bankRegNo: "12a4" }),
        /registration number/,
      ],
    ];
    it.each(cases)("%s", (_, spoil, message) => {
      const input = pilotInvoice();
      spoil(input);
      expect(() => buildOioublInvoice(input)).toThrow(message);
    });

    it("allows exactly 30 days", () => {
      expect(() => buildOioublInvoice({ ...pilotInvoice(), dueDate: "2026-12-31" })).not.toThrow();
    });
  });
});
