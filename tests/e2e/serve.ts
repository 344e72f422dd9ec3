import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { projectRoot, tmpDir } from "../setup/paths";

/**
 * The server the browser tests talk to: a fresh seeded database of its own, the demo media
 * (shared with `npm start`, so already built films are reused), and the production build.
 */
const port = process.env.PORT ?? "3100";
// Named by port, so a second server (another checkout's run, a helper's spec) never shares a database.
const database = path.join(tmpDir, `e2e-${port}.sqlite`);
fs.mkdirSync(tmpDir, { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${database}${suffix}`, { force: true });

const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_PATH: database,
  NODE_ENV: "test",
  SESSION_SECRET: "e2e-secret-that-is-long-enough-for-hmac-use",
  PORT: port,
  UPLOAD_DIR: path.join(tmpDir, `e2e-uploads-${port}`),
  // Read by tests/e2e/operations.spec.ts, as Prometheus would scrape.
  METRICS_TOKEN: "e2e-metrics-token-long-enough-for-the-check",
};
delete env.SMTP_URL;

const prepare = spawnSync("npx", ["tsx", "app/cli/prepare.ts", "--no-prune"], {
  cwd: projectRoot,
  env,
  stdio: "inherit",
});
if (prepare.status !== 0) process.exit(prepare.status ?? 1);

const server = spawn("npx", ["tsx", "app/cli/serve.ts"], { cwd: projectRoot, env, stdio: "inherit" });
// The server starts no background work under NODE_ENV=test, so the owner's uploads get a worker of their own, as in a deployment that runs it apart.
const mediaWorker = spawn("npx", ["tsx", "app/cli/media-worker.ts", "--no-prune"], {
  cwd: projectRoot,
  env,
  stdio: "inherit",
});
const stop = () => {
  mediaWorker.kill("SIGTERM");
  server.kill("SIGTERM");
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => {
  mediaWorker.kill("SIGTERM");
  process.exit(code ?? 0);
});
