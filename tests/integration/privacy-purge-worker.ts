import { parentPort, workerData } from "node:worker_threads";
import { sqlite } from "~/db.server";
import { runPrivacyPurge } from "~/privacy/purge.server";

/**
 * One of several processes' worth of the nightly purge: its own connection to the test database,
 * released together with the others, reporting whether it ran the night or found it claimed.
 */
const { now, go } = workerData as { now: string; go: SharedArrayBuffer };
sqlite();
parentPort?.postMessage("ready");
Atomics.wait(new Int32Array(go), 0, 0);
const outcome = runPrivacyPurge(new Date(now));
sqlite().close();
parentPort?.postMessage(outcome.status);
