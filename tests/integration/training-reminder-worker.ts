import { parentPort, workerData } from "node:worker_threads";
import { sqlite } from "~/db.server";
import { sendLearnerReminders } from "~/training/reminders.server";

/**
 * One of several processes' worth of the reminder step: this thread has its own connection to
 * the test database (DATABASE_PATH, inherited), waits until every worker is ready, then runs the
 * step with the moment it was given and reports which rounds and steps it sent.
 */
const { now, go } = workerData as { now: string; go: SharedArrayBuffer };
sqlite();
parentPort?.postMessage("ready");
Atomics.wait(new Int32Array(go), 0, 0);
const sent = await sendLearnerReminders(new Date(now));
sqlite().close();
parentPort?.postMessage(sent.map((reminder) => `${reminder.cycleId}:${reminder.step}`));
