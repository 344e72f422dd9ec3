import { seedDatabase } from "#db/seed";
import { getEnv } from "~/env.server";
import { migrateDatabase, openDatabase } from "~/db.server";

const { db, sqlite } = openDatabase(getEnv().DATABASE_PATH);
migrateDatabase(db);
await seedDatabase(db);
sqlite.close();
console.log("Demodata er på plads (kurser, film, Demo Kommune, Nabo Kommune og demokonti).");
