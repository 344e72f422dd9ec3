import { like } from "drizzle-orm";
import { platformSettings } from "#db/schema";
import { signIn } from "~/auth/auth.server";
import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import { db, sqlite } from "~/db.server";

/**
 * The platform started on a restored database, as far as Vitest can without a Remix build: a
 * process of its own opening DATABASE_PATH through the app's connection module (migrated on first
 * use, as the server's first request does), signing a demo account in through the app's own
 * sign-in, and reporting the drill's rows and the integrity check as JSON.
 */
const integrity = sqlite().pragma("integrity_check", { simple: true });
const signedIn = await signIn(demoEmails.learner, DEMO_PASSWORD, "127.0.0.1");
const ids = db
  .select({ value: platformSettings.value })
  .from(platformSettings)
  .where(like(platformSettings.key, "drill:%"))
  .all()
  .map((row) => Number(row.value));
sqlite().close();
process.stdout.write(JSON.stringify({ integrity, signIn: signedIn.status, ids }));
