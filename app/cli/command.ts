import { type Db, migrateDatabase, openDatabase } from "~/db.server";
import { getEnv } from "~/env.server";
import { MediaError } from "~/media/ffmpeg.server";

/** Runs work against the configured database, migrated first and closed afterwards. */
export async function withMigratedDatabase<T>(work: (db: Db) => Promise<T> | T): Promise<T> {
  const { db, sqlite } = openDatabase(getEnv().DATABASE_PATH);
  try {
    migrateDatabase(db);
    return await work(db);
  } finally {
    sqlite.close();
  }
}

/**
 * Runs a command's main function and turns its result into the exit code. Expected problems
 * (missing ffmpeg, unreadable file) get one readable line; anything else keeps its stack.
 */
export function runCommand(main: (argv: string[]) => Promise<number>, failure: string) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (process.stdout.isTTY) process.stdout.write("\n");
      if (error instanceof MediaError) console.error(`Fejl: ${error.message}`);
      else console.error(`${failure}:`, error);
      process.exitCode = 1;
    },
  );
}
