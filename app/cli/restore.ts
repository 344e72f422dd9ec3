/**
 * npm run db:restore -- <backup file | name in the backup target | latest> [--to <database file>] [--force] [--even-if-open]
 * Puts a backup in place as the database (by default DATABASE_PATH), after an integrity check.
 * Stop the platform first: a database another process has open is not replaced unless
 * --even-if-open says so. The one replaced is kept beside it. The copy may be older than the
 * code: `npm start` migrates it.
 */
import { RestoreRefusal, restoreDatabase } from "~/backup/restore.server";
import { backupTargetFromEnv } from "~/backup/targets.server";
import { runCommand } from "~/cli/command";
import { getEnv } from "~/env.server";

const USAGE =
  "Brug: npm run db:restore -- <fil | navn på en sikkerhedskopi | latest> [--to <databasefil>] [--force] [--even-if-open]";

function optionValue(argv: string[], name: string): string | undefined {
  const inline = argv.find((arg) => arg.startsWith(`${name}=`));
  if (inline) return inline.slice(name.length + 1);
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

const megabytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

runCommand(async (argv) => {
  const to = optionValue(argv, "--to");
  const sources = argv.filter((arg, index) => !arg.startsWith("--") && argv[index - 1] !== "--to");
  if (sources.length !== 1 || (argv.includes("--to") && !to)) {
    console.error(USAGE);
    return 2;
  }
  const target = backupTargetFromEnv();
  try {
    const restored = await restoreDatabase({
      source: sources[0]!,
      target,
      database: to ?? getEnv().DATABASE_PATH,
      force: argv.includes("--force"),
      evenIfOpen: argv.includes("--even-if-open"),
      now: new Date(),
    });
    console.log(
      `Gendannet ${restored.source} til ${restored.database} (${megabytes(restored.sizeBytes)}, integritetstjek: ok).`,
    );
    if (restored.keptFiles.length > 0) {
      console.log(
        `Den database, der blev erstattet, ligger nu som ${restored.keptFiles.join(" og ")}. Slet den, når den gendannede virker.`,
      );
    }
    if (restored.newerThanCode) {
      console.log("Kopien er fra en nyere version af Rettidig end denne: start den version, den kom fra.");
    } else if (restored.pendingMigrations > 0) {
      console.log(
        `Kopien mangler ${restored.pendingMigrations} migrering(er); de køres, når platformen startes (npm start), eller med npm run db:migrate.`,
      );
    } else {
      console.log("Kopien har alle migreringer.");
    }
    return 0;
  } catch (error) {
    if (!(error instanceof RestoreRefusal)) throw error;
    console.error(`Fejl: ${error.message}`);
    return 1;
  }
}, "Gendannelsen fejlede");
