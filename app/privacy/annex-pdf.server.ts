/**
 * The processing annex as an A4 PDF in Danish, drawn with the invoice's layout helpers: the
 * annex a municipality attaches to its data processing agreement, with the same sections as the page.
 */
import PDFDocument from "pdfkit";
import { COLOR, line, measure, paragraph, type Doc } from "~/billing/pdf-layout.server";
import { formatDate, translator } from "~/i18n/i18n";
import { collectPdf } from "~/utils/pdf.server";
import type { ProcessingAnnex } from "./annex.server";
import { annexSections } from "./annex";

const MARGIN = 56;
const TERM_WIDTH = 150;
const GAP = 12;

/** Starts a new page when `height` does not fit below `y`; returns where to draw. */
function roomFor(doc: Doc, y: number, height: number): number {
  if (y + height <= doc.page.height - MARGIN) return y;
  doc.addPage();
  return MARGIN;
}

export async function renderAnnexPdf(annex: ProcessingAnnex, now = new Date()): Promise<Buffer> {
  const t = translator("da");
  const title = t("annex.title");
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    lang: "da-DK",
    displayTitle: true,
    info: { Title: `${title} – ${annex.organisationName}`, Author: annex.seller.name, CreationDate: now },
  });
  const finished = collectPdf(doc);
  const width = doc.page.width - 2 * MARGIN;
  const textWidth = width - TERM_WIDTH - GAP;

  let y = MARGIN;
  y += paragraph(doc, title, MARGIN, y, width, { size: 18, bold: true, color: COLOR.accent }) + 4;
  y += paragraph(doc, annex.organisationName, MARGIN, y, width, { size: 12, bold: true }) + 4;
  y += paragraph(doc, t("annex.pdfIntro", { date: formatDate("da", now) }), MARGIN, y, width, { color: COLOR.muted });
  y += 10;

  for (const section of annexSections(annex, t)) {
    y = roomFor(doc, y + 8, 60);
    y += paragraph(doc, section.heading, MARGIN, y, width, { size: 12, bold: true, color: COLOR.accent }) + 3;
    line(doc, MARGIN, MARGIN + width, y);
    y += 6;
    if (section.intro) y += paragraph(doc, section.intro, MARGIN, y, width) + 6;
    for (const item of section.items) {
      const height = Math.max(measure(doc, item.term, TERM_WIDTH, { bold: true }), measure(doc, item.text, textWidth));
      y = roomFor(doc, y, height);
      paragraph(doc, item.term, MARGIN, y, TERM_WIDTH, { bold: true });
      paragraph(doc, item.text, MARGIN + TERM_WIDTH + GAP, y, textWidth);
      y += height + 6;
    }
  }

  doc.end();
  return finished;
}
