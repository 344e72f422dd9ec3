import { spawn } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { projectRoot } from "../setup/paths";

/**
 * autocannon in a process of its own: on two cores the load generator must not share a thread
 * (or an event loop and a heap) with the Node servers it measures. The bench process starts this
 * file per tier and reads one JSON line back.
 */

export type TierLoad = {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Every response must have this status and exactly this many body bytes to count. */
  status: number;
  bodyBytes: number;
};

export type TierResult = {
  requests: number;
  bodyBytes: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with another status or length, connection errors and timeouts: none of them count as served. */
  wrong: number;
  errors: number;
  firstWrong: string | null;
  /** The generator's own CPU time over the run's wall time: near 100 % means it, not the server, set the pace. */
  generatorCpuPercent: number;
};

/** The part of autocannon 9's client (lib/httpClient.js) this file reaches into; checked before use. */
type ResponseQueue = {
  peek(): { bodyBytes?: number } | undefined;
  addBody(data: Buffer): void;
  terminateRequest(): { headers: { statusCode: number }; bodyBytes?: number } | undefined;
};

function run(load: TierLoad, seconds: number): Promise<TierResult> {
  let served = 0;
  let bodyBytes = 0;
  let wrong = 0;
  let firstWrong: string | null = null;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: load.url,
        headers: load.headers,
        connections: load.connections,
        duration: seconds,
        // autocannon keeps each body as a string built chunk by chunk (lib/pipelinedRequestsQueue.js):
        // for 2 MiB of video that decoding would be most of the generator's work and cap every tier
        // at the generator's speed. Counting the bytes instead is all the check below needs.
        setupClient(client) {
          const queue = (client as unknown as { pipelinedRequests?: ResponseQueue }).pipelinedRequests;
          if (!queue || typeof queue.addBody !== "function" || typeof queue.terminateRequest !== "function")
            throw new Error("autocannon's client no longer has the response queue this bench counts bytes in");
          const terminate = queue.terminateRequest.bind(queue);
          queue.addBody = (data: Buffer) => {
            const pending = queue.peek();
            if (pending) pending.bodyBytes = (pending.bodyBytes ?? 0) + data.byteLength;
          };
          queue.terminateRequest = () => {
            const done = terminate();
            if (!done) return done;
            const status = done.headers.statusCode;
            const bytes = done.bodyBytes ?? 0;
            if (status === load.status && bytes === load.bodyBytes) {
              served++;
              bodyBytes += bytes;
            } else {
              wrong++;
              firstWrong ??= `expected ${load.status} with ${load.bodyBytes} bytes, got ${status} with ${bytes}`;
            }
            return done;
          };
        },
      },
      (error, result) => {
        if (error) return reject(error);
        const cpu = process.cpuUsage(cpuBefore);
        resolve({
          generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - started)) * 100,
          requests: served,
          bodyBytes,
          seconds: result.duration,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          wrong,
          errors: result.errors + result.timeouts,
          firstWrong,
        });
      },
    );
  });
}

/** Runs one tier in a child process: warm-up first (connections open, files in the page cache), then the measured run. */
export function measureTier(load: TierLoad): Promise<TierResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), JSON.stringify(load)], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`The load generator for ${load.url} exited with ${code}`));
      resolve(JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as TierResult);
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const load = JSON.parse(process.argv[2] ?? "{}") as TierLoad;
  await run(load, load.warmupSeconds);
  console.log(JSON.stringify(await run(load, load.seconds)));
}
