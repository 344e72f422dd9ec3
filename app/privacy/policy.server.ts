import { eq } from "drizzle-orm";
import { DEFAULT_RETENTION_MONTHS, DEFAULT_UNLIST_GRACE_DAYS, privacySettings } from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { administers } from "~/licensing/overview.server";

export type PrivacyPolicy = { retentionMonths: number; unlistGraceDays: number; isDefault: boolean };

/** The municipality's choices, or the platform's defaults when it has made none. */
export function privacyPolicyOf(organisationId: number): PrivacyPolicy {
  const row = db
    .select({ retentionMonths: privacySettings.retentionMonths, unlistGraceDays: privacySettings.unlistGraceDays })
    .from(privacySettings)
    .where(eq(privacySettings.organisationId, organisationId))
    .get();
  return row
    ? { ...row, isDefault: false }
    : { retentionMonths: DEFAULT_RETENTION_MONTHS, unlistGraceDays: DEFAULT_UNLIST_GRACE_DAYS, isDefault: true };
}

export type PrivacyPolicyChoice = Pick<PrivacyPolicy, "retentionMonths" | "unlistGraceDays">;

/**
 * Saves the municipality's choices, recording who made them. "forbidden" for a municipality the
 * user does not administer, which the route answers as if it did not exist.
 */
export function savePrivacyPolicy(
  user: Pick<SessionUser, "id">,
  organisationId: number,
  choice: PrivacyPolicyChoice,
  now = new Date(),
): "saved" | "forbidden" {
  if (!administers(user, organisationId)) return "forbidden";
  const values = { ...choice, updatedAt: now, updatedBy: user.id };
  db.insert(privacySettings)
    .values({ organisationId, ...values })
    .onConflictDoUpdate({ target: privacySettings.organisationId, set: values })
    .run();
  return "saved";
}
