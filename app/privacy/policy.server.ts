import { eq } from "drizzle-orm";
import { DEFAULT_RETENTION_MONTHS, DEFAULT_UNLIST_GRACE_DAYS, privacySettings } from "#db/schema";
import { db } from "~/db.server";

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
