import { relations } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
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

/**
 * Every film version that is whole in the media store (MEDIA_DIR, or the bucket with
 * MEDIA_STORAGE=s3), with what the studio asks of it. A version's files never change, so neither
 * does its row; it is written before any module is switched to the version, so a transaction can
 * ask whether a module's film has subtitles without reading the store.
 */
export const mediaVersions = sqliteTable(
  "media_versions",
  {
    slug: text("slug").notNull(),
    version: text("version").notNull(),
    durationSeconds: integer("duration_seconds").notNull(),
    subtitles: integer("subtitles", { mode: "boolean" }).notNull(),
    describedAudio: integer("described_audio", { mode: "boolean" }).notNull(),
    storedAt: integer("stored_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.slug, t.version] })],
);
