import { withVat } from "~/billing/money";
import { renderInvoicePdf } from "~/billing/pdf.server";
import { pilotInvoice as pilotInvoiceDocument } from "../utils/fixtures";
import { pdfText } from "../utils/pdf-text";

/** The shared pilot invoice, made out to a named unit so the PDF shows a long Danish name. */
function pilotInvoice() {
  const invoice = pilotInvoiceDocument();
  return { ...invoice, buyer: { ...invoice.buyer, name: "Børne- og Ungeforvaltningen, Demo Kommune" } };
}

/** pdf.js may return the no-break space before "kr." as either kind of space, and splits text into items at will. */
async function textOf(pdf: Buffer): Promise<string> {
  return (await pdfText(pdf)).replace(/\s+/g, " ");
}

describe("invoice and quote PDFs", () => {
  it("prints a Danish invoice with the exact totals and every reference the municipality needs", async () => {
    const pdf = await renderInvoicePdf(pilotInvoice(), { kind: "invoice" });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = await textOf(pdf);

    expect(text).toContain("Faktura");
    expect(text).toContain("2026-0001");
    expect(text).toContain("01.12.2026");
    expect(text).toContain("Betalingsfrist");
    expect(text).toContain("31.12.2026");
    expect(text).toContain("Beløb ekskl. moms");
    expect(text).toContain("Moms 25 %");
    expect(text).toContain("I alt inkl. moms");
    expect(text).toContain("59.975,00 kr.");
    expect(text).toContain("14.993,75 kr.");
    expect(text).toContain("74.968,75 kr.");
    expect(text).toContain("599,75 kr.");
    expect(text).toContain("01.01.2027–31.12.2027");

    expect(text).toContain("CVR-nr. 55133018");
    expect(text).toContain("5798000123458");
    expect(text).toContain("IND-2026-0042");
    expect(text).toContain("Hanne Berg");
    expect(text).toContain("hanne.berg@demo.dk");
    expect(text).toContain("Reg.nr. 1234 Kontonr. 1234567890");
    expect(text).toContain("NemHandel");

    expect(text).toContain("Børne- og Ungeforvaltningen");
    expect(text).toContain("København V");
    expect(text).toContain("Rådhuspladsen");
    expect(text).toContain("12 måneder");

    expect(text).not.toContain("Betalt");
    expect(text).not.toContain("Tilbud");
  });

  it("marks a paid invoice and stops asking for payment", async () => {
    const text = await textOf(await renderInvoicePdf(pilotInvoice(), { kind: "invoice", paidOn: "2026-12-15" }));
    expect(text).toContain("Betalt 15.12.2026");
    expect(text).not.toContain("bedes overført");
    expect(text).toContain("74.968,75 kr.");
  });

  it("prints a quote with its validity instead of payment instructions", async () => {
    const quote = { ...pilotInvoice(), number: "T-2026-0007" };
    const text = await textOf(await renderInvoicePdf(quote, { kind: "quote", validUntil: "2026-12-20" }));
    expect(text).toContain("Tilbud");
    expect(text).toContain("T-2026-0007");
    expect(text).toContain("Gyldigt til");
    expect(text).toContain("20.12.2026");
    expect(text).toContain("ikke en faktura");
    expect(text).toContain("74.968,75 kr.");
    expect(text).not.toContain("Faktura ");
    expect(text).not.toContain("Kontonr.");
    expect(text).not.toContain("Betalt");
  });

  it("lets a quote default its validity to the due date", async () => {
    const text = await textOf(await renderInvoicePdf(pilotInvoice(), { kind: "quote" }));
    expect(text).toContain("Gyldigt til 31.12.2026");
  });

  it("prints English titles and labels", async () => {
    const invoice = await textOf(
      await renderInvoicePdf(pilotInvoice(), { kind: "invoice", language: "en", paidOn: "2026-12-15" }),
    );
    expect(invoice).toContain("Invoice");
    expect(invoice).toContain("Total incl. VAT");
    expect(invoice).toContain("Paid 15 Dec 2026");
    expect(invoice).toContain("1 Jan 2027 – 31 Dec 2027");
    expect(invoice).toContain("59,975.00 kr.");
    expect(invoice).not.toContain("Faktura");

    const quote = await textOf(await renderInvoicePdf(pilotInvoice(), { kind: "quote", language: "en" }));
    expect(quote).toContain("Quote");
    expect(quote).toContain("Valid until");
    expect(quote).not.toContain("Tilbud");
  });

  it("wraps long descriptions and continues the table on further pages", async () => {
    const base = pilotInvoice();
    const longDescription = `Rettidig kursuspakke om tidlig opsporing af omsorgssvigt, ${"med opfølgning i Børne- og Ungeforvaltningen ".repeat(6)}`;
    const lines = Array.from({ length: 30 }, (_, index) => ({
      ...base.lines[0]!,
      id: String(index + 1),
      description: `${index + 1}. ${longDescription}`,
    }));
    const net = lines.reduce((sum, line) => sum + line.lineNetOre, 0);
    const { vat, gross } = withVat(net);
    const pdf = await renderInvoicePdf(
      { ...base, lines, totals: { netOre: net, vatOre: vat, grossOre: gross } },
      { kind: "invoice" },
    );
    const text = await textOf(pdf);
    const pages = Number(/Side 1 af (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Faktura 2026-0001 · Side ${pages} af ${pages}`);
    expect(text).toContain("30. Rettidig kursuspakke");
    expect(text).toContain("1.799.250,00 kr.");
  });

  it("approximates letters Helvetica cannot print instead of printing garbage", async () => {
    const invoice = pilotInvoice();
    invoice.buyer.personReference = "Łukasz Şahin";
    const text = await textOf(await renderInvoicePdf(invoice, { kind: "invoice" }));
    expect(text).toContain("Lukasz Sahin");
  });

  it("gives the same bytes for the same input", async () => {
    const [first, second] = await Promise.all([
      renderInvoicePdf(pilotInvoice(), { kind: "invoice" }),
      renderInvoicePdf(pilotInvoice(), { kind: "invoice" }),
    ]);
    expect(first.equals(second)).toBe(true);
  });

  it("refuses input that would not make a valid OIOUBL invoice", async () => {
    const invoice = pilotInvoice();
    invoice.totals.vatOre += 1;
    await expect(renderInvoicePdf(invoice, { kind: "invoice" })).rejects.toThrow(/VAT/);
    await expect(renderInvoicePdf(pilotInvoice(), { kind: "quote", validUntil: "2026-11-30" })).rejects.toThrow(
      /valid until/,
    );
    await expect(renderInvoicePdf(pilotInvoice(), { kind: "invoice", paidOn: "15.12.2026" })).rejects.toThrow(
      /paid-on date/,
    );
  });

  it("prints text saved before the forms refused control characters, without breaking the document", async () => {
    const invoice = pilotInvoice();
    const input = {
      ...invoice,
      orderReference: "IND\u000B2026\u0000",
      buyer: { ...invoice.buyer, name: "Demo\u000BKommune", personReference: "Hanne\uD800Berg" },
    };
    const pdf = await renderInvoicePdf(input, { kind: "invoice" });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = await textOf(pdf);
    expect(text).toContain("Demo Kommune");
    expect(text).toContain("IND 2026");
    expect(text).toContain("Hanne?Berg");
    expect([...text].filter((char) => char.charCodeAt(0) < 0x20)).toEqual([]);
  });
});
