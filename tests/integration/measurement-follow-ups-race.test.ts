import path from "node:path";
import { Worker } from "node:worker_threads";
import { count, eq } from "drizzle-orm";
import { measurementFollowUps, outboxEmails, users } from "#db/schema";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { projectRoot } from "../setup/paths";
import { addDemoPeople } from "../utils/feedback";
import { completeWithCertificate, givenMeasurement } from "../utils/measurement";

const WORKERS = 4;

/** Runs the follow-up step in every worker at once, each on its own connection, and gathers what each sent. */
async function raceFollowUps(now: Date): Promise<string[][]> {
  const go = new SharedArrayBuffer(4);
  let ready = 0;
  return Promise.all(
    Array.from(
      { length: WORKERS },
      () =>
        new Promise<string[]>((resolve, reject) => {
          const worker = new Worker(
            `import { register } from "tsx/esm/api"; register(); await import(${JSON.stringify(
              path.join(projectRoot, "tests/integration/measurement-follow-up-worker.ts"),
            )});`,
            { eval: true, workerData: { now: now.toISOString(), go } },
          );
          worker.on("message", (message: "ready" | string[]) => {
            if (message !== "ready") return resolve(message);
            // Released together, so their listing and claims really overlap.
            if (++ready === WORKERS) {
              Atomics.store(new Int32Array(go), 0, 1);
              Atomics.notify(new Int32Array(go), 0);
            }
          });
          worker.once("error", reject);
        }),
    ),
  );
}

describe("follow-up mails from several processes at once", () => {
  it("invite each person once, and remind each once", async () => {
    givenMeasurement(undefined, 4);
    const completedAt = new Date("2026-12-07T09:00:00Z");
    const people = addDemoPeople(30).map(
      (id) => db.select({ email: users.email }).from(users).where(eq(users.id, id)).get()!.email,
    );
    for (const email of people) completeWithCertificate(email, completedAt);
    const dueOn = shiftDays(danishDate(completedAt), 28);

    const invites = (await raceFollowUps(new Date(`${dueOn}T06:00:00Z`))).flat();
    expect(invites.sort()).toEqual(people.map((email) => `${email}:followUp:invite`).sort());
    const reminders = (await raceFollowUps(new Date(`${shiftDays(dueOn, 7)}T06:00:00Z`))).flat();
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
