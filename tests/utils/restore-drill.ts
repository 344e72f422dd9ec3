import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../setup/paths";

/**
 * What the two restore drills share: the one in Vitest (tests/integration/backup-restore.test.ts,
 * the object store as target) and the one in the browser (tests/e2e/restore-drill.spec.ts, the
 * backup folder, with the built platform started on the restored database).
 */

export const tsx = path.join(projectRoot, "node_modules/.bin/tsx");

export type Finished = { status: number | null; stdout: string; stderr: string };

/**
 * A command of the project run to its end, as an operator runs it (`npm run db:backup`, a script
 * under tsx); asynchronous, so what the caller keeps going meanwhile (s3rver, a writer) goes on.
 */
export function runInProject([command, ...args]: [string, ...string[]], env: Record<string, string>) {
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<Finished>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * A drill writer: a script of its own process that prints the number of each write once it is
 * acknowledged (committed), and stops cleanly on SIGTERM. Holds the numbers printed so far.
 */
export function startWriter(script: string, env: Record<string, string>) {
  const child: ChildProcess = spawn(tsx, [script], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const acknowledged: number[] = [];
  let partial = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) acknowledged.push(Number(line));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    acknowledged,
    async waitFor(count: number) {
      const deadline = Date.now() + 30_000;
      while (acknowledged.length < count) {
        if (child.exitCode !== null) throw new Error(`The writer stopped with ${child.exitCode}`);
        if (Date.now() > deadline) throw new Error(`Only ${acknowledged.length} writes in 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    /** Its exit code; safe to call again, and after it stopped by itself. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** The person the browser drill's writer creates as its `number`th write, in Demo Kommune's own domain. */
export const drillPersonEmail = (number: number) => `drill-${number}@demo-kommune.dk`;

/** The number of a drill person's write, or null for anyone else. */
export function drillPersonNumber(userName: string): number | null {
  const match = /^drill-(\d+)@demo-kommune\.dk$/.exec(userName);
  return match ? Number(match[1]) : null;
}
