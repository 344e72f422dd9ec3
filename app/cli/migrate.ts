import { runCommand, withMigratedDatabase } from "~/cli/command";
import { getEnv } from "~/env.server";

runCommand(async () => {
  await withMigratedDatabase(() => undefined);
  console.log(`Databasen er opdateret: ${getEnv().DATABASE_PATH}`);
  return 0;
}, "Fejl under migrering");
