import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash"),
  /** 'owner' for course owners; staff and admins get their roles through memberships. */
  platformRole: text("platform_role", { enum: ["owner"] }),
  createdAt: createdAt(),
});

export const organisations = sqliteTable(
  "organisations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    cvr: text("cvr").notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [check("organisations_cvr_digits", sql`length(${t.cvr}) = 8 and ${t.cvr} not glob '*[^0-9]*'`)],
);

/** The EAN (GLN) location numbers of the units that order and receive invoices. */
export const eanLocations = sqliteTable(
  "ean_locations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    ean: text("ean").notNull().unique(),
    label: text("label").notNull(),
  },
  (t) => [check("ean_locations_digits", sql`length(${t.ean}) = 13 and ${t.ean} not glob '*[^0-9]*'`)],
);

export const membershipRoles = ["learner", "leader", "admin"] as const;
export type MembershipRole = (typeof membershipRoles)[number];

export const memberships = sqliteTable(
  "memberships",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    role: text("role", { enum: membershipRoles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organisationId] }), index("memberships_org").on(t.organisationId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the cookie's token, so a copy of the database cannot be used to sign in. */
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const passwordResets = sqliteTable(
  "password_resets",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("password_resets_user").on(t.userId)],
);

export const courses = sqliteTable("courses", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  position: integer("position").notNull(),
  title: text("title").notNull(),
  summary: text("summary").notNull(),
  published: integer("published", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});

export const modules = sqliteTable(
  "modules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    slug: text("slug").notNull().unique(),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    /** Whole seconds of the film currently published; null until the media pipeline has run. */
    durationSeconds: integer("duration_seconds"),
    /** Folder of the complete HLS ladder under MEDIA_DIR/<slug>/; only ever set once a ladder is whole. */
    mediaVersion: text("media_version"),
    /** 'synthetic' films are rebuilt by media:build; 'upload' films came from a real file and are left alone. */
    mediaSource: text("media_source", { enum: ["synthetic", "upload"] })
      .notNull()
      .default("synthetic"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("modules_course_position").on(t.courseId, t.position)],
);

export const reflectionQuestions = sqliteTable(
  "reflection_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
  },
  (t) => [uniqueIndex("reflection_questions_module_position").on(t.moduleId, t.position)],
);

/** What a municipality can buy: which courses, how many seats, for how long, at what list price. */
export const plans = sqliteTable(
  "plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    seatCount: integer("seat_count").notNull(),
    periodMonths: integer("period_months").notNull(),
    /** Excluding VAT, in øre. */
    listPriceOre: integer("list_price_ore").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    check("plans_seats_positive", sql`${t.seatCount} > 0`),
    check("plans_period_positive", sql`${t.periodMonths} > 0`),
    check("plans_price_not_negative", sql`${t.listPriceOre} >= 0`),
  ],
);

export const planCourses = sqliteTable(
  "plan_courses",
  {
    planId: integer("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.planId, t.courseId] })],
);

/**
 * A municipality's right to a number of seats on some courses for a period. Its courses are
 * copied from the plan when it is created, so a later change of plan does not change it.
 */
export const licences = sqliteTable(
  "licences",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "restrict" }),
    planId: integer("plan_id").references(() => plans.id, { onDelete: "set null" }),
    seatCount: integer("seat_count").notNull(),
    /** First and last day of the period, inclusive, as YYYY-MM-DD in Danish time. */
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("licences_organisation").on(t.organisationId),
    check("licences_seats_positive", sql`${t.seatCount} > 0`),
    check("licences_period_order", sql`${t.startsOn} <= ${t.endsOn}`),
  ],
);

export const licenceCourses = sqliteTable(
  "licence_courses",
  {
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.licenceId, t.courseId] }), index("licence_courses_course").on(t.courseId)],
);

/**
 * One person's use of one of a licence's seats. Taking a seat back sets revokedAt and frees
 * it; the row stays, so the person's history and the licence's audit keep it.
 */
export const seats = sqliteTable(
  "seats",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("seats_one_active_per_person").on(t.licenceId, t.userId).where(sql`${t.revokedAt} is null`),
    index("seats_user").on(t.userId),
  ],
);

/** An e-mail invitation to take a seat on a licence; the link carries a token, the table its hash. */
export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: integer("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_licence").on(t.licenceId)],
);

export const seatEventKinds = ["invited", "claimed", "revoked", "reassigned"] as const;

/** What happened to a licence's seats, and who did it: the admin's audit log. */
export const seatEvents = sqliteTable(
  "seat_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: seatEventKinds }).notNull(),
    /** The person the event is about: for an invitation, the address invited. */
    subjectEmail: text("subject_email").notNull(),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("seat_events_licence").on(t.licenceId, t.at)],
);

/** One opening of a module's player: no playing time before it can be credited. */
export const playbackViews = sqliteTable(
  "playback_views",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("playback_views_user_module").on(t.userId, t.moduleId)],
);

export const moduleProgress = sqliteTable(
  "module_progress",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    /** Merged, sorted, non-overlapping [start, end] pairs in seconds of film time, as JSON. */
    playedRanges: text("played_ranges").notNull().default("[]"),
    playedMs: integer("played_ms").notNull().default(0),
    lastPositionMs: integer("last_position_ms").notNull().default(0),
    watchedAt: integer("watched_at", { mode: "timestamp_ms" }),
    /**
     * How far credited playing time reaches on the wall clock. Every view of the film shares it,
     * so playing time can only be credited as fast as time passes, however many tabs are open.
     */
    creditClock: integer("credit_clock", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.moduleId] })],
);

/** Mail kept here when no SMTP server is configured, so the flows work offline and tests can read them. */
export const outboxEmails = sqliteTable("outbox_emails", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  html: text("html").notNull(),
  createdAt: createdAt(),
});
