import { relations } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";

export const courses = sqliteTable("courses", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  position: integer("position").notNull(),
  title: text("title").notNull(),
  summary: text("summary").notNull(),
  published: integer("published", { mode: "boolean" }).notNull().default(true),
  /** The study time a certificate states, set by the owner; null means the films' total, rounded up to a quarter of an hour. */
  certificateMinutes: integer("certificate_minutes"),
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
    /** An unpublished module is hidden from learners and left out of what completes the course. */
    published: integer("published", { mode: "boolean" }).notNull().default(true),
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

export const coursesRelations = relations(courses, ({ many }) => ({
  modules: many(modules),
}));

export const modulesRelations = relations(modules, ({ one, many }) => ({
  course: one(courses, { fields: [modules.courseId], references: [courses.id] }),
  reflectionQuestions: many(reflectionQuestions),
}));

export const reflectionQuestionsRelations = relations(reflectionQuestions, ({ one }) => ({
  module: one(modules, { fields: [reflectionQuestions.moduleId], references: [modules.id] }),
}));
