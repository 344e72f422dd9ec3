/**
 * The course certificate as a one-page A4 landscape PDF, in Danish. It prints exactly what the
 * certificate row states, plus the address where anyone can check that it is genuine. The
 * creation date is the day it was issued, so every download of a certificate is the same file,
 * except that one downloaded after its validity ran out also says it has expired.
 */
import PDFDocument from "pdfkit";
import { getEnv } from "~/env.server";
import { toWinAnsi } from "~/utils/pdf-text.server";
import { collectPdf } from "~/utils/pdf.server";
import { formatDay, translator } from "~/i18n/i18n";
import { certificateExpired, certificateHours, type Certificate } from "./certificates.server";

const FONT = { regular: "Helvetica", bold: "Helvetica-Bold", code: "Courier-Bold" } as const;
const COLOR = { text: "#1c2226", muted: "#4a555c", accent: "#0b5560", rule: "#b9c9c8" } as const;
const FRAME_INSET = 24;
const CONTENT_INSET = 90;

type Doc = PDFKit.PDFDocument;
type TextStyle = { size: number; font?: keyof typeof FONT; color?: string; spacing?: number; link?: string };

function certificateVerificationUrl(certificate: Pick<Certificate, "code">): string {
  return `${getEnv().PUBLIC_URL}/bevis/${certificate.code}`;
}

export async function renderCertificatePdf(certificate: Certificate, now = new Date()): Promise<Buffer> {
  const t = translator("da");
  const title = t("certificate.title");
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 0,
    lang: "da-DK",
    displayTitle: true,
    info: {
      Title: `${title} – ${certificate.courseTitle}`,
      Author: t("app.name"),
      Subject: `${title}: ${certificate.recipientName}, ${certificate.courseTitle}`,
      CreationDate: certificate.issuedAt,
    },
  });
  const finished = collectPdf(doc);

  const { width, height } = doc.page;
  doc
    .rect(FRAME_INSET, FRAME_INSET, width - 2 * FRAME_INSET, height - 2 * FRAME_INSET)
    .lineWidth(2.5)
    .strokeColor(COLOR.accent)
    .stroke();
  doc
    .rect(FRAME_INSET + 7, FRAME_INSET + 7, width - 2 * FRAME_INSET - 14, height - 2 * FRAME_INSET - 14)
    .lineWidth(0.6)
    .strokeColor(COLOR.rule)
    .stroke();

  const left = CONTENT_INSET;
  const contentWidth = width - 2 * CONTENT_INSET;
  let y = 68;
  y +=
    centred(doc, t("app.name").toUpperCase(), left, y, contentWidth, {
      size: 11,
      font: "bold",
      color: COLOR.accent,
      spacing: 3,
    }) + 14;
  y += centred(doc, title, left, y, contentWidth, { size: 38, font: "bold" }) + 22;
  y += centred(doc, t("certificate.pdf.intro"), left, y, contentWidth, { size: 13, color: COLOR.muted }) + 8;
  y += centred(doc, certificate.recipientName, left, y, contentWidth, { size: 28, font: "bold" }) + 10;
  y += centred(doc, t("certificate.pdf.completed"), left, y, contentWidth, { size: 13, color: COLOR.muted }) + 8;
  y +=
    centred(doc, certificate.courseTitle, left, y, contentWidth, { size: 21, font: "bold", color: COLOR.accent }) + 30;

  // Three facts side by side, each a small label over its value.
  const facts: Array<[string, string]> = [
    [t("certificate.date"), formatDay("da", certificate.completedOn)],
    [t("certificate.hours"), certificateHours(certificate.minutes, "da")],
    [t("certificate.municipality"), certificate.organisationName],
  ];
  const factsWidth = Math.min(contentWidth, 600);
  const columnWidth = factsWidth / facts.length;
  const factsLeft = (width - factsWidth) / 2;
  doc
    .moveTo(factsLeft, y)
    .lineTo(factsLeft + factsWidth, y)
    .lineWidth(0.6)
    .strokeColor(COLOR.rule)
    .stroke();
  y += 12;
  let factsBottom = y;
  facts.forEach(([label, value], index) => {
    const x = factsLeft + index * columnWidth;
    const labelHeight = centred(doc, label.toUpperCase(), x, y, columnWidth, {
      size: 8.5,
      font: "bold",
      color: COLOR.muted,
      spacing: 1,
    });
    factsBottom = Math.max(
      factsBottom,
      y +
        labelHeight +
        4 +
        centred(doc, value, x + 6, y + labelHeight + 4, columnWidth - 12, { size: 13, font: "bold" }),
    );
  });

  let validityBottom = factsBottom;
  if (certificate.validUntil) {
    const date = formatDay("da", certificate.validUntil);
    validityBottom += 14;
    validityBottom += centred(doc, t("certificate.validThrough", { date }), left, validityBottom, contentWidth, {
      size: 12,
      font: "bold",
    });
    if (certificateExpired(certificate, now))
      validityBottom +=
        4 +
        centred(doc, t("certificate.expired", { date }), left, validityBottom + 4, contentWidth, {
          size: 12,
          font: "bold",
          color: COLOR.accent,
        });
  }

  // The check sits at the foot of the page, where a reader looks for it.
  const url = certificateVerificationUrl(certificate);
  let footY = Math.max(validityBottom + 24, height - FRAME_INSET - 92);
  footY +=
    centred(doc, t("certificate.code").toUpperCase(), left, footY, contentWidth, {
      size: 8.5,
      font: "bold",
      color: COLOR.muted,
      spacing: 1,
    }) + 3;
  footY += centred(doc, certificate.code, left, footY, contentWidth, { size: 15, font: "code" }) + 6;
  centred(doc, t("certificate.pdf.verify", { url }), left, footY, contentWidth, {
    size: 9.5,
    color: COLOR.muted,
    link: url,
  });

  doc.end();
  return finished;
}

/** Centred text in a box of the given width; returns the height it took. */
function centred(doc: Doc, text: string, x: number, y: number, width: number, textStyle: TextStyle): number {
  doc
    .font(FONT[textStyle.font ?? "regular"])
    .fontSize(textStyle.size)
    .fillColor(textStyle.color ?? COLOR.text);
  const options = {
    width,
    align: "center",
    characterSpacing: textStyle.spacing ?? 0,
    lineGap: 2,
    link: textStyle.link,
  } as const;
  const printable = toWinAnsi(text);
  doc.text(printable, x, y, options);
  return doc.heightOfString(printable, options);
}
