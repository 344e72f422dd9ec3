import { stringify } from "csv-stringify/sync";

/**
 * A cell a spreadsheet would run as a formula: Excel and LibreOffice read =, +, - and @ as the
 * start of one, and a leading tab or carriage return is dropped on import, exposing what follows.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text is written as text: one that a spreadsheet would otherwise run gets a leading apostrophe,
 * the OWASP advice against CSV injection, so a name like "=HYPERLINK(…)" stays a name. Numbers are
 * the platform's own counts and stay numbers.
 */
function inert(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * A CSV file as Danish Excel opens it without asking: UTF-8 with a byte-order mark, semicolons
 * between cells, CRLF line ends. Every cell is quoted, so a semicolon, comma, quote or line break
 * inside one never starts another.
 */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const records = [header, ...rows].map((row) => row.map(inert));
  return `\uFEFF${stringify(records, { delimiter: ";", record_delimiter: "\r\n", quoted: true, quoted_empty: true })}`;
}
