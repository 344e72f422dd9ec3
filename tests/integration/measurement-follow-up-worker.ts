import { parentPort, workerData } from "node:worker_threads";
import { sqlite } from "~/db.server";
import { sendMeasurementFollowUps } from "~/measurement/follow-ups.server";

/**
 * One of several processes' worth of the follow-up step: its own connection to the test database
 * (DATABASE_PATH, inherited), released together with the others, reporting whom it mailed and what.
 */
const { now, go } = workerData as { now: string; go: SharedArrayBuffer };
sqlite();
parentPort?.postMessage("ready");
Atomics.wait(new Int32Array(go), 0, 0);
const { sent } = await sendMeasurementFollowUps(new Date(now));
sqlite().close();
parentPort?.postMessage(sent.map((mail) => `${mail.to}:${mail.moment}:${mail.step}`));
