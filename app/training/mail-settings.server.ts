import { eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { trainingMailSettings } from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { administeredOrganisations, administers } from "~/licensing/overview.server";
import type { TrainingMailKind, TrainingMailSettings } from "./mail-settings";

const columns = {
  learnerReminders: trainingMailSettings.learnerReminders,
  leaderDigest: trainingMailSettings.leaderDigest,
  adminSummary: trainingMailSettings.adminSummary,
} as const;

/**
 * For the queries that pick who gets mail: the municipality sends this kind. A municipality
 * without a row has never touched the switches, and sends everything.
 */
export function mailSwitchedOn(kind: TrainingMailKind, organisationId: SQLWrapper): SQL {
  return sql`coalesce((select ${columns[kind]} from ${trainingMailSettings} where ${trainingMailSettings.organisationId} = ${organisationId}), 1) = 1`;
}

function storedSettings(organisationId: number): TrainingMailSettings {
  const row = db
    .select(columns)
    .from(trainingMailSettings)
    .where(eq(trainingMailSettings.organisationId, organisationId))
    .get();
  return row ?? { learnerReminders: true, leaderDigest: true, adminSummary: true };
}

/**
 * The switches of one municipality the user administers, with the others they administer for
 * the switcher; null for any other municipality, so it is answered as if it did not exist.
 * Without an organisation asked for, the first one.
 */
export function mailSettingsForAdmin(user: Pick<SessionUser, "id">, organisationId: number | undefined) {
  const organisations = administeredOrganisations(user);
  const organisation =
    organisationId === undefined ? organisations[0] : organisations.find((o) => o.id === organisationId);
  if (!organisation) return null;
  return { organisation, organisations, settings: storedSettings(organisation.id) };
}

/** Saves all three switches at once; "forbidden" for a municipality the user does not administer. */
export function saveMailSettings(
  user: Pick<SessionUser, "id">,
  organisationId: number,
  settings: TrainingMailSettings,
  now = new Date(),
): "saved" | "forbidden" {
  if (!administers(user, organisationId)) return "forbidden";
  const values = { ...settings, updatedBy: user.id, updatedAt: now };
  db.insert(trainingMailSettings)
    .values({ organisationId, ...values })
    .onConflictDoUpdate({ target: trainingMailSettings.organisationId, set: values })
    .run();
  return "saved";
}
