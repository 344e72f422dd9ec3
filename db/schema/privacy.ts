import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./identity";
import { organisations } from "./organisations";

/** Without a row a municipality has these; the README's data-processing section names them. */
export const DEFAULT_RETENTION_MONTHS = 12;
export const DEFAULT_UNLIST_GRACE_DAYS = 30;

/**
 * What the municipality, as data controller, has told its processor: how long personal data of
 * people without a seat is kept after their last seat ended, and how long someone whose seat was
 * taken back stays listed as staff.
 */
export const privacySettings = sqliteTable(
  "privacy_settings",
  {
    organisationId: integer("organisation_id")
      .primaryKey()
      .references(() => organisations.id, { onDelete: "cascade" }),
    retentionMonths: integer("retention_months").notNull().default(DEFAULT_RETENTION_MONTHS),
    unlistGraceDays: integer("unlist_grace_days").notNull().default(DEFAULT_UNLIST_GRACE_DAYS),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    check("privacy_settings_retention", sql`${t.retentionMonths} between 1 and 120`),
    check("privacy_settings_grace", sql`${t.unlistGraceDays} between 0 and 365`),
  ],
);

/**
 * What someone looked at or took out of the platform that holds other people's personal data.
 * `own*` is a person's own data ("Mine data"); the rest are an admin's or leader's views.
 */
export const accessLogActions = [
  "viewPeople",
  "exportPeople",
  "viewPerson",
  "exportPersonData",
  "erasePerson",
  "viewOwnData",
  "exportOwnData",
  "exportCompliance",
  /** The course owner's CSV of questionnaire answers, which names the people behind named answers. */
  "exportFeedback",
  "viewAccessLog",
  "exportAccessLog",
] as const;
export type AccessLogAction = (typeof accessLogActions)[number];

/**
 * Who viewed or exported personal data, when, what and for which municipality. Deliberately
 * nothing about whose data it was: the log itself holds no personal data beyond the viewer.
 */
export const accessLog = sqliteTable(
  "access_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    viewerId: integer("viewer_id").references(() => users.id, { onDelete: "set null" }),
    /** Null for a person's own data when they belong to no municipality (the course owner). */
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    action: text("action", { enum: accessLogActions }).notNull(),
    /** How it left the platform, for an export: csv, json or pdf. */
    format: text("format", { enum: ["csv", "json", "pdf"] }),
  },
  (t) => [index("access_log_organisation").on(t.organisationId, t.at), index("access_log_at").on(t.at)],
);

/**
 * One row per night the privacy purge ran: inserting the day's row is the claim, so two processes
 * never both purge, and a restart finds what is due from here. `summary` is JSON counts only.
 */
export const privacyPurges = sqliteTable("privacy_purges", {
  day: text("day").primaryKey(),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  summary: text("summary"),
});
