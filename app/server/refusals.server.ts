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
  const page = { title: da(`server.${refusal}.title`), da: da(`server.${refusal}.text`), en: en(`server.${refusal}.text`), home: da("error.home"), homeEn: en("error.home") };
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
  res.status(statuses[refusal]);
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
