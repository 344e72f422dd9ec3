import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { projectRoot } from "../setup/paths";

/** The built platform (app/cli/serve.ts) as its own process, for the benches that measure it from outside. */

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** The preferred port when it is free, so figures from two runs name the same address; any free one otherwise. */
export async function choosePort(preferred: number): Promise<number> {
  if (await portIsFree(preferred)) return preferred;
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port")),
      );
    });
  });
}

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

// Only what the compiler reads: db/ also holds the demo database, which changes whenever the demo runs.
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|css|json)$/;

function newestSource(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return SOURCE_FILE.test(target) ? stat.mtimeMs : 0;
  return fs.readdirSync(target).reduce((newest, entry) => Math.max(newest, newestSource(path.join(target, entry))), 0);
}

/**
 * `remix build` empties build/assets, which would pull the scripts from under any other server
 * running the same build (a test run, `npm start`); so it only runs when the sources changed.
 */
export function buildIsCurrent(): boolean {
  const serverBuild = path.join(projectRoot, "build/index.js");
  const built = fs.statSync(serverBuild, { throwIfNoEntry: false });
  if (!built) return false;
  // The browser tests build under NODE_ENV=test, which compiles JSX for React's development runtime;
  // the bench serves under NODE_ENV=production, where that runtime is missing and every page fails.
  if (fs.readFileSync(serverBuild, "utf8").includes("react/jsx-dev-runtime")) return false;
  const sources = ["app", "db", "remix.config.js", "package-lock.json"].map((entry) =>
    newestSource(path.join(projectRoot, entry)),
  );
  return Math.max(...sources) <= built.mtimeMs;
}

/** `npm run build` when build/ is missing, older than the sources or not a production build; says whether it had to. */
export function ensureBuild(): boolean {
  if (buildIsCurrent()) return false;
  const build = spawnSync("npm", ["run", "-s", "build"], {
    cwd: projectRoot,
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  if (build.status !== 0)
    throw new Error(
      `npm run build failed (${build.status}):\n${build.stdout.slice(-4000)}\n${build.stderr.slice(-4000)}`,
    );
  return true;
}

export type PlatformProcess = { baseUrl: string; stop(): Promise<void> };

/**
 * `tsx app/cli/serve.ts` on `env.PORT`, answered /healthz; an interrupted bench stops it too.
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
