import { count, eq } from "drizzle-orm";
import { licences, outboxEmails, trainingReminders, users } from "#db/schema";
import { db } from "~/db.server";
import { addDemoPeople } from "../utils/feedback";
import { raceWorkers } from "../utils/race-workers";
import { givenAssignment, givenCycle, organisationIdBySlug } from "../utils/training";

function emailOf(userId: number) {
  return db.select({ email: users.email }).from(users).where(eq(users.id, userId)).get()!.email;
}

describe("reminders from several processes at once", () => {
  it("send each mail exactly once and claim each round's step once", async () => {
    const organisationId = organisationIdBySlug("demo-kommune");
    db.update(licences)
      .set({ startsOn: "2027-01-01", endsOn: "2027-12-31" })
      .where(eq(licences.organisationId, organisationId))
      .run();
    const assignment = givenAssignment({ dueOn: "2027-03-01" });
    const people = addDemoPeople(60);
    const rounds = people.map((userId) => givenCycle(emailOf(userId), assignment));

    const outcomes = await raceWorkers<string[]>(
      "integration/training-reminder-worker.ts",
      new Date("2027-02-22T06:00:00Z"),
    );

    const sent = outcomes.flat();
    expect(sent).toHaveLength(rounds.length);
    expect(new Set(sent)).toEqual(new Set(rounds.map((round) => `${round.id}:due7`)));
    const perRecipient = db
      .select({ to: outboxEmails.to, mails: count() })
      .from(outboxEmails)
      .groupBy(outboxEmails.to)
      .all();
    expect(perRecipient).toHaveLength(rounds.length);
    expect(perRecipient.every((row) => row.mails === 1)).toBe(true);
    const claims = db
      .select({ cycleId: trainingReminders.cycleId, step: trainingReminders.step })
      .from(trainingReminders)
      .all();
    expect(claims).toHaveLength(rounds.length);
    expect(claims.every((claim) => claim.step === "due7")).toBe(true);
  }, 60_000);
});
