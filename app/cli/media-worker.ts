/**
 * npx tsx app/cli/media-worker.ts
 * Works through the transcoding queue outside the web server, e.g. on a machine of its own
 * with the same database and folders. It runs until stopped; a job it is killed in the middle
 * of is taken over by the next worker once its heartbeat has gone quiet.
 */
import { runCommand } from "~/cli/command";
import { ensureFfmpeg } from "~/media/ffmpeg.server";
import { startMediaWorker } from "~/media/jobs.server";

runCommand(async () => {
  await ensureFfmpeg();
  startMediaWorker({ keepProcessAlive: true, log: (line) => console.error(line) });
  console.log("Mediekøen kører. Stop med Ctrl+C.");
  return 0;
}, "Fejl i mediekøen");
