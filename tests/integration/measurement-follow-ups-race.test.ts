import { count, eq } from "drizzle-orm";
import { measurementFollowUps, outboxEmails, users } from "#db/schema";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { addDemoPeople } from "../utils/feedback";
import { raceWorkers } from "../utils/race-workers";
import { completeWithCertificate, givenMeasurement } from "../utils/measurement";

describe("follow-up mails from several processes at once", () => {
  it("invite each person once, and remind each once", async () => {
    givenMeasurement(undefined, 4);
    const completedAt = new Date("2026-12-07T09:00:00Z");
    const people = addDemoPeople(30).map(
      (id) => db.select({ email: users.email }).from(users).where(eq(users.id, id)).get()!.email,
    );
    for (const email of people) completeWithCertificate(email, completedAt);
    const dueOn = shiftDays(danishDate(completedAt), 28);

    const invites = (
      await raceWorkers<string[]>("integration/measurement-follow-up-worker.ts", new Date(`${dueOn}T06:00:00Z`))
    ).flat();
    expect(invites.sort()).toEqual(people.map((email) => `${email}:followUp:invite`).sort());
    const reminders = (
      await raceWorkers<string[]>(
        "integration/measurement-follow-up-worker.ts",
        new Date(`${shiftDays(dueOn, 7)}T06:00:00Z`),
      )
    ).flat();
    expect(reminders.sort()).toEqual(people.map((email) => `${email}:followUp:remind`).sort());

    const perRecipient = db
      .select({ to: outboxEmails.to, mails: count() })
      .from(outboxEmails)
      .groupBy(outboxEmails.to)
      .all();
    expect(perRecipient).toHaveLength(people.length);
    expect(perRecipient.every((row) => row.mails === 2)).toBe(true);
    expect(db.select({ n: count() }).from(measurementFollowUps).get()!.n).toBe(people.length);
  }, 60_000);
});
