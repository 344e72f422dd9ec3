/**
 * npm run media:build — builds the demo films of every module with a synthetic film and
 * points the modules at them. Films that are already built are skipped.
 */
import { runCommand, withMigratedDatabase } from "~/cli/command";
import { buildSyntheticMediaForAllModules } from "~/media/demo-film/build.server";
import { ensureFfmpeg } from "~/media/ffmpeg.server";
import { mediaRoot } from "~/media/library.server";

const USAGE = `Brug: npm run media:build [-- --no-prune]

Bygger demofilm (HLS) til alle moduler med syntetisk film og opdaterer modulerne.
  --no-prune   behold gamle versioner, som intet modul længere peger på`;

async function main(argv: string[]): Promise<number> {
  let prune = true;
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    }
    if (arg === "--no-prune") prune = false;
    else {
      console.error(`Ukendt argument: ${arg}\n\n${USAGE}`);
      return 2;
    }
  }

  return withMigratedDatabase(async (db) => {
    await ensureFfmpeg();
    console.log(`Bygger demofilm i ${mediaRoot()}`);
    await buildSyntheticMediaForAllModules(db, { log: (line) => console.log(line), prune });
    return 0;
  });
}

runCommand(main, "Fejl under bygning af film");
