import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "~/db.server";
import { claimSeat } from "~/licensing/licences.server";

/**
 * One of several connections racing for seats: each worker opens its own connection to the
 * same file, waits until every worker is ready, then claims a seat for each of its users.
 */
const { file, licenceId, userIds, go } = workerData as {
  file: string;
  licenceId: number;
  userIds: number[];
  go: SharedArrayBuffer;
};
const { db, sqlite } = openDatabase(file);
const signal = new Int32Array(go);
parentPort?.postMessage("ready");
Atomics.wait(signal, 0, 0);
const results = userIds.map((userId) => claimSeat(licenceId, userId, new Date(), db).status);
sqlite.close();
parentPort?.postMessage(results);
