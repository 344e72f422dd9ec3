import { setImmediate as nextTurn } from "node:timers/promises";
import { platformSettings } from "#db/schema";
import { db, sqlite } from "~/db.server";

/**
 * The restore drill's steady writer: a process of its own on DATABASE_PATH, as the platform is,
 * inserting one numbered row at a time and printing each number only after its insert committed,
 * so every number the test reads is an acknowledged write. Stops cleanly on SIGTERM. The backup
 * benchmark (tests/bench/backup.ts) runs it too, as the load a copy is made under.
 */
let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});

for (let id = 1; !stopping; id++) {
  db.insert(platformSettings)
    .values({ key: `drill:${process.pid}:${id}`, value: String(id) })
    .run();
  process.stdout.write(`${id}\n`);
  await nextTurn();
}
sqlite().close();
