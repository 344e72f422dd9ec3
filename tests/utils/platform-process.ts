import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../setup/paths";

/**
 * The built platform (app/cli/serve.ts) as a process of its own, for what must reach it from
 * outside: the benches that measure it, and the browser restore drill that starts it on a restored
 * database.
 */

/** Keeps only the tail of the server's output, which is what explains a failed start. */
function tail(child: ChildProcess, keep = 8000) {
  let text = "";
  const add = (chunk: Buffer) => {
    text = (text + chunk.toString("utf8")).slice(-keep);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => text;
}

async function waitForHealth(baseUrl: string, server: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited with ${server.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The server did not answer /healthz within 60 s:\n${output()}`);
}

async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

export type PlatformProcess = { baseUrl: string; stop(): Promise<void> };

/**
 * `tsx app/cli/serve.ts` on `env.PORT`, answered /healthz; an interrupted run stops it too.
 */
export async function startPlatform(env: NodeJS.ProcessEnv, baseUrl: string): Promise<PlatformProcess> {
  const server = spawn(
    process.execPath,
    [path.join(projectRoot, "node_modules/tsx/dist/cli.mjs"), "app/cli/serve.ts"],
    { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = tail(server);
  const interrupted = () => {
    server.kill("SIGTERM");
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const stop = async () => {
    await stopServer(server);
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  };
  try {
    await waitForHealth(baseUrl, server, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}
