import type { Response } from "express";
import { translator } from "~/i18n/i18n";

/**
 * The few answers the HTTP server gives itself, before a request reaches Remix: a plain page in
 * Danish with English below, since the person's language choice is not known at that point. The
 * texts are the dictionaries' (`server.*`), like every other text on the platform.
 */
export type ServerRefusal = "badRequest" | "crossSite" | "tooLarge" | "failed";

const statuses: Record<ServerRefusal, number> = { badRequest: 400, crossSite: 403, tooLarge: 413, failed: 500 };

function refusalPage(refusal: ServerRefusal) {
  const [da, en] = [translator("da"), translator("en")];
  const page = {
    title: da(`server.${refusal}.title`),
    da: da(`server.${refusal}.text`),
    en: en(`server.${refusal}.text`),
    home: da("error.home"),
    homeEn: en("error.home"),
  };
  return `<!doctype html>
<html lang="da">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${page.title} · Rettidig</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<main>
<h1>${page.title}</h1>
<p>${page.da}</p>
<p lang="en">${page.en}</p>
<p><a href="/">${page.home}</a> · <a href="/" lang="en">${page.homeEn}</a></p>
</main>
</body>
</html>
`;
}

/** A body up to this size that the server refuses is read and dropped, keeping the connection. */
const DRAIN_UP_TO_BYTES = 1024 * 1024;

/**
 * Answers with one of the server's own refusal pages. A small body the server refuses (a form
 * sent from another site) is read and dropped by Node, so the connection stays usable and the
 * browser reads the answer; a body too large to read, or of unknown size, ends the connection
 * with the answer, so the server never reads it to the end.
 */
export function refuse(res: Response, refusal: ServerRefusal) {
  if (res.headersSent) return;
  res.status(statuses[refusal]);
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  const req = res.req;
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const declared = Number(req.get("content-length") ?? Number.NaN);
  const drainable = !hasBody || (Number.isFinite(declared) && declared <= DRAIN_UP_TO_BYTES);
  if (refusal === "tooLarge" || !drainable) res.setHeader("Connection", "close");
  res.end(refusalPage(refusal));
}
