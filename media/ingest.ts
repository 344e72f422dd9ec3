/**
 * npm run media:ingest -- <film.mp4> --module <slug> [--subtitles film.vtt]
 * Publishes a real film for a module in place of its demo film.
 */
import { parseArgs } from "node:util";
import { runCommand, withMigratedDatabase } from "~/cli/command";
import { ingestFile } from "~/media/catalog-media.server";
import { ensureFfmpeg } from "~/media/ffmpeg.server";

const USAGE = `Brug: npm run media:ingest -- <film.mp4> --module <slug> [--subtitles <film.vtt>]

Transkoder filmen til HLS og udgiver den som modulets film.
  --module, -m      modulets slug
  --subtitles, -s   danske undertekster som WebVTT (valgfri)`;

class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        module: { type: "string", short: "m" },
        subtitles: { type: "string", short: "s" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(`Ugyldige argumenter: ${(error as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? "Angiv filmfilen." : "Angiv kun én filmfil.");
  if (!values.module) throw new UsageError("Angiv modulet med --module <slug>.");
  return { file: positionals[0]!, moduleSlug: values.module, subtitlesFile: values.subtitles };
}

function progressReporter() {
  const interactive = process.stdout.isTTY;
  let lastShown = -1;
  return (fraction: number) => {
    const percent = Math.floor(fraction * 100);
    // Without a terminal every tenth percent is enough; logs should not fill with progress lines.
    if (interactive) {
      if (percent !== lastShown) process.stdout.write(`\rTranskoder … ${percent} %   `);
    } else if (percent >= lastShown + 10 || (percent === 100 && lastShown !== 100)) {
      console.log(`Transkoder … ${percent} %`);
    } else return;
    lastShown = percent;
  };
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }

  const ingest = options;
  return withMigratedDatabase(async (db) => {
    await ensureFfmpeg();
    const started = Date.now();
    const result = await ingestFile(db, { ...ingest, onProgress: progressReporter() });
    if (process.stdout.isTTY) process.stdout.write("\n");
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Modulet ${ingest.moduleSlug} viser nu version ${result.version} (${result.durationSeconds} s film, ${elapsed} s).`,
    );
    return 0;
  });
}

runCommand(main, "Fejl under indlæsning af film");
