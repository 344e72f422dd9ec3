/**
 * npm run db:backup
 * A backup of DATABASE_PATH now, outside the hourly schedule, to the same place (the object store
 * when S3_* is set, otherwise BACKUP_DIR), checked and pruned like the scheduled ones. Safe while
 * the platform runs.
 */
import { backupNow } from "~/backup/schedule.server";
import { runCommand } from "~/cli/command";
import { sqlite } from "~/db.server";

runCommand(async () => {
  try {
    const outcome = await backupNow();
    if (outcome.status !== "backedUp") return 1;
    console.log(
      `Sikkerhedskopi ${outcome.name} (${outcome.sizeBytes} bytes, integritetstjek: ok) i ${outcome.target}.`,
    );
    if (outcome.pruned.length > 0) console.log(`Slettet som for gamle: ${outcome.pruned.join(", ")}`);
    return 0;
  } finally {
    sqlite().close();
  }
}, "Sikkerhedskopien fejlede");
