import { randomUUID } from "node:crypto";
import { eq, isNotNull } from "drizzle-orm";
import { memberships, privacySettings, seats, users, type MembershipRole } from "#db/schema";
import { db } from "~/db.server";
import { danishDate, shiftDays, shiftMonths } from "~/i18n/dates";
import { createLicence } from "~/licensing/licences.server";
import { anonymiseLapsedPeople } from "~/privacy/lapsed-people.server";
import { runPrivacyPurge } from "~/privacy/purge.server";
import { organisationIdBySlug } from "../utils/training";

const now = new Date();
const today = danishDate(now);

/** A month count back from now, at the same time of day. */
function monthsAgo(months: number): Date {
  const then = new Date(now);
  then.setUTCMonth(then.getUTCMonth() - months);
  return then;
}

/** A licence of the municipality from `startsOn` to `endsOn`. */
function licenceOf(slug: string, startsOn: string, endsOn: string) {
  return createLicence(db, {
    organisationId: organisationIdBySlug(slug),
    planId: null,
    seatCount: 20,
    startsOn,
    endsOn,
    courseIds: [],
  });
}

/** A person of the licence's municipality with one seat on it, taken back at `revokedAt` (or held). */
function personWithSeat(slug: string, licenceId: number, revokedAt: Date | null, role: MembershipRole = "learner") {
  const id = db
    .insert(users)
    .values({ email: `person-${randomUUID()}@${slug}.dk`, name: `Person ${randomUUID().slice(0, 8)}` })
    .returning({ id: users.id })
    .get().id;
  db.insert(memberships)
    .values({ userId: id, organisationId: organisationIdBySlug(slug), role })
    .run();
  db.insert(seats)
    .values({ licenceId, userId: id, claimedAt: monthsAgo(30), revokedAt })
    .run();
  return id;
}

const exists = (id: number) => db.select().from(users).where(eq(users.id, id)).get() !== undefined;

describe("anonymising people whose seat lapsed", () => {
  it("anonymises staff past the municipality's retention, and leaves the rest as they were", () => {
    const current = licenceOf("demo-kommune", shiftMonths(today, -30), shiftMonths(today, 12));
    const lapsed = personWithSeat("demo-kommune", current, monthsAgo(13));
    const recent = personWithSeat("demo-kommune", current, monthsAgo(11));
    const holding = personWithSeat("demo-kommune", current, null);
    const admin = personWithSeat("demo-kommune", current, monthsAgo(13), "admin");
    const leader = personWithSeat("demo-kommune", current, monthsAgo(13), "leader");
    // A seat on a licence whose last day is 13 months gone counts as ended then, without being taken back.
    const ended = licenceOf("demo-kommune", shiftMonths(today, -30), shiftMonths(today, -13));
    const expired = personWithSeat("demo-kommune", ended, null);
    // Someone with a seat on a licence still running is kept, however old another seat of theirs is.
    const stillSeated = personWithSeat("demo-kommune", ended, null);
    db.insert(seats)
      .values({ licenceId: current, userId: stillSeated, claimedAt: monthsAgo(2) })
      .run();

    // Nabo Kommune agreed on 3 months.
    db.insert(privacySettings)
      .values({ organisationId: organisationIdBySlug("nabo-kommune"), retentionMonths: 3, updatedAt: now })
      .run();
    const nabo = licenceOf("nabo-kommune", shiftMonths(today, -30), shiftMonths(today, 12));
    const naboLapsed = personWithSeat("nabo-kommune", nabo, monthsAgo(4));
    const naboRecent = personWithSeat("nabo-kommune", nabo, monthsAgo(2));

    const standInsBefore = db.select().from(users).where(isNotNull(users.erasedAt)).all().length;
    expect(anonymiseLapsedPeople(now)).toEqual({ anonymised: 3 });

    for (const gone of [lapsed, expired, naboLapsed]) expect(exists(gone)).toBe(false);
    for (const kept of [recent, holding, admin, leader, stillSeated, naboRecent]) expect(exists(kept)).toBe(true);
    const standIns = db.select().from(users).where(isNotNull(users.erasedAt)).all();
    expect(standIns).toHaveLength(standInsBefore + 3);
    // Their memberships moved to the stand-ins, unlisted, so the municipalities still count them.
    const unlisted = db.select().from(memberships).where(isNotNull(memberships.unlistedAt)).all();
    expect(unlisted.map((membership) => membership.userId).sort()).toEqual(standIns.map((user) => user.id).sort());

    // A second run, as another process or the next five minutes would make it, finds nobody left.
    expect(anonymiseLapsedPeople(now)).toEqual({ anonymised: 0 });
  });

  it("runs in the nightly purge, and its count is in the night's summary", () => {
    const licence = licenceOf("demo-kommune", shiftMonths(today, -30), shiftMonths(today, 12));
    const lapsed = personWithSeat("demo-kommune", licence, monthsAgo(13));
    // Tomorrow at 01:30 UTC is past 02:00 in Denmark, summer or winter, and a night no other test claimed.
    const tonight = new Date(`${shiftDays(today, 1)}T01:30:00Z`);
    const outcome = runPrivacyPurge(tonight);
    expect(outcome.status).toBe("purged");
    expect(outcome.status === "purged" && outcome.counts.lapsedPeople).toBe(1);
    expect(exists(lapsed)).toBe(false);
  });
});
