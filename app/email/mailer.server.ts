import { and, eq, gt, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { invitations, outboxEmails, passwordResets } from "#db/schema";
import { db, type Db, type Tx } from "~/db.server";
import { getEnv } from "~/env.server";
import { recordMailFailure } from "./mail-failures.server";

/**
 * `linkTokenHash`: the hash of the reset or invitation token whose link the text carries, so the
 * outbox copy can be deleted once that link no longer opens anything (see forgetDeadLinks).
 */
export type Email = { to: string; subject: string; text: string; linkTokenHash?: string };

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
 * Deletes the outbox copies of mails whose link is dead: the reset link was used (or went with a
 * newer one that was), the invitation was accepted or re-sent with a new token, or either has
 * expired. A live link stays readable on the demo's outbox page; a dead one is not kept in the
 * database at all. One DELETE, so any process may run it at any moment and running it twice
 * changes nothing. `recipient` narrows it to one address's mail, which is what spending a link
 * needs; pass the transaction that spends it, so both happen together.
 */
export function forgetDeadLinks(executor: Db | Tx = db, now = new Date(), recipient?: string) {
  const liveReset = executor
    .select({ live: sql`1` })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.tokenHash, outboxEmails.linkTokenHash),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    );
  const liveInvitation = executor
    .select({ live: sql`1` })
    .from(invitations)
    .where(
      and(
        eq(invitations.tokenHash, outboxEmails.linkTokenHash),
        isNull(invitations.acceptedAt),
        gt(invitations.expiresAt, now),
      ),
    );
  executor
    .delete(outboxEmails)
    .where(
      and(
        recipient === undefined ? undefined : eq(outboxEmails.to, recipient),
        isNotNull(outboxEmails.linkTokenHash),
        notExists(liveReset),
        notExists(liveInvitation),
      ),
    )
    .run();
}

// The whole outbox is swept at most this often per process: each sweep looks up every link it holds,
// which a CSV import of thousands of invitations would otherwise pay for once per mail.
const SWEEP_EVERY_MS = 60 * 1000;
let lastSweep = 0;

/**
 * Sends over SMTP when SMTP_URL is set; otherwise the message is kept in the outbox table,
 * so sign-in flows work offline and tests can read what was sent. Writing to the outbox first
 * deletes the recipient's dead links (a re-sent invitation's old link goes at once) and, once a
 * minute, everyone's, so expired links do not stay behind.
 */
export async function sendEmail({ linkTokenHash, ...email }: Email) {
  const env = getEnv();
  const html = `<!doctype html><html lang="da"><body>${textToHtml(email.text)}</body></html>`;
  if (!env.SMTP_URL) {
    const now = new Date();
    // A clock set back (a test, a corrected server clock) makes a sweep due as well.
    const everyone = Math.abs(now.getTime() - lastSweep) >= SWEEP_EVERY_MS;
    forgetDeadLinks(db, now, everyone ? undefined : email.to);
    if (everyone) lastSweep = now.getTime();
    db.insert(outboxEmails)
      .values({ ...email, html, linkTokenHash })
      .run();
    if (env.NODE_ENV === "production") {
      console.warn("En e-mail blev kun gemt i udbakken, fordi SMTP_URL ikke er sat.");
    }
    return;
  }
  transport ??= nodemailer.createTransport(env.SMTP_URL);
  try {
    await transport.sendMail({ from: env.MAIL_FROM, ...email, html });
  } catch (error) {
    recordMailFailure("mail");
    throw error;
  }
}

const globalForSweep = globalThis as unknown as { rettidigOutboxSweep?: NodeJS.Timeout };

/**
 * Sweeps the outbox every five minutes in this server process, so a link that expires while no
 * new mail is written does not stay readable either. Once, however often the module is loaded.
 */
export function startOutboxSweep() {
  if (globalForSweep.rettidigOutboxSweep) return;
  globalForSweep.rettidigOutboxSweep = setInterval(
    () => {
      try {
        forgetDeadLinks();
      } catch (error) {
        console.error("Oprydningen i udbakken fejlede:", error);
      }
    },
    5 * 60 * 1000,
  );
  globalForSweep.rettidigOutboxSweep.unref();
}
