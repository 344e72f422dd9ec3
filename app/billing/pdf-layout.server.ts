/**
 * The drawing primitives the invoice and quote PDFs are laid out with: one font, one palette,
 * text that wraps in a box and reports its height, amounts that never break, rules.
 *
 * pdfkit's built-in Helvetica needs no font files of our own, but it can only print WinAnsi
 * (Latin-1 and a few more), which covers Danish; every text goes through toWinAnsi, so other
 * letters are approximated (ł → l, ş → s) instead of printed as garbage.
 */
import { toWinAnsi } from "~/utils/pdf-text.server";

export type Doc = PDFKit.PDFDocument;
export type TextStyle = { size?: number; bold?: boolean; color?: string };

const FONT = { regular: "Helvetica", bold: "Helvetica-Bold" } as const;
export const COLOR = {
  text: "#1b1f24",
  muted: "#5c6570",
  rule: "#cfd5dc",
  band: "#eef1f4",
  accent: "#1f3a5f",
  paid: "#1a7f37",
} as const;

export function style(doc: Doc, { size = 9.5, bold = false, color = COLOR.text }: TextStyle): Doc {
  return doc
    .font(bold ? FONT.bold : FONT.regular)
    .fontSize(size)
    .fillColor(color);
}

/** Wrapped text in a box of the given width; returns the height it took. */
export function paragraph(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  textStyle: TextStyle = {},
): number {
  const printable = toWinAnsi(text);
  style(doc, textStyle).text(printable, x, y, { width, lineGap: 1.5 });
  return doc.heightOfString(printable, { width, lineGap: 1.5 });
}

export function measure(doc: Doc, text: string, width: number, textStyle: TextStyle = {}): number {
  return style(doc, textStyle).heightOfString(toWinAnsi(text), { width, lineGap: 1.5 });
}

/** The width of one unwrapped line of text. */
export function widthOf(doc: Doc, text: string, textStyle: TextStyle): number {
  return style(doc, textStyle).widthOfString(toWinAnsi(text));
}

/** One unwrapped line ending at `right`: amounts must never break across lines. */
export function rightAligned(doc: Doc, text: string, right: number, y: number, textStyle: TextStyle = {}): void {
  const printable = toWinAnsi(text);
  style(doc, textStyle);
  doc.text(printable, right - doc.widthOfString(printable), y, { lineBreak: false });
}

/** One unwrapped line starting at `x`. */
export function singleLine(doc: Doc, text: string, x: number, y: number, textStyle: TextStyle): void {
  style(doc, textStyle).text(toWinAnsi(text), x, y, { lineBreak: false });
}

export function line(doc: Doc, x1: number, x2: number, y: number, color: string = COLOR.rule, width = 0.75): void {
  doc.moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke();
}

/** Label/value rows; returns the y below the last row. */
export function keyValues(
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
