import path from "node:path";
import { Worker } from "node:worker_threads";
import { eq } from "drizzle-orm";
import { courses, organisations, users } from "#db/schema";
import { db } from "~/db.server";
import { canAccessCourse } from "~/licensing/access.server";
import { claimSeat, createLicence, revokeSeat, seatsInUse } from "~/licensing/licences.server";
import { danishDate } from "~/i18n/dates";
import { periodEnd } from "~/licensing/periods";
import { projectRoot } from "../setup/paths";

function organisationId(slug: string) {
  return db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)).get()!.id;
}

function allCourseIds() {
  return db
    .select({ id: courses.id })
    .from(courses)
    .all()
    .map((c) => c.id);
}

function makeUsers(prefix: string, count: number): number[] {
  return Array.from(
    { length: count },
    (_, i) =>
      db
        .insert(users)
        .values({ email: `${prefix}-${i}@nabo-kommune.dk`, name: `Medarbejder ${i}` })
        .returning({ id: users.id })
        .get().id,
  );
}

function licenceFor(slug: string, seatCount: number, startsOn = danishDate(), months = 12) {
  return createLicence(db, {
    organisationId: organisationId(slug),
    planId: null,
    seatCount,
    startsOn,
    endsOn: periodEnd(startsOn, months),
    courseIds: allCourseIds(),
  });
}

describe("licence periods", () => {
  it("end the day before the same date a number of months later", () => {
    expect(periodEnd("2027-01-01", 12)).toBe("2027-12-31");
    expect(periodEnd("2027-01-31", 1)).toBe("2027-02-27");
    expect(periodEnd("2028-02-29", 12)).toBe("2029-02-27");
    expect(periodEnd("2026-11-15", 3)).toBe("2027-02-14");
  });

  it("are counted in Danish time", () => {
    // 23:30 UTC on 31 December is already New Year's Day in Copenhagen.
    expect(danishDate(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
  });
});

describe("seats", () => {
  it("open the licence's courses only while the seat is held and the licence is current", () => {
    const [person] = makeUsers("periode", 1);
    const licenceId = licenceFor("nabo-kommune", 5, "2027-01-01");
    const viewer = { id: person!, platformRole: null };
    const courseId = allCourseIds()[0]!;

    expect(claimSeat(licenceId, person!, new Date("2026-12-31T12:00:00Z")).status).toBe("notActive");
    const claimed = claimSeat(licenceId, person!, new Date("2027-01-01T08:00:00Z"));
    expect(claimed.status).toBe("claimed");
    expect(canAccessCourse(viewer, courseId, new Date("2027-06-01T08:00:00Z"))).toBe(true);
    expect(canAccessCourse(viewer, courseId, new Date("2027-12-31T22:00:00Z"))).toBe(true);
    expect(canAccessCourse(viewer, courseId, new Date("2028-01-01T08:00:00Z"))).toBe(false);

    if (claimed.status !== "claimed") return;
    expect(revokeSeat(claimed.seatId, new Date("2027-02-01T08:00:00Z"))).toBe(true);
    expect(canAccessCourse(viewer, courseId, new Date("2027-03-01T08:00:00Z"))).toBe(false);
    expect(revokeSeat(claimed.seatId)).toBe(false);
  });

  it("give one seat per person, and a freed seat can be given to someone else", () => {
    const [first, second, third] = makeUsers("fri", 3);
    const licenceId = licenceFor("nabo-kommune", 2);
    const a = claimSeat(licenceId, first!);
    expect(a.status).toBe("claimed");
    expect(claimSeat(licenceId, first!).status).toBe("alreadyHolds");
    expect(claimSeat(licenceId, second!).status).toBe("claimed");
    expect(claimSeat(licenceId, third!).status).toBe("full");
    if (a.status === "claimed") revokeSeat(a.seatId);
    expect(claimSeat(licenceId, third!).status).toBe("claimed");
    expect(seatsInUse(licenceId)).toBe(2);
  });

  it("never exceed what was bought: 200 simultaneous claims on 100 seats from four connections", async () => {
    const people = makeUsers("samtidig", 200);
    const licenceId = licenceFor("nabo-kommune", 100);
    const file = process.env.DATABASE_PATH!;
    const go = new SharedArrayBuffer(4);
    const chunks = [0, 1, 2, 3].map((i) => people.filter((_, index) => index % 4 === i));
    let ready = 0;
    const outcomes = await Promise.all(
      chunks.map(
        (userIds) =>
          new Promise<string[]>((resolve, reject) => {
            const worker = new Worker(
              `import { register } from "tsx/esm/api"; register(); await import(${JSON.stringify(
                path.join(projectRoot, "tests/integration/seat-claim-worker.ts"),
              )});`,
              { eval: true, workerData: { file, licenceId, userIds, go } },
            );
            worker.on("message", (message: "ready" | string[]) => {
              if (message !== "ready") return resolve(message);
              // Release all four at once, so their claims really overlap.
              if (++ready === chunks.length) {
                Atomics.store(new Int32Array(go), 0, 1);
                Atomics.notify(new Int32Array(go), 0);
              }
            });
            worker.once("error", reject);
          }),
      ),
    );
    const statuses = outcomes.flat();
    expect(statuses).toHaveLength(200);
    expect(statuses.filter((s) => s === "claimed")).toHaveLength(100);
    expect(statuses.filter((s) => s === "full")).toHaveLength(100);
    expect(seatsInUse(licenceId)).toBe(100);
  }, 60_000);
});
