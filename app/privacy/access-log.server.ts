import { type AccessLogAction, accessLog } from "#db/schema";
import { db, type Tx } from "~/db.server";

export type AccessRecord = {
  viewerId: number;
  organisationId: number | null;
  action: AccessLogAction;
  format?: "csv" | "json" | "pdf";
};

/**
 * Notes that someone viewed or exported personal data. Called by the route after its access check
 * passed and before the data leaves, inside the caller's transaction when it has one (an erasure).
 */
export function recordAccess(record: AccessRecord, now = new Date(), handle: Pick<Tx, "insert"> = db) {
  handle
    .insert(accessLog)
    .values({ ...record, format: record.format ?? null, at: now })
    .run();
}
