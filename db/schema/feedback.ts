import { relations, sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { courses } from "./catalog";
import { professions, users } from "./identity";
import { organisations } from "./organisations";

export const feedbackAudiences = ["staff", "leader"] as const;
export type FeedbackAudience = (typeof feedbackAudiences)[number];

/** A course's questionnaire for staff or for leaders; who gets which follows their role in the municipality. */
export const feedbackForms = sqliteTable(
  "feedback_forms",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    audience: text("audience", { enum: feedbackAudiences }).notNull(),
    title: text("title").notNull(),
    intro: text("intro").notNull().default(""),
    /** Anonymous responses keep no link to the person, and reports hide groups of fewer than five. */
    anonymous: integer("anonymous", { mode: "boolean" }).notNull().default(true),
    /** First and last day answers are taken, inclusive, as YYYY-MM-DD; no last day means open until closed. */
    opensOn: text("opens_on").notNull(),
    closesOn: text("closes_on"),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("feedback_forms_course_audience").on(t.courseId, t.audience),
    check("feedback_forms_dates", sql`${t.closesOn} is null or ${t.opensOn} <= ${t.closesOn}`),
  ],
);

export const feedbackQuestionKinds = ["scale", "recommend", "choice", "text"] as const;
export type FeedbackQuestionKind = (typeof feedbackQuestionKinds)[number];

export const feedbackQuestions = sqliteTable(
  "feedback_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    formId: integer("form_id")
      .notNull()
      .references(() => feedbackForms.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind", { enum: feedbackQuestionKinds }).notNull(),
    text: text("text").notNull(),
    required: integer("required", { mode: "boolean" }).notNull().default(true),
    /** The labels of a 1-5 scale's ends. */
    lowLabel: text("low_label"),
    highLabel: text("high_label"),
    /** A single-choice question's options, as a JSON array of strings. */
    choices: text("choices"),
  },
  (t) => [uniqueIndex("feedback_questions_form_position").on(t.formId, t.position)],
);

/**
 * One submitted questionnaire. The id is random, anonymous responses have no user id and only
 * the week they were given, and the migration makes this table and its answers WITHOUT ROWID
 * (stored in id order, not in the order written), so nothing orders or dates them against the person.
 */
export const feedbackResponses = sqliteTable(
  "feedback_responses",
  {
    id: text("id").primaryKey(),
    formId: integer("form_id")
      .notNull()
      .references(() => feedbackForms.id, { onDelete: "cascade" }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    audience: text("audience", { enum: feedbackAudiences }).notNull(),
    profession: text("profession", { enum: professions }),
    /** Set only when the form is not anonymous. */
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    /** Monday of the week the response was given, YYYY-MM-DD. */
    submittedWeek: text("submitted_week").notNull(),
  },
  (t) => [index("feedback_responses_form").on(t.formId), index("feedback_responses_org").on(t.organisationId)],
);

export const feedbackAnswers = sqliteTable(
  "feedback_answers",
  {
    responseId: text("response_id")
      .notNull()
      .references(() => feedbackResponses.id, { onDelete: "cascade" }),
    questionId: integer("question_id")
      .notNull()
      .references(() => feedbackQuestions.id, { onDelete: "cascade" }),
    /** 1-5 for a scale, 0-10 for "would you recommend". */
    score: integer("score"),
    /** The chosen option of a single-choice question, or the free text. */
    text: text("text"),
  },
  (t) => [primaryKey({ columns: [t.responseId, t.questionId] }), index("feedback_answers_question").on(t.questionId)],
);

/**
 * That a person has answered a form, and nothing else: no time and no response id, so it
 * cannot be matched to an anonymous response. The migration makes it WITHOUT ROWID, so not
 * even the order rows were written in survives.
 */
export const feedbackSubmissions = sqliteTable(
  "feedback_submissions",
  {
    formId: integer("form_id")
      .notNull()
      .references(() => feedbackForms.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.formId, t.userId] })],
);

export const feedbackFormsRelations = relations(feedbackForms, ({ one, many }) => ({
  course: one(courses, { fields: [feedbackForms.courseId], references: [courses.id] }),
  questions: many(feedbackQuestions),
  responses: many(feedbackResponses),
}));

export const feedbackQuestionsRelations = relations(feedbackQuestions, ({ one }) => ({
  form: one(feedbackForms, { fields: [feedbackQuestions.formId], references: [feedbackForms.id] }),
}));

export const feedbackResponsesRelations = relations(feedbackResponses, ({ one, many }) => ({
  form: one(feedbackForms, { fields: [feedbackResponses.formId], references: [feedbackForms.id] }),
  answers: many(feedbackAnswers),
}));

export const feedbackAnswersRelations = relations(feedbackAnswers, ({ one }) => ({
  response: one(feedbackResponses, { fields: [feedbackAnswers.responseId], references: [feedbackResponses.id] }),
  question: one(feedbackQuestions, { fields: [feedbackAnswers.questionId], references: [feedbackQuestions.id] }),
}));
