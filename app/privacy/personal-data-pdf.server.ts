/**
 * A person's data as a readable A4 PDF in Danish: the same sections and rows as the page, each
 * row written as label and value, so wide tables stay readable on paper. Drawn with the invoice's
 * layout primitives (one font, one palette, text that wraps and reports its height).
 */
import PDFDocument from "pdfkit";
import { COLOR, keyValues, line, measure, paragraph } from "~/billing/pdf-layout.server";
import { formatDateTime, translator } from "~/i18n/i18n";
import { collectPdf } from "~/utils/pdf.server";
import { personalDataSections } from "./personal-data-sections.server";
import type { PersonalData } from "./personal-data.server";

const MARGIN = { top: 50, bottom: 56, left: 50, right: 50 } as const;
const LABEL_WIDTH = 150;

export async function renderPersonalDataPdf(data: PersonalData, now = new Date()): Promise<Buffer> {
  const t = translator("da");
  const title = t("personalData.pdf.title", { name: data.account.name });
  const doc = new PDFDocument({
    size: "A4",
    margins: MARGIN,
    lang: "da-DK",
    displayTitle: true,
    info: { Title: title, Author: t("app.name"), CreationDate: now },
  });
  const finished = collectPdf(doc);

  const left = MARGIN.left;
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const bottom = doc.page.height - MARGIN.bottom;
  let y = MARGIN.top;
  const ensureSpace = (needed: number) => {
    if (y + needed <= bottom) return;
    doc.addPage();
    y = MARGIN.top;
  };

  y += paragraph(doc, title, left, y, width, { size: 18, bold: true, color: COLOR.accent }) + 6;
  y += paragraph(doc, t("personalData.pdf.made", { when: formatDateTime("da", now) }), left, y, width, {
    color: COLOR.muted,
  });

  for (const section of personalDataSections(data, t, "da")) {
    ensureSpace(60);
    y += 18;
    y += paragraph(doc, section.heading, left, y, width, { size: 13, bold: true, color: COLOR.accent }) + 4;
    if (section.note) y += paragraph(doc, section.note, left, y, width, { size: 9, color: COLOR.muted }) + 4;
    for (const table of section.tables) {
      if (table.heading) {
        ensureSpace(40);
        y += 6 + paragraph(doc, table.heading, left, y + 6, width, { size: 10.5, bold: true }) + 3;
      }
      if (table.rows.length === 0) {
        y += paragraph(doc, t("personalData.none"), left, y, width, { size: 9, color: COLOR.muted }) + 3;
        continue;
      }
      for (const row of table.rows) {
        const pairs = table.columns.map((column, index): [string, string] => [column, row[index] ?? ""]);
        const height = pairs.reduce(
          (sum, [label, value]) =>
            sum +
            Math.max(
              measure(doc, label, LABEL_WIDTH - 6, { size: 9 }),
              measure(doc, value, width - LABEL_WIDTH, { size: 9 }),
            ) +
            3,
          0,
        );
        ensureSpace(height + 8);
        line(doc, left, left + width, y);
        y = keyValues(doc, pairs, left, y + 4, LABEL_WIDTH, width - LABEL_WIDTH) + 2;
      }
    }
  }

  doc.end();
  return finished;
}
