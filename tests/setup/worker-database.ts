import fs from "node:fs";
import path from "node:path";
import { templateDatabase, tmpDir } from "./paths";

// Runs before any app module is imported in this worker, so the db singleton opens the copy.
const workerId = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? "0";
const file = path.join(tmpDir, `worker-${workerId}.sqlite`);
if (!process.env.RETTIDIG_TEST_DB_READY) {
  fs.copyFileSync(templateDatabase, file);
  process.env.RETTIDIG_TEST_DB_READY = "1";
}
process.env.DATABASE_PATH = file;
process.env.NODE_ENV = "test";
process.env.SESSION_SECRET ??= "test-secret-that-is-long-enough-for-hmac-use";
process.env.MEDIA_DIR ??= path.join(tmpDir, "media");
delete process.env.SMTP_URL;
