import { relations, sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { courses } from "./catalog";
import { createdAt } from "./columns";
import { users } from "./identity";
import { organisations } from "./organisations";

/** What a municipality can buy: which courses, how many seats, for how long, at what list price. */
export const plans = sqliteTable(
  "plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    /** One or two sentences for the price page. */
    summary: text("summary").notNull().default(""),
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
    uniqueIndex("seats_one_active_per_person")
      .on(t.licenceId, t.userId)
      .where(sql`${t.revokedAt} is null`),
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

/**
 * A link an admin shares on the intranet: anyone with an address in one of the municipality's
 * domains may take a seat with it, until it expires or has been used `maxUses` times.
 */
export const joinLinks = sqliteTable(
  "join_links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    maxUses: integer("max_uses").notNull(),
    uses: integer("uses").notNull().default(0),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("join_links_licence").on(t.licenceId),
    check("join_links_uses", sql`${t.maxUses} > 0 and ${t.uses} >= 0 and ${t.uses} <= ${t.maxUses}`),
  ],
);

/** deprovisioned: the municipality's directory removed the person, and the seat came back with them. */
export const seatEventKinds = ["invited", "claimed", "revoked", "reassigned", "deprovisioned"] as const;

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

export const plansRelations = relations(plans, ({ many }) => ({
  courses: many(planCourses),
}));

export const planCoursesRelations = relations(planCourses, ({ one }) => ({
  plan: one(plans, { fields: [planCourses.planId], references: [plans.id] }),
  course: one(courses, { fields: [planCourses.courseId], references: [courses.id] }),
}));

export const licencesRelations = relations(licences, ({ one, many }) => ({
  organisation: one(organisations, { fields: [licences.organisationId], references: [organisations.id] }),
  plan: one(plans, { fields: [licences.planId], references: [plans.id] }),
  courses: many(licenceCourses),
  seats: many(seats),
  invitations: many(invitations),
  joinLinks: many(joinLinks),
  seatEvents: many(seatEvents),
}));

export const licenceCoursesRelations = relations(licenceCourses, ({ one }) => ({
  licence: one(licences, { fields: [licenceCourses.licenceId], references: [licences.id] }),
  course: one(courses, { fields: [licenceCourses.courseId], references: [courses.id] }),
}));

export const seatsRelations = relations(seats, ({ one }) => ({
  licence: one(licences, { fields: [seats.licenceId], references: [licences.id] }),
  user: one(users, { fields: [seats.userId], references: [users.id] }),
}));

export const invitationsRelations = relations(invitations, ({ one }) => ({
  licence: one(licences, { fields: [invitations.licenceId], references: [licences.id] }),
}));

export const joinLinksRelations = relations(joinLinks, ({ one }) => ({
  licence: one(licences, { fields: [joinLinks.licenceId], references: [licences.id] }),
}));

export const seatEventsRelations = relations(seatEvents, ({ one }) => ({
  licence: one(licences, { fields: [seatEvents.licenceId], references: [licences.id] }),
}));
