import type { Response } from "express";
/**
 * The few answers the HTTP server gives itself, before a request reaches Remix: a plain page in
 * Danish with English below, since the person's language choice is not known at that point.
 */
export type ServerRefusal = "badRequest" | "crossSite" | "tooLarge" | "failed";

const pages: Record<ServerRefusal, { status: number; title: string; da: string; en: string }> = {
  badRequest: {
    status: 400,
    title: "Adressen kunne ikke forstås",
    da: "Adressen eller det, der blev sendt, kunne ikke læses. Tjek adressen, eller gå til forsiden og find siden derfra.",
    en: "The address, or what was sent, could not be read. Check the address, or go to the front page and find the page from there.",
  },
  crossSite: {
    status: 403,
    title: "Forespørgslen blev afvist",
    da: "Formularen blev sendt fra en anden hjemmeside end Rettidig, så vi har ikke gjort noget. Gå til Rettidig, og send den derfra.",
    en: "The form was sent from a website other than Rettidig, so nothing was done. Go to Rettidig and send it from there.",
  },
  tooLarge: {
    status: 413,
    title: "For meget data",
    da: "Det, du sendte, er større, end siden tager imod. Gå tilbage, gør teksten eller filen mindre, og prøv igen.",
    en: "What you sent is larger than the page accepts. Go back, make the text or file smaller, and try again.",
  },
  failed: {
    status: 500,
    title: "Der gik noget galt",
    da: "Prøv igen om lidt. Hvis fejlen bliver ved, så kontakt os.",
    en: "Try again shortly. If the error persists, contact us.",
  },
};

function refusalPage(refusal: ServerRefusal) {
  const page = pages[refusal];
  return `<!doctype html>
<html lang="da">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${page.title} · Rettidig</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<main>
<h1>${page.title}</h1>
<p>${page.da}</p>
<p lang="en">${page.en}</p>
<p><a href="/">Gå til forsiden</a> · <a href="/" lang="en">Go to the front page</a></p>
</main>
</body>
</html>
`;
}


/** How long the server goes on reading (and dropping) a body it has refused, before it hangs up. */
const LINGER_MS = 2000;

/**
 * Answers with one of the server's own refusal pages. For a body the server will not read (a
 * 2 GB POST to a form, a form from another site) the connection is closed afterwards; until
 * then, for a moment, what the client is still sending is read and dropped, so the browser gets
 * to read the answer instead of a reset connection.
 */
export function refuse(res: Response, refusal: ServerRefusal) {
  if (res.headersSent) return;
  res.status(pages[refusal].status);
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  if (refusal === "crossSite" || refusal === "tooLarge") {
    res.setHeader("Connection", "close");
    const req = res.req;
    req.unpipe();
    req.resume();
    const hangUp = setTimeout(() => req.socket.destroy(), LINGER_MS);
    hangUp.unref();
    req.once("end", () => clearTimeout(hangUp));
  }
  res.end(refusalPage(refusal));
}
