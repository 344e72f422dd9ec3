import { parentPort, workerData } from "node:worker_threads";
import { runScheduledBackup } from "~/backup/schedule.server";
import { sqlite } from "~/db.server";

/**
 * One of several processes' worth of the scheduled backup: its own connection to the test
 * database, released together with the others, reporting whether it made the slot's backup.
 */
const { now, go } = workerData as { now: string; go: SharedArrayBuffer };
sqlite();
parentPort?.postMessage("ready");
Atomics.wait(new Int32Array(go), 0, 0);
const outcome = await runScheduledBackup(new Date(now));
sqlite().close();
parentPort?.postMessage(outcome.status);
