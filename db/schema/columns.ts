import { sql } from "drizzle-orm";
import { integer } from "drizzle-orm/sqlite-core";

/** When the row was written, set by SQLite itself so that every writer, seed and migration agrees. */
export const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);
