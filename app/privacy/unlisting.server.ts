import { sql } from "drizzle-orm";
import { DEFAULT_UNLIST_GRACE_DAYS, licences, memberships, privacySettings, seats } from "#db/schema";
import { db } from "~/db.server";

/**
 * Stops listing as staff the learners whose seat in a municipality was taken back and who hold no
 * other active seat there, once the municipality's grace period has passed since the last seat
 * ended. Leaders and admins are listed for their role, seat or not, and someone who never held
 * a seat there is not "lapsed". One UPDATE worked out from the database, so running it again, or in
 * two processes, changes nothing; a new seat lists the person again (claimSeat). Returns how many.
 */
export function unlistLapsedMembers(now = new Date()): number {
  const seatsHere = sql`from ${seats} join ${licences} on ${licences.id} = ${seats.licenceId}
    where ${seats.userId} = ${memberships.userId} and ${licences.organisationId} = ${memberships.organisationId}`;
  const graceDays = sql`coalesce((select ${privacySettings.unlistGraceDays} from ${privacySettings}
    where ${privacySettings.organisationId} = ${memberships.organisationId}), ${DEFAULT_UNLIST_GRACE_DAYS})`;
  return db
    .update(memberships)
    .set({ unlistedAt: now })
    .where(
      sql`${memberships.unlistedAt} is null and ${memberships.role} = 'learner'
        and exists (select 1 ${seatsHere})
        and not exists (select 1 ${seatsHere} and ${seats.revokedAt} is null)
        and (select max(${seats.revokedAt}) ${seatsHere}) <= ${now.getTime()} - ${graceDays} * 86400000`,
    )
    .run().changes;
}
