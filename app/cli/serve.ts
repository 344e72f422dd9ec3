import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { broadcastDevReady, installGlobals, type ServerBuild } from "@remix-run/node";

/**
 * `npm start` ends here: the built app behind the platform's own HTTP server (app/server/).
 * Under `npm run dev` (NODE_ENV=development) it picks up each new build without a restart.
 */
process.env.NODE_ENV ??= "production";
installGlobals({ nativeFetch: true });

const { getEnv } = await import("~/env.server");
const { createServerApp } = await import("~/server/app.server");
const { createHttpServer } = await import("~/server/http-server.server");

const env = getEnv();
const buildFile = path.resolve("build/index.js");

async function importBuild(): Promise<ServerBuild> {
  // The query string makes Node load a rebuilt file instead of the one it has cached.
  return (await import(`${pathToFileURL(buildFile).href}?t=${fs.statSync(buildFile).mtimeMs}`)) as ServerBuild;
}

const build = await importBuild();
const server = createHttpServer(createServerApp(build, env));
server.listen(env.PORT, () => {
  console.log(`Rettidig kører på ${env.PUBLIC_URL}`);
  if (env.NODE_ENV === "development") void broadcastDevReady(build);
});

if (env.NODE_ENV === "development") {
  fs.watch(path.dirname(buildFile), async (_event, file) => {
    if (file !== "version.txt") return;
    const rebuilt = await importBuild();
    server.removeAllListeners("request");
    server.on("request", createServerApp(rebuilt, env));
    void broadcastDevReady(rebuilt);
  });
}

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
