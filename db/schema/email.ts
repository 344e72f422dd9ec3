import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";

/** Mail kept here when no SMTP server is configured, so the flows work offline and tests can read them. */
export const outboxEmails = sqliteTable(
  "outbox_emails",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    /**
     * The hash of the reset or invitation token whose link the mail carries (password_resets or
     * invitations `token_hash`). The row is deleted once that link is spent, replaced or expired,
     * so the database never keeps a readable link that still opens something.
     */
    linkTokenHash: text("link_token_hash"),
    createdAt: createdAt(),
  },
  (t) => [index("outbox_emails_to").on(t.to)],
);

export const mailFailureKinds = ["mail", "reminder"] as const;

/**
 * A mail the SMTP server did not take (`mail`), or a scheduled reminder or notice whose claim was
 * given back for the next run because its mail failed (`reminder`): what /metrics counts, so an
 * operator sees mail trouble from any process. No address or text, so no one's data.
 */
export const mailFailures = sqliteTable(
  "mail_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: mailFailureKinds }).notNull(),
    failedAt: integer("failed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("mail_failures_kind").on(t.kind)],
);
