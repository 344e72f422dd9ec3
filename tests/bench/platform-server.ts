import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { projectRoot } from "../setup/paths";

/**
 * What the benches that measure the built platform from outside need around it: a port and a
 * current production build. The process itself is started by tests/utils/platform-process.ts.
 */

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
