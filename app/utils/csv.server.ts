import { stringify } from "csv-stringify/sync";

/**
 * A CSV file as Danish Excel opens it without asking: UTF-8 with a byte-order mark, semicolons
 * between cells, CRLF line ends. Every cell is quoted, so a semicolon, comma, quote or line break
 * inside one never starts another.
 *
 * Text is written as text: `escape_formulas` puts an apostrophe (the OWASP advice against CSV
 * injection) before a cell a spreadsheet would run as a formula, one starting with =, +, -, @ or
 * their full-width forms, or with a tab or carriage return, which are dropped on import and would
 * expose what follows. So a name like "=HYPERLINK(…)" stays a name. Numbers are the platform's
 * own counts and stay numbers, negative ones too.
 */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return `\uFEFF${stringify([header, ...rows], { delimiter: ";", record_delimiter: "\r\n", quoted: true, quoted_empty: true, escape_formulas: true })}`;
}
