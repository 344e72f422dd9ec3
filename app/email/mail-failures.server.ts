import { mailFailures, type mailFailureKinds } from "#db/schema";
import { db } from "~/db.server";

/** Notes that a mail failed, for the failure counters on /metrics; outside any transaction, so it stays even when the caller's work is undone. */
export function recordMailFailure(kind: (typeof mailFailureKinds)[number], now = new Date()) {
  db.insert(mailFailures).values({ kind, failedAt: now }).run();
}
