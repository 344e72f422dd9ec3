import { relations, sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { courses } from "./catalog";
import { professions, users } from "./identity";
import { quizQuestions } from "./learning";
import { organisations } from "./organisations";

/**
 * A course's before-and-after measurement: statements on a scale and, optionally, knowledge
 * questions from the course's quizzes, asked before the first film, at completion and some
 * weeks after. Leaders get their own follow-up on practice in their unit.
 */
export const measurements = sqliteTable(
  "measurements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    courseId: integer("course_id")
      .notNull()
      .unique()
      .references(() => courses.id, { onDelete: "cascade" }),
    intro: text("intro").notNull().default(""),
    /** Weeks from completing the course to the follow-up (staff), and to the leaders' follow-up. */
    followUpWeeks: integer("follow_up_weeks").notNull().default(12),
    /** Off: nobody is asked, and nothing already answered is lost. */
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [check("measurements_follow_up_weeks", sql`${t.followUpWeeks} between 1 and 104`)],
);

/** staff: asked at the three moments; leader: the leaders' follow-up on practice in their unit. */
export const measurementAudiences = ["staff", "leader"] as const;
export type MeasurementAudience = (typeof measurementAudiences)[number];

/** statement: 1-5 on a scale; knowledge: a quiz question, stored as 1 (right) or 0 (wrong). */
export const measurementItemKinds = ["statement", "knowledge"] as const;
export type MeasurementItemKind = (typeof measurementItemKinds)[number];

export const measurementItems = sqliteTable(
  "measurement_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    measurementId: integer("measurement_id")
      .notNull()
      .references(() => measurements.id, { onDelete: "cascade" }),
    audience: text("audience", { enum: measurementAudiences }).notNull(),
    position: integer("position").notNull(),
    kind: text("kind", { enum: measurementItemKinds }).notNull(),
    /** The statement; for a knowledge item, the quiz question's text is read from the quiz. */
    text: text("text").notNull().default(""),
    lowLabel: text("low_label"),
    highLabel: text("high_label"),
    quizQuestionId: integer("quiz_question_id").references(() => quizQuestions.id, { onDelete: "cascade" }),
  },
  (t) => [
    uniqueIndex("measurement_items_position").on(t.measurementId, t.audience, t.position),
    check(
      "measurement_items_kind",
      sql`(${t.kind} = 'statement' and ${t.quizQuestionId} is null) or (${t.kind} = 'knowledge' and ${t.quizQuestionId} is not null and ${t.audience} = 'staff')`,
    ),
  ],
);

/** baseline: before the first film; completion: when the course is complete; followUp: weeks later; leaderFollowUp: the leaders'. */
export const measurementMoments = ["baseline", "completion", "followUp", "leaderFollowUp"] as const;
export type MeasurementMoment = (typeof measurementMoments)[number];

/**
 * One person's answers at one moment, under a pseudonym: a keyed hash of the measurement and the
 * person made with a key that lives outside the database, so the three moments of one person pair
 * up, and nobody holding only the database can tell whose they are. The id is random, the table
 * is WITHOUT ROWID (made so in the migration), and the only time kept is the week.
 */
export const measurementResponses = sqliteTable(
  "measurement_responses",
  {
    id: text("id").primaryKey(),
    measurementId: integer("measurement_id")
      .notNull()
      .references(() => measurements.id, { onDelete: "cascade" }),
    pseudonym: text("pseudonym").notNull(),
    moment: text("moment", { enum: measurementMoments }).notNull(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    profession: text("profession", { enum: professions }),
    /** Monday of the week the answers were given, YYYY-MM-DD. */
    submittedWeek: text("submitted_week").notNull(),
  },
  (t) => [
    // The database itself refuses a second answer at the same moment, even from two tabs at once.
    uniqueIndex("measurement_responses_once").on(t.measurementId, t.pseudonym, t.moment),
    index("measurement_responses_org").on(t.organisationId),
    // The report counts each municipality × profession group and pairs moments straight from this
    // index, without reading the rows: about a third faster over 20,000 responses (README, Målinger).
    index("measurement_responses_groups").on(t.measurementId, t.moment, t.organisationId, t.profession, t.pseudonym),
  ],
);

export const measurementAnswers = sqliteTable(
  "measurement_answers",
  {
    responseId: text("response_id")
      .notNull()
      .references(() => measurementResponses.id, { onDelete: "cascade" }),
    itemId: integer("item_id")
      .notNull()
      .references(() => measurementItems.id, { onDelete: "cascade" }),
    /** 1-5 for a statement, 1 or 0 for a knowledge question. */
    value: integer("value").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.responseId, t.itemId] }),
    index("measurement_answers_item").on(t.itemId),
    check("measurement_answers_value", sql`${t.value} between 0 and 5`),
  ],
);

/**
 * That a person is done with a moment, answered or skipped, and nothing else: no time, no response
 * id, no pseudonym. WITHOUT ROWID in the migration, as feedback_submissions.
 */
export const measurementSubmissions = sqliteTable(
  "measurement_submissions",
  {
    measurementId: integer("measurement_id")
      .notNull()
      .references(() => measurements.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moment: text("moment", { enum: measurementMoments }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.measurementId, t.userId, t.moment] })],
);

/**
 * The follow-up invitation and its one reminder, each claimed by one INSERT/UPDATE so two
 * processes send it once. Holds when someone is due, never what they answered.
 */
export const measurementFollowUps = sqliteTable(
  "measurement_follow_ups",
  {
    measurementId: integer("measurement_id")
      .notNull()
      .references(() => measurements.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moment: text("moment", { enum: measurementMoments }).notNull(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    /** YYYY-MM-DD in Danish time. */
    dueOn: text("due_on").notNull(),
    invitedAt: integer("invited_at", { mode: "timestamp_ms" }),
    remindedAt: integer("reminded_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    primaryKey({ columns: [t.measurementId, t.userId, t.moment] }),
    index("measurement_follow_ups_due").on(t.dueOn),
  ],
);

export const measurementsRelations = relations(measurements, ({ one, many }) => ({
  course: one(courses, { fields: [measurements.courseId], references: [courses.id] }),
  items: many(measurementItems),
}));

export const measurementItemsRelations = relations(measurementItems, ({ one }) => ({
  measurement: one(measurements, { fields: [measurementItems.measurementId], references: [measurements.id] }),
  quizQuestion: one(quizQuestions, { fields: [measurementItems.quizQuestionId], references: [quizQuestions.id] }),
}));
