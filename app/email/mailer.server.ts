import nodemailer, { type Transporter } from "nodemailer";
import { outboxEmails } from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";

export type Email = { to: string; subject: string; text: string };

let transport: Transporter | undefined;

function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Plain text is the source; the HTML part only adds paragraphs and clickable links. */
export function textToHtml(text: string) {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => {
      const withLinks = escapeHtml(paragraph).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
      return `<p>${withLinks.replace(/\n/g, "<br>")}</p>`;
    })
    .join("\n");
}

/**
 * Sends over SMTP when SMTP_URL is set; otherwise the message is kept in the outbox table,
 * so sign-in flows work offline and tests can read what was sent.
 */
export async function sendEmail(email: Email) {
  const env = getEnv();
  const html = `<!doctype html><html lang="da"><body>${textToHtml(email.text)}</body></html>`;
  if (!env.SMTP_URL) {
    db.insert(outboxEmails).values({ ...email, html }).run();
    if (env.NODE_ENV === "production") {
      console.warn("En e-mail blev kun gemt i udbakken, fordi SMTP_URL ikke er sat.");
    }
    return;
  }
  transport ??= nodemailer.createTransport(env.SMTP_URL);
  await transport.sendMail({ from: env.MAIL_FROM, ...email, html });
}
