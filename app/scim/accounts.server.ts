import { and, eq, isNull } from "drizzle-orm";
import { licences, memberships, scimUsers, seatEvents, seats, sessions, users } from "#db/schema";
import type { Tx } from "~/db.server";

/**
 * Makes the person one of the municipality's people. A new membership is a learner's; an existing
 * one keeps its role (the admin's or the municipal login's to set), and its unit unless one is named.
 */
export function placeInMunicipality(tx: Tx, organisationId: number, userId: number, unitId: number | null) {
  const membership = tx.insert(memberships).values({ userId, organisationId, role: "learner", unitId });
  if (unitId !== null) {
    membership.onConflictDoUpdate({ target: [memberships.userId, memberships.organisationId], set: { unitId } }).run();
  } else {
    membership.onConflictDoNothing().run();
  }
}

/**
 * The directory removed the person, inside the caller's transaction: every seat they hold on this
 * municipality's licences comes back (logged as deprovisioned, by nobody), every session of theirs
 * ends, and the account is closed for sign-in. History, progress and certificates stay.
 */
export function deactivateAccount(tx: Tx, organisationId: number, scimUserId: string, userId: number, now: Date) {
  const person = tx.select({ email: users.email }).from(users).where(eq(users.id, userId)).get();
  const held = tx
    .select({ id: seats.id, licenceId: seats.licenceId })
    .from(seats)
    .innerJoin(licences, eq(licences.id, seats.licenceId))
    .where(and(eq(seats.userId, userId), isNull(seats.revokedAt), eq(licences.organisationId, organisationId)))
    .all();
  for (const seat of held) {
    tx.update(seats).set({ revokedAt: now }).where(eq(seats.id, seat.id)).run();
    tx.insert(seatEvents)
      .values({
        licenceId: seat.licenceId,
        kind: "deprovisioned",
        subjectEmail: person?.email ?? "",
        actorUserId: null,
        at: now,
      })
      .run();
  }
  tx.delete(sessions).where(eq(sessions.userId, userId)).run();
  tx.update(users)
    .set({ deactivatedAt: now })
    .where(and(eq(users.id, userId), isNull(users.deactivatedAt)))
    .run();
  tx.update(scimUsers).set({ active: false, updatedAt: now }).where(eq(scimUsers.id, scimUserId)).run();
}

/** The directory let the person back in: they may sign in again, and get a seat the ordinary way. */
export function reactivateAccount(tx: Tx, scimUserId: string, userId: number, now: Date) {
  tx.update(users).set({ deactivatedAt: null }).where(eq(users.id, userId)).run();
  tx.update(scimUsers).set({ active: true, updatedAt: now }).where(eq(scimUsers.id, scimUserId)).run();
}
