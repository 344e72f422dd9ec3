import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { invoices, licenceCourses, licences, memberships, orders, seats, unpaidInvoiceStatuses } from "#db/schema";
import { db as defaultDb, type Db, type Tx } from "~/db.server";
import { danishDate, isIsoDate, shiftDays } from "~/i18n/dates";

export type NewLicence = {
  organisationId: number;
  planId: number | null;
  seatCount: number;
  startsOn: string;
  endsOn: string;
  courseIds: number[];
};

/** Creates a licence with its courses in one step; the caller's transaction, if any, holds it. */
export function createLicence(target: Db | Tx, licence: NewLicence): number {
  if (!isIsoDate(licence.startsOn) || !isIsoDate(licence.endsOn) || licence.startsOn > licence.endsOn) {
    throw new RangeError(`Ugyldig licensperiode ${licence.startsOn}–${licence.endsOn}`);
  }
  if (!Number.isInteger(licence.seatCount) || licence.seatCount < 1) {
    throw new RangeError(`Ugyldigt antal pladser: ${licence.seatCount}`);
  }
  const row = target
    .insert(licences)
    .values({
      organisationId: licence.organisationId,
      planId: licence.planId,
      seatCount: licence.seatCount,
      startsOn: licence.startsOn,
      endsOn: licence.endsOn,
    })
    .returning({ id: licences.id })
    .get();
  for (const courseId of licence.courseIds) {
    target.insert(licenceCourses).values({ licenceId: row.id, courseId }).onConflictDoNothing().run();
  }
  return row.id;
}

export type ClaimResult =
  | { status: "claimed"; seatId: number }
  | { status: "alreadyHolds"; seatId: number }
  | { status: "full" }
  | { status: "notActive" }
  | { status: "suspended" }
  | { status: "unknownLicence" };

/** How long past its due date an invoice may stay unpaid before new seats stop being handed out. */
export const SUSPEND_AFTER_DAYS_OVERDUE = 14;

/**
 * Whether one of the licence's invoices is still unpaid 14 days after it fell due. Only new
 * seats are held back: people who already hold one keep their access.
 */
export function isLicenceSuspended(licenceId: number, now = new Date(), database: Db | Tx = defaultDb): boolean {
  const lastAcceptableDueDate = shiftDays(danishDate(now), -SUSPEND_AFTER_DAYS_OVERDUE);
  const overdue = database
    .select({ id: invoices.id })
    .from(invoices)
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .where(
      and(
        eq(orders.licenceId, licenceId),
        inArray(invoices.status, unpaidInvoiceStatuses),
        lt(invoices.dueDate, lastAcceptableDueDate),
      ),
    )
    .get();
  return overdue !== undefined;
}

/**
 * Gives the person a seat on the licence if one is free. The check and the insert are one SQL
 * statement, so however many people accept at the same moment, no more seats are taken than
 * were bought: SQLite runs each write statement alone.
 */
export function claimSeat(
  licenceId: number,
  userId: number,
  now = new Date(),
  database: Db | Tx = defaultDb,
): ClaimResult {
  const licence = database.select().from(licences).where(eq(licences.id, licenceId)).get();
  if (!licence) return { status: "unknownLicence" };
  const today = danishDate(now);
  if (today < licence.startsOn || today > licence.endsOn) return { status: "notActive" };
  if (isLicenceSuspended(licenceId, now, database)) return { status: "suspended" };

  const held = () =>
    database
      .select({ id: seats.id })
      .from(seats)
      .where(and(eq(seats.licenceId, licenceId), eq(seats.userId, userId), isNull(seats.revokedAt)))
      .get();
  const existing = held();
  if (existing) return { status: "alreadyHolds", seatId: existing.id };

  const inserted = database.run(sql`
    insert into ${seats} (licence_id, user_id, claimed_at)
    select ${licenceId}, ${userId}, ${now.getTime()}
    where (select count(*) from ${seats} where licence_id = ${licenceId} and revoked_at is null)
        < (select seat_count from ${licences} where id = ${licenceId})
    on conflict do nothing
  `);
  if (inserted.changes === 1) {
    // Every way to a seat (invitation, join link, municipal sign-in, an approved request) passes
    // here: holding a seat again lists someone the grace period had stopped listing as staff.
    database
      .update(memberships)
      .set({ unlistedAt: null })
      .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, licence.organisationId)))
      .run();
    return { status: "claimed", seatId: Number(inserted.lastInsertRowid) };
  }
  // Lost a race to the same person's other tab, or the licence filled up.
  const raced = held();
  return raced ? { status: "alreadyHolds", seatId: raced.id } : { status: "full" };
}

/** Takes a seat back: it becomes free, while the person's history stays. */
export function revokeSeat(seatId: number, now = new Date(), database: Db | Tx = defaultDb): boolean {
  const result = database
    .update(seats)
    .set({ revokedAt: now })
    .where(and(eq(seats.id, seatId), isNull(seats.revokedAt)))
    .run();
  return result.changes === 1;
}

export function seatsInUse(licenceId: number, database: Db | Tx = defaultDb): number {
  return (
    database
      .select({ n: sql<number>`count(*)` })
      .from(seats)
      .where(and(eq(seats.licenceId, licenceId), isNull(seats.revokedAt)))
      .get()?.n ?? 0
  );
}
