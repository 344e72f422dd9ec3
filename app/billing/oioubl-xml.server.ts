/** A small writer for the indented, deterministic XML the OIOUBL invoice is made of. */
import { formatAmountForXml, type Ore } from "~/billing/money";
import { withXmlSafeCharacters } from "~/utils/form-schema";
import { INVOICE_CURRENCY } from "./oioubl-invoice.server";

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

export class XmlWriter {
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
    return this.text(tag, formatAmountForXml(ore), { currencyID: INVOICE_CURRENCY });
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
