import { relations, sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { courses, modules } from "./catalog";
import { users } from "./identity";

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

/** A module's check of what was taken away from the film; the module is complete once it is passed. */
export const quizzes = sqliteTable(
  "quizzes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .unique()
      .references(() => modules.id, { onDelete: "cascade" }),
    passPercent: integer("pass_percent").notNull().default(80),
    /** Null: as many attempts as the learner needs. */
    maxAttempts: integer("max_attempts"),
    shuffleQuestions: integer("shuffle_questions", { mode: "boolean" }).notNull().default(true),
    shuffleOptions: integer("shuffle_options", { mode: "boolean" }).notNull().default(true),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    check("quizzes_pass_percent", sql`${t.passPercent} between 1 and 100`),
    check("quizzes_max_attempts", sql`${t.maxAttempts} is null or ${t.maxAttempts} > 0`),
  ],
);

export const quizQuestionKinds = ["single", "multiple", "trueFalse"] as const;
export type QuizQuestionKind = (typeof quizQuestionKinds)[number];

export const quizQuestions = sqliteTable(
  "quiz_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quizId: integer("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind", { enum: quizQuestionKinds }).notNull(),
    text: text("text").notNull(),
    /** Shown once the learner has answered. */
    explanation: text("explanation").notNull(),
  },
  (t) => [uniqueIndex("quiz_questions_quiz_position").on(t.quizId, t.position)],
);

/** The options of a question; `correct` stays on the server until an attempt has been graded. */
export const quizOptions = sqliteTable(
  "quiz_options",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    questionId: integer("question_id")
      .notNull()
      .references(() => quizQuestions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
  },
  (t) => [uniqueIndex("quiz_options_question_position").on(t.questionId, t.position)],
);

/** Every graded attempt, kept: passing one completes the quiz, and the owner's statistics read them. */
export const quizAttempts = sqliteTable(
  "quiz_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quizId: integer("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    correctCount: integer("correct_count").notNull(),
    questionCount: integer("question_count").notNull(),
    scorePercent: integer("score_percent").notNull(),
    passed: integer("passed", { mode: "boolean" }).notNull(),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("quiz_attempts_user_quiz").on(t.userId, t.quizId), index("quiz_attempts_quiz").on(t.quizId)],
);

export const quizAttemptAnswers = sqliteTable(
  "quiz_attempt_answers",
  {
    attemptId: integer("attempt_id")
      .notNull()
      .references(() => quizAttempts.id, { onDelete: "cascade" }),
    questionId: integer("question_id")
      .notNull()
      .references(() => quizQuestions.id, { onDelete: "cascade" }),
    /** The option ids the learner chose, as a JSON array. */
    selectedOptionIds: text("selected_option_ids").notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.attemptId, t.questionId] }),
    index("quiz_attempt_answers_question").on(t.questionId),
  ],
);

/**
 * New attempts an admin gave a person who had used every allowed attempt without passing;
 * otherwise that person could never complete the module, its course or get the certificate.
 * Only attempts made after the latest retake count against the limit, and no attempt is
 * deleted, so history and statistics stay as they were.
 */
export const quizRetakes = sqliteTable(
  "quiz_retakes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quizId: integer("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    grantedBy: integer("granted_by").references(() => users.id, { onDelete: "set null" }),
    grantedAt: integer("granted_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * The person's highest quiz_attempts.id on this quiz when the retake was granted; only attempts
     * with a higher id count against the limit. Ids, not timestamps, because an attempt in the same
     * millisecond as the grant, or after the server's clock was set back, must count too.
     */
    afterAttemptId: integer("after_attempt_id").notNull().default(0),
  },
  (t) => [index("quiz_retakes_user_quiz").on(t.userId, t.quizId)],
);

/** Issued once per person and course when the course is complete; what it states is kept as it was then. */
export const certificates = sqliteTable(
  "certificates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The code printed on the certificate and checked at /bevis/<code>. */
    code: text("code").notNull().unique(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    courseId: integer("course_id").references(() => courses.id, { onDelete: "set null" }),
    recipientName: text("recipient_name").notNull(),
    courseTitle: text("course_title").notNull(),
    organisationName: text("organisation_name").notNull(),
    minutes: integer("minutes").notNull(),
    /** YYYY-MM-DD in Danish time: the day the last module was completed. */
    completedOn: text("completed_on").notNull(),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull(),
    /** Which round of the course: 0, then one more for each time a refresher started it again. */
    round: integer("round").notNull().default(0),
    /** YYYY-MM-DD, the last day it counts, for a course that must be refreshed; null: no end. */
    validUntil: text("valid_until"),
    /**
     * Set when the holder was erased: the name is gone, and /bevis/<code> says the certificate was
     * withdrawn instead of confirming it, so a printed copy can no longer be checked as valid.
     */
    withdrawnAt: integer("withdrawn_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("certificates_user_course_round").on(t.userId, t.courseId, t.round)],
);

export const quizzesRelations = relations(quizzes, ({ one, many }) => ({
  module: one(modules, { fields: [quizzes.moduleId], references: [modules.id] }),
  questions: many(quizQuestions),
  attempts: many(quizAttempts),
}));

export const quizQuestionsRelations = relations(quizQuestions, ({ one, many }) => ({
  quiz: one(quizzes, { fields: [quizQuestions.quizId], references: [quizzes.id] }),
  options: many(quizOptions),
}));

export const quizOptionsRelations = relations(quizOptions, ({ one }) => ({
  question: one(quizQuestions, { fields: [quizOptions.questionId], references: [quizQuestions.id] }),
}));

export const quizAttemptsRelations = relations(quizAttempts, ({ one, many }) => ({
  quiz: one(quizzes, { fields: [quizAttempts.quizId], references: [quizzes.id] }),
  user: one(users, { fields: [quizAttempts.userId], references: [users.id] }),
  answers: many(quizAttemptAnswers),
}));

export const quizAttemptAnswersRelations = relations(quizAttemptAnswers, ({ one }) => ({
  attempt: one(quizAttempts, { fields: [quizAttemptAnswers.attemptId], references: [quizAttempts.id] }),
  question: one(quizQuestions, { fields: [quizAttemptAnswers.questionId], references: [quizQuestions.id] }),
}));
