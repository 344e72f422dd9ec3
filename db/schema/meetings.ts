import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { modules } from "./catalog";
import { users } from "./identity";
import { organisations, organisationUnits } from "./organisations";

/**
 * A film shown at a staff meeting ("Vis på personalemødet"). People of any unit of the same
 * municipality join with the short code while it is open; the presenter's playback is stored
 * with wall-clock times, so what each participant was present for can be worked out.
 */
export const meetingSessions = sqliteTable(
  "meeting_sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    /** The presenter's unit when it started: the unit the overviews count it under. */
    unitId: integer("unit_id").references(() => organisationUnits.id, { onDelete: "set null" }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    presenterId: integer("presenter_id").references(() => users.id, { onDelete: "set null" }),
    /** Short code to join by, unique among open sessions (a partial index in the migration). */
    code: text("code").notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    /** Joining is refused after this, or once the presenter ends the meeting. */
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    /** "Det aftalte vi": what the group agreed, written by the presenter afterwards. */
    agreement: text("agreement"),
    agreementAt: integer("agreement_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("meeting_sessions_open_code")
      .on(t.code)
      .where(sql`${t.endedAt} is null`),
    index("meeting_sessions_org_module").on(t.organisationId, t.moduleId),
  ],
);

/** Film seconds the presenter played, and when: one row per report. */
export const meetingPlayback = sqliteTable(
  "meeting_playback",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: integer("session_id")
      .notNull()
      .references(() => meetingSessions.id, { onDelete: "cascade" }),
    fromSecond: integer("from_second").notNull(),
    toSecond: integer("to_second").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("meeting_playback_session").on(t.sessionId, t.at)],
);

/** Who joined, and when they were last seen: present from joinedAt to lastSeenAt. */
export const meetingParticipants = sqliteTable(
  "meeting_participants",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => meetingSessions.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    /** Settled when the meeting ends: watched (counted as seen at the meeting) or discussed only. */
    outcome: text("outcome", { enum: ["watched", "discussed"] }),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] }), index("meeting_participants_user").on(t.userId)],
);

/** Staff a leader has allowed to start meetings; leaders and admins may always. */
export const meetingPresenters = sqliteTable(
  "meeting_presenters",
  {
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    grantedBy: integer("granted_by").references(() => users.id, { onDelete: "set null" }),
    grantedAt: integer("granted_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.userId] })],
);

/** A municipality's choice; no row: a meeting counts as discussed only. */
export const meetingSettings = sqliteTable("meeting_settings", {
  organisationId: integer("organisation_id")
    .primaryKey()
    .references(() => organisations.id, { onDelete: "cascade" }),
  countsAsWatched: integer("counts_as_watched", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
