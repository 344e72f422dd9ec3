import fs from "node:fs";
import { seedDatabase } from "#db/seed";
import { migrateDatabase, openDatabase } from "~/db.server";
import { templateDatabase, tmpDir } from "./paths";

export default async function globalSetup() {
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  const { db, sqlite } = openDatabase(templateDatabase);
  migrateDatabase(db);
  await seedDatabase(db);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
}
