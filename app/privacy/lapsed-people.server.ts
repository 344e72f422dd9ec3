import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { licences, memberships, seats, users } from "#db/schema";
import { db, type Db, type Tx } from "~/db.server";
import { danishDate, shiftMonths } from "~/i18n/dates";
import { eraseWithin } from "./erasure.server";
import { privacyPolicyOf } from "./policy.server";

/** Someone who runs a municipality or a unit is never anonymised by the clock: they are not lapsed staff. */
const staffOnly = sql`not exists (
  select 1 from ${memberships} m where m.user_id = ${users.id} and m.role in ('admin', 'leader'))`;

/**
 * The people whose personal data is past their municipalities' retention: staff with no seat in use
 * (a seat counts until it is taken back or its licence's last day has passed), whose last seat
 * ended more than the retention months ago. Someone in several municipalities waits for the
 * longest of their policies. People who never had a seat are left alone: nothing dates them.
 */
function lapsedPeople(handle: Db | Tx, today: string, onlyUserId?: number) {
  const candidates = handle
    .select({ id: users.id, email: users.email, name: users.name, profession: users.profession })
    .from(users)
    .where(
      and(
        isNull(users.platformRole),
        isNull(users.erasedAt),
        onlyUserId === undefined ? undefined : eq(users.id, onlyUserId),
        sql`exists (select 1 from ${memberships} m where m.user_id = ${users.id})`,
        staffOnly,
      ),
    )
    .all();
  if (candidates.length === 0) return [];
  const ids = candidates.map((person) => person.id);

  const lastSeatEnd = new Map<number, string | "active">();
  const seatRows = handle
    .select({ userId: seats.userId, revokedAt: seats.revokedAt, endsOn: licences.endsOn })
    .from(seats)
    .innerJoin(licences, eq(licences.id, seats.licenceId))
    .where(inArray(seats.userId, ids))
    .all();
  for (const seat of seatRows) {
    const ended = seat.revokedAt ? danishDate(seat.revokedAt) : seat.endsOn < today ? seat.endsOn : "active";
    const known = lastSeatEnd.get(seat.userId);
    if (known === "active") continue;
    if (ended === "active" || known === undefined || ended > known) lastSeatEnd.set(seat.userId, ended);
  }

  const retention = new Map<number, number>();
  for (const row of handle
    .select({ userId: memberships.userId, organisationId: memberships.organisationId })
    .from(memberships)
    .where(inArray(memberships.userId, ids))
    .all()) {
    const months = privacyPolicyOf(row.organisationId).retentionMonths;
    retention.set(row.userId, Math.max(retention.get(row.userId) ?? 0, months));
  }

  return candidates.filter((person) => {
    const ended = lastSeatEnd.get(person.id);
    if (ended === undefined || ended === "active") return false;
    return ended < shiftMonths(today, -(retention.get(person.id) ?? 0));
  });
}

/**
 * Anonymises everyone past their retention, each in a transaction of their own that checks them
 * again first: with two processes, the second finds the person already gone and skips them.
 * For the training job, which runs it every five minutes.
 */
export function anonymiseLapsedPeople(now = new Date()): { anonymised: number } {
  const today = danishDate(now);
  let anonymised = 0;
  for (const { id } of lapsedPeople(db, today)) {
    const done = db.transaction(
      (tx) => {
        const person = lapsedPeople(tx, today, id)[0];
        if (!person) return false;
        eraseWithin(tx, person, now);
        return true;
      },
      { behavior: "immediate" },
    );
    if (done) anonymised += 1;
  }
  return { anonymised };
}
