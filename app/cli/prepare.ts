import { spawnSync } from "node:child_process";
import { isDatabaseEmpty, seedDatabase } from "#db/seed";
import { getEnv } from "~/env.server";
import { migrateDatabase, openDatabase } from "~/db.server";
import { ensureFfmpeg } from "~/media/ffmpeg.server";
import { buildSyntheticMediaForAllModules } from "~/media/catalog-media.server";

/**
 * Everything a first start needs, each step skipped when already done: migrate, seed an
 * empty database, build the demo media, build the app.
 */
const skipBuild = process.argv.includes("--no-build");
const env = getEnv();
const { db, sqlite } = openDatabase(env.DATABASE_PATH);
try {
  migrateDatabase(db);
  if (isDatabaseEmpty(db)) {
    console.log("Tom database: lægger demodata ind …");
    await seedDatabase(db);
  }
  await ensureFfmpeg();
  await buildSyntheticMediaForAllModules(db, { log: (line) => console.log(line) });
} finally {
  sqlite.close();
}

if (!skipBuild) {
  const build = spawnSync("npx", ["remix", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
