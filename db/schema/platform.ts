import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Small values the platform keeps for itself, such as the id of the VAT rate created once at Stripe. */
export const platformSettings = sqliteTable("platform_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * One row per database backup: an hourly slot claimed by the first process to insert it (so two
 * processes make one backup, and a restart neither repeats nor skips one), or one made by hand
 * (`npm run db:backup`, slot `manual:<time>`). Unfinished with an error: the attempt failed and
 * the next round tries the slot again.
 */
export const databaseBackups = sqliteTable("database_backups", {
  /** The slot's start as an ISO time, or `manual:<ISO time>`. */
  slot: text("slot").primaryKey(),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  /** The file name (in the folder or under backups/ in the object store). */
  name: text("name"),
  sizeBytes: integer("size_bytes"),
  /** Where it went: the folder's path or s3://bucket/backups/. */
  target: text("target"),
  attempts: integer("attempts").notNull().default(1),
  error: text("error"),
  failedAt: integer("failed_at", { mode: "timestamp_ms" }),
});
