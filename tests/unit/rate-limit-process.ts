import { consumeAllowance, type RateLimitKind } from "~/auth/rate-limits.server";

/**
 * Run as a process of its own by rate-limits.test.ts: counts attempts against the database in
 * DATABASE_PATH, as a second server process would, and prints what each was answered.
 */
const [kind, key, times] = process.argv.slice(2) as [RateLimitKind, string, string];
const answers: boolean[] = [];
for (let i = 0; i < Number(times); i++) answers.push(await consumeAllowance(kind, key));
process.stdout.write(JSON.stringify(answers));
