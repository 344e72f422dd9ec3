/**
 * npx tsx app/cli/media-worker.ts [--no-prune]
 * Works through the transcoding queue outside the web server, e.g. on a machine of its own
 * with the same database and folders. It runs until stopped; a job it is killed in the middle
 * of is taken over by the next worker once its heartbeat has gone quiet. --no-prune leaves
 * superseded film versions alone, as `prepare --no-prune` does, for a media folder shared with
 * another database.
 */
import { runCommand } from "~/cli/command";
import { ensureFfmpeg } from "~/media/ffmpeg.server";
import { startMediaWorker } from "~/media/media-worker.server";

runCommand(async () => {
  await ensureFfmpeg();
  startMediaWorker({
    keepProcessAlive: true,
    pruneVersions: !process.argv.includes("--no-prune"),
    log: (line) => console.error(line),
  });
  console.log("Mediekøen kører. Stop med Ctrl+C.");
  return 0;
}, "Fejl i mediekøen");
