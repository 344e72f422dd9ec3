import { relations, sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { courses, modules } from "./catalog";
import { createdAt } from "./columns";
import { professions, users } from "./identity";
import { certificates } from "./learning";
import { organisations, organisationUnits } from "./organisations";

export const trainingScopes = ["everyone", "unit", "profession", "people"] as const;
export type TrainingScope = (typeof trainingScopes)[number];

/** date: one due date for all; afterSeat: a number of days from when each person got their seat. */
export const trainingDueModes = ["date", "afterSeat"] as const;
export type TrainingDueMode = (typeof trainingDueModes)[number];

/**
 * A course made mandatory for some of a municipality's people. A rule, not a list: someone who
 * joins the unit or profession later is covered with a due date of their own. Removing it is soft,
 * so what people did under it stays.
 */
export const trainingAssignments = sqliteTable(
  "training_assignments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "restrict" }),
    scope: text("scope", { enum: trainingScopes }).notNull(),
    unitId: integer("unit_id").references(() => organisationUnits.id, { onDelete: "restrict" }),
    profession: text("profession", { enum: professions }),
    dueMode: text("due_mode", { enum: trainingDueModes }).notNull(),
    /** YYYY-MM-DD, for dueMode date. */
    dueOn: text("due_on"),
    /** For dueMode afterSeat: days after the later of the seat day and the assignment day. */
    dueDays: integer("due_days"),
    /** For dueMode date: someone covered later gets at least this many days. */
    newcomerDays: integer("newcomer_days").notNull().default(30),
    /** Null: once. Otherwise a completion is valid this many months and the course comes round again. */
    recurrenceMonths: integer("recurrence_months"),
    /** The due date of a refresher, in days from the day the completion expired. */
    refreshDueDays: integer("refresh_due_days").notNull().default(30),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    removedBy: integer("removed_by").references(() => users.id, { onDelete: "set null" }),
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("training_assignments_org_course")
      .on(t.organisationId, t.courseId)
      .where(sql`${t.removedAt} is null`),
    check(
      "training_assignments_recurrence",
      sql`${t.recurrenceMonths} is null or ${t.recurrenceMonths} between 1 and 120`,
    ),
    check("training_assignments_unit_scope", sql`(${t.scope} = 'unit') = (${t.unitId} is not null)`),
    check("training_assignments_profession_scope", sql`(${t.scope} = 'profession') = (${t.profession} is not null)`),
    check(
      "training_assignments_due",
      sql`(${t.dueMode} = 'date' and ${t.dueOn} is not null and ${t.dueDays} is null) or (${t.dueMode} = 'afterSeat' and ${t.dueDays} between 1 and 365 and ${t.dueOn} is null)`,
    ),
    check("training_assignments_newcomer_days", sql`${t.newcomerDays} between 1 and 365`),
    check("training_assignments_refresh_due_days", sql`${t.refreshDueDays} between 1 and 365`),
  ],
);

/** The people a "named people" assignment covers. */
export const trainingAssignmentPeople = sqliteTable(
  "training_assignment_people",
  {
    assignmentId: integer("assignment_id")
      .notNull()
      .references(() => trainingAssignments.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.userId] }), index("training_assignment_people_user").on(t.userId)],
);

export const trainingCycleEndReasons = ["renewed", "withdrawn"] as const;

/**
 * One round of a mandatory course for one person: its due date, and when it was completed. Only one
 * round per municipality, person and course is current, however many assignments cover the person,
 * so they get one due date, one set of reminders and one restart.
 */
export const trainingCycles = sqliteTable(
  "training_cycles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    /** Opened because a completion expired: the person's state is "Skal genopfriskes". */
    refresher: integer("refresher", { mode: "boolean" }).notNull().default(false),
    /** The covering assignment with the earliest due date for this person. */
    assignmentId: integer("assignment_id").references(() => trainingAssignments.id, { onDelete: "set null" }),
    openedOn: text("opened_on").notNull(),
    dueOn: text("due_on").notNull(),
    /** The first progress in this round: "in progress" without reading progress rows. */
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    /** YYYY-MM-DD in Danish time; on time when it is no later than dueOn. */
    completedOn: text("completed_on"),
    certificateId: integer("certificate_id").references(() => certificates.id, { onDelete: "set null" }),
    /** The last day the completion counts, for a recurring assignment. */
    expiresOn: text("expires_on"),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    endReason: text("end_reason", { enum: trainingCycleEndReasons }),
    /** Goes up when dueOn moves, so a calendar updates its event. */
    sequence: integer("sequence").notNull().default(0),
  },
  (t) => [
    uniqueIndex("training_cycles_number").on(t.organisationId, t.userId, t.courseId, t.number),
    uniqueIndex("training_cycles_one_current")
      .on(t.organisationId, t.userId, t.courseId)
      .where(sql`${t.endedAt} is null`),
    index("training_cycles_overview")
      .on(t.organisationId, t.courseId, t.userId, t.dueOn, t.completedOn, t.startedAt, t.expiresOn, t.refresher)
      .where(sql`${t.endedAt} is null`),
    index("training_cycles_open_due")
      .on(t.dueOn)
      .where(sql`${t.endedAt} is null and ${t.completedOn} is null`),
    index("training_cycles_user").on(t.userId, t.courseId),
    check("training_cycles_number_positive", sql`${t.number} >= 1`),
    check("training_cycles_completed", sql`(${t.completedOn} is null) = (${t.completedAt} is null)`),
    check("training_cycles_ended", sql`(${t.endedAt} is null) = (${t.endReason} is null)`),
  ],
);

