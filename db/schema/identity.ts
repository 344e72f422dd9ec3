import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";

export const professions = [
  "teacher",
  "pedagogue",
  "healthVisitor",
  "dentalStaff",
  "socialWorker",
  "psychologist",
  "other",
] as const;
export type Profession = (typeof professions)[number];

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash"),
  /** 'owner' for course owners; staff and admins get their roles through memberships. */
  platformRole: text("platform_role", { enum: ["owner"] }),
  /** Asked once, the first time the person gives feedback; feedback results are broken down by it. */
  profession: text("profession", { enum: professions }),
  /**
   * Set when the municipality's directory removes the person (SCIM): neither a password nor the
   * municipality's login lets them in, while their history and certificates stay.
   */
  deactivatedAt: integer("deactivated_at", { mode: "timestamp_ms" }),
  /**
   * Set on the anonymous stand-in an erased person's activity is moved to (app/privacy): it has no
   * name, address or login, so reports still add up while nothing points to the person.
   */
  erasedAt: integer("erased_at", { mode: "timestamp_ms" }),
  createdAt: createdAt(),
});

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the cookie's token, so a copy of the database cannot be used to sign in. */
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * The last request the session made, to within a few minutes: a session unused for hours ends
     * (idle timeout, for shared PCs). Written at most every few minutes, not on every request.
     */
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
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

/**
 * Counters for app/auth/rate-limits.server.ts, in the shape rate-limiter-flexible's
 * RateLimiterSQLite reads and writes (it owns the column names): one row per kind and key,
 * `expire` in epoch milliseconds. Kept in the database so limits hold across processes and
 * restarts; rows past `expire` are deleted as new ones are written.
 */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull().default(0),
    expire: integer("expire"),
  },
  (t) => [index("rate_limits_expire").on(t.expire)],
);
