import path from "node:path";
import { Worker } from "node:worker_threads";
import { projectRoot } from "../setup/paths";

/**
 * Runs a worker file (under tests/) in `count` threads at once, each with its own database
 * connection, as several server processes would run a job; they are released together once all
 * are ready, so their reads and claims really overlap. Resolves with what each worker sent back.
 * A worker posts "ready", waits on `workerData.go`, does its work as of `workerData.now`, and
 * posts its result.
 */
export function raceWorkers<Result>(workerFile: string, now: Date, count = 4): Promise<Result[]> {
  const go = new SharedArrayBuffer(4);
  let ready = 0;
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Result>((resolve, reject) => {
          const worker = new Worker(
            `import { register } from "tsx/esm/api"; register(); await import(${JSON.stringify(
              path.join(projectRoot, "tests", workerFile),
            )});`,
            { eval: true, workerData: { now: now.toISOString(), go } },
          );
          worker.on("message", (message: "ready" | Result) => {
            if (message !== "ready") return resolve(message);
            if (++ready === count) {
              Atomics.store(new Int32Array(go), 0, 1);
              Atomics.notify(new Int32Array(go), 0);
            }
          });
          worker.once("error", reject);
        }),
    ),
  );
}
