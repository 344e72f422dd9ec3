import { getDocument, VerbosityLevel } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * All text of a PDF, pages joined by newlines and the items of a page by spaces. Words may come
 * out split or joined differently from how they were written, so assert on whitespace-normalised
 * text rather than on exact layout.
 */
export async function pdfText(buffer: Buffer | Uint8Array): Promise<string> {
  // pdf.js takes ownership of the array it is given, so it gets a copy and the caller keeps theirs.
  const pdf = await getDocument({
    data: new Uint8Array(buffer),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: VerbosityLevel.ERRORS,
  }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const content = await (await pdf.getPage(number)).getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
    }
    return pages.join("\n");
  } finally {
    await pdf.destroy();
  }
}
