import { relations } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { modules } from "./catalog";
import { createdAt } from "./columns";
import { users } from "./identity";

export const mediaJobKinds = ["film", "subtitles", "described"] as const;
export const mediaJobStatuses = ["queued", "running", "done", "failed"] as const;
export type MediaJobStatus = (typeof mediaJobStatuses)[number];

/**
 * The transcoding queue. A job lives in the database so that a restart of the server picks it
 * up again: a running job whose heartbeat has gone quiet is taken over by the next worker.
 */
export const mediaJobs = sqliteTable(
  "media_jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: mediaJobKinds }).notNull(),
    /** The uploaded file, relative to the upload folder. */
    sourceFile: text("source_file").notNull(),
    originalName: text("original_name").notNull(),
    status: text("status", { enum: mediaJobStatuses }).notNull().default("queued"),
    /** 0-1000: tenths of a per cent, written as the pipeline reports. */
    progressPermille: integer("progress_permille").notNull().default(0),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    heartbeatAt: integer("heartbeat_at", { mode: "timestamp_ms" }),
    /** The ladder the job published, once done. */
    resultVersion: text("result_version"),
    requestedBy: integer("requested_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("media_jobs_status").on(t.status), index("media_jobs_module").on(t.moduleId)],
);

export const mediaJobsRelations = relations(mediaJobs, ({ one }) => ({
  module: one(modules, { fields: [mediaJobs.moduleId], references: [modules.id] }),
}));
