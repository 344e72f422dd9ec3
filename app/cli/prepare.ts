import { spawnSync } from "node:child_process";
import { runCommand, withMigratedDatabase } from "~/cli/command";
import { MEDIA_PACKAGES, installMissingPackages } from "~/cli/system-packages";
import { isDatabaseEmpty, seedDatabase } from "~/cli/seed/seed-database";
import { buildSyntheticMediaForAllModules } from "~/media/demo-film/build.server";
import { ensureFfmpeg } from "~/media/ffmpeg.server";
import { storeCurrentVersions } from "~/media/version-store.server";

/**
 * Everything a first start needs, each step skipped when already done: migrate, seed an
 * empty database, install ffmpeg and fonts (as root), build the demo media, put every module's
 * film in the media store's catalogue (and bucket), build the app.
 * Test and benchmark servers pass --no-prune: they share media/generated with the
 * developer's own database, whose films (an ingested one, say) they must not clear away.
 */
runCommand(async (argv) => {
  // What could not be installed is reported by the check that needs it, with the command to run.
  installMissingPackages(MEDIA_PACKAGES);
  await withMigratedDatabase(async (db) => {
    if (isDatabaseEmpty(db)) {
      console.log("Tom database: lægger demodata ind …");
      await seedDatabase(db);
    }
    await ensureFfmpeg();
    await buildSyntheticMediaForAllModules(db, {
      log: (line) => console.log(line),
      prune: !argv.includes("--no-prune"),
    });
    await storeCurrentVersions(db);
  });
  if (argv.includes("--no-build")) return 0;
  return spawnSync("npx", ["remix", "build"], { stdio: "inherit" }).status ?? 1;
}, "Fejl under klargøring");
