import { parentPort, workerData } from "node:worker_threads";
import { sqlite } from "~/db.server";
import { renewExpiredCycles } from "~/training/renewal.server";

/**
 * One of two processes running the renewal at the same moment: each worker has its own connection
 * to the test database (its DATABASE_PATH), opened before it waits, and renews once released.
 */
const { now, go } = workerData as { now: string; go: SharedArrayBuffer };
sqlite();
parentPort?.postMessage("ready");
Atomics.wait(new Int32Array(go), 0, 0);
const renewed = renewExpiredCycles(new Date(now));
sqlite().close();
parentPort?.postMessage(renewed);
