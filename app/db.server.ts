import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "#db/schema";
import { getEnv } from "~/env.server";

export type Db = BetterSQLite3Database<typeof schema>;
/** A transaction's handle; domain functions that may run inside one take `Db | Tx`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export const MIGRATIONS_FOLDER = path.resolve("db/migrations");

export function openDatabase(file: string): { db: Db; sqlite: Database.Database } {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  return { db: drizzle(sqlite, { schema }), sqlite };
}

export function migrateDatabase(db: Db) {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

// Kept on globalThis so `remix dev` reloads reuse the connection instead of leaking one per rebuild.
const globalForDb = globalThis as unknown as { rettidigDb?: { db: Db; sqlite: Database.Database } };

function connection() {
  if (!globalForDb.rettidigDb) {
    const opened = openDatabase(getEnv().DATABASE_PATH);
    migrateDatabase(opened.db);
    globalForDb.rettidigDb = opened;
  }
  return globalForDb.rettidigDb;
}

/** The process-wide database, migrated to the latest schema on first use. */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const target = connection().db;
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

export function sqlite() {
  return connection().sqlite;
}