/**
 * A course started again from the beginning for a refresher. Quiz attempts up to afterAttemptId
 * belong to earlier rounds; the round of a person's course is the number of its restarts.
 */
export const courseRestarts = sqliteTable(
  "course_restarts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    cycleId: integer("cycle_id")
      .unique()
      .references(() => trainingCycles.id, { onDelete: "set null" }),
    restartedAt: integer("restarted_at", { mode: "timestamp_ms" }).notNull(),
    afterAttemptId: integer("after_attempt_id").notNull(),
  },
  (t) => [index("course_restarts_user_course").on(t.userId, t.courseId)],
);

/** What each earlier round left of a person's viewing, kept when the course starts again. */
export const moduleProgressArchive = sqliteTable(
  "module_progress_archive",
  {
    restartId: integer("restart_id")
      .notNull()
      .references(() => courseRestarts.id, { onDelete: "cascade" }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The round's played ranges, as module_progress keeps them: the owner's retention curve counts each round. */
    playedRanges: text("played_ranges").notNull().default("[]"),
    playedMs: integer("played_ms").notNull(),
    watchedAt: integer("watched_at", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.restartId, t.moduleId] }), index("module_progress_archive_module").on(t.moduleId)],
);

export const trainingReminderSteps = ["due14", "due7", "due1", "overdue"] as const;

/** A person's reminder for one round and step, claimed before it is sent: sent once, also with two processes. */
export const trainingReminders = sqliteTable(
  "training_reminders",
  {
    cycleId: integer("cycle_id")
      .notNull()
      .references(() => trainingCycles.id, { onDelete: "cascade" }),
    step: text("step", { enum: trainingReminderSteps }).notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.cycleId, t.step] })],
);

export const trainingDigestKinds = ["leaderWeekly", "adminMonthly"] as const;

/** A leader's weekly digest or an admin's monthly summary, claimed once per period (2027-W09, 2027-03). */
export const trainingDigests = sqliteTable(
  "training_digests",
  {
    kind: text("kind", { enum: trainingDigestKinds }).notNull(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    recipientUserId: integer("recipient_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.organisationId, t.recipientUserId, t.period] })],
);

/** Which kinds of training mail a municipality sends; no row means all of them. */
export const trainingMailSettings = sqliteTable("training_mail_settings", {
  organisationId: integer("organisation_id")
    .primaryKey()
    .references(() => organisations.id, { onDelete: "cascade" }),
  learnerReminders: integer("learner_reminders", { mode: "boolean" }).notNull().default(true),
  leaderDigest: integer("leader_digest", { mode: "boolean" }).notNull().default(true),
  adminSummary: integer("admin_summary", { mode: "boolean" }).notNull().default(true),
  updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export const trainingAssignmentsRelations = relations(trainingAssignments, ({ one, many }) => ({
  organisation: one(organisations, { fields: [trainingAssignments.organisationId], references: [organisations.id] }),
  course: one(courses, { fields: [trainingAssignments.courseId], references: [courses.id] }),
  unit: one(organisationUnits, { fields: [trainingAssignments.unitId], references: [organisationUnits.id] }),
  people: many(trainingAssignmentPeople),
  cycles: many(trainingCycles),
}));

export const trainingAssignmentPeopleRelations = relations(trainingAssignmentPeople, ({ one }) => ({
  assignment: one(trainingAssignments, {
    fields: [trainingAssignmentPeople.assignmentId],
    references: [trainingAssignments.id],
  }),
  user: one(users, { fields: [trainingAssignmentPeople.userId], references: [users.id] }),
}));

export const trainingCyclesRelations = relations(trainingCycles, ({ one, many }) => ({
  assignment: one(trainingAssignments, { fields: [trainingCycles.assignmentId], references: [trainingAssignments.id] }),
  user: one(users, { fields: [trainingCycles.userId], references: [users.id] }),
  course: one(courses, { fields: [trainingCycles.courseId], references: [courses.id] }),
  certificate: one(certificates, { fields: [trainingCycles.certificateId], references: [certificates.id] }),
  reminders: many(trainingReminders),
}));

export const courseRestartsRelations = relations(courseRestarts, ({ one, many }) => ({
  user: one(users, { fields: [courseRestarts.userId], references: [users.id] }),
  course: one(courses, { fields: [courseRestarts.courseId], references: [courses.id] }),
  cycle: one(trainingCycles, { fields: [courseRestarts.cycleId], references: [trainingCycles.id] }),
  archive: many(moduleProgressArchive),
}));

export const moduleProgressArchiveRelations = relations(moduleProgressArchive, ({ one }) => ({
  restart: one(courseRestarts, { fields: [moduleProgressArchive.restartId], references: [courseRestarts.id] }),
  module: one(modules, { fields: [moduleProgressArchive.moduleId], references: [modules.id] }),
}));

export const trainingRemindersRelations = relations(trainingReminders, ({ one }) => ({
  cycle: one(trainingCycles, { fields: [trainingReminders.cycleId], references: [trainingCycles.id] }),
}));
