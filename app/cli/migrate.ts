import { getEnv } from "~/env.server";
import { migrateDatabase, openDatabase } from "~/db.server";

const { db, sqlite } = openDatabase(getEnv().DATABASE_PATH);
migrateDatabase(db);
sqlite.close();
console.log(`Databasen er opdateret: ${getEnv().DATABASE_PATH}`);
