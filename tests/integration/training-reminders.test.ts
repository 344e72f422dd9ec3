import { asc, eq } from "drizzle-orm";
import {
  licences,
  outboxEmails,
  quizAttempts,
  quizzes,
  seats,
  trainingAssignments,
  trainingCycles,
  trainingDigests,
  trainingMailSettings,
  trainingReminders,
  users,
} from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { isoWeek } from "~/i18n/dates";
import { sendLeaderDigests } from "~/training/digests.server";
import { runTrainingJobs, type TrainingJobOutcome } from "~/training/jobs.server";
import { saveMailSettings } from "~/training/mail-settings.server";
import { sendLearnerReminders } from "~/training/reminders.server";
import * as calendarRoute from "~/routes/kurser.frister[.]ics";
import { markWatched, moduleIdBySlug } from "../utils/quizzes";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { givenAssignment, givenCycle, organisationIdBySlug } from "../utils/training";

const SOFIE = "medarbejder@demo-kommune.dk";
const METTE = "sundhedsplejerske@demo-kommune.dk";
const LARS = "leder@demo-kommune.dk";
const COURSE = "unges-egne-fortaellinger";

/** Seven in the morning, Danish winter time, on the given day. */
const morning = (day: string) => new Date(`${day}T06:00:00Z`);

function mailsTo(email: string) {
  return db.select().from(outboxEmails).where(eq(outboxEmails.to, email)).orderBy(asc(outboxEmails.id)).all();
}

function claimedSteps(cycleId: number) {
  return db
    .select({ step: trainingReminders.step })
    .from(trainingReminders)
    .where(eq(trainingReminders.cycleId, cycleId))
    .all()
    .map((row) => row.step)
    .sort();
}

// The seeded licence runs from the month the test database was made; these tests live in 2027.
beforeEach(() => {
  db.update(licences)
    .set({ startsOn: "2027-01-01", endsOn: "2027-12-31" })
    .where(eq(licences.organisationId, organisationIdBySlug("demo-kommune")))
    .run();
});

describe("a learner's reminders", () => {
  it("come 14, 7 and 1 day before the due day and once it has passed, each once", async () => {
    const round = givenCycle(SOFIE, givenAssignment({ dueOn: "2027-03-01" }));
    const sentOn = async (day: string) => (await sendLearnerReminders(morning(day))).map((sent) => sent.step);

    expect(await sentOn("2027-02-14")).toEqual([]);
    expect(await sentOn("2027-02-15")).toEqual(["due14"]);
    expect(await sentOn("2027-02-15")).toEqual([]);
    expect(await sentOn("2027-02-21")).toEqual([]);
    expect(await sentOn("2027-02-22")).toEqual(["due7"]);
    expect(await sentOn("2027-02-27")).toEqual([]);
    expect(await sentOn("2027-02-28")).toEqual(["due1"]);
    expect(await sentOn("2027-03-01")).toEqual([]);
    expect(await sentOn("2027-03-02")).toEqual(["overdue"]);
    expect(await sentOn("2027-04-02")).toEqual([]);

    const mails = mailsTo(SOFIE);
    expect(mails.map((mail) => mail.subject)).toEqual([
      "Påmindelse: «Unges egne fortællinger» skal være gennemført senest 1. marts 2027",
      "Snart frist: «Unges egne fortællinger» skal være gennemført senest 1. marts 2027",
      "Fristen er nær: «Unges egne fortællinger» skal være gennemført senest 1. marts 2027",
      "Fristen er overskredet: «Unges egne fortællinger» skulle være gennemført senest 1. marts 2027",
    ]);
    expect(mails[0]!.text).toContain("Hej Sofie Nørgaard");
    expect(mails[0]!.text).toContain("senest 1. marts 2027, om 14 dage.");
    expect(mails[1]!.text).toContain("senest 1. marts 2027, om 7 dage.");
    expect(claimedSteps(round.id)).toEqual(["due1", "due14", "due7", "overdue"]);
  });

  it("skip the steps the job missed instead of sending them late", async () => {
    const round = givenCycle(SOFIE, givenAssignment({ dueOn: "2027-03-01" }));
    // The server was down from before the first step until the day before the due day.
    expect((await sendLearnerReminders(morning("2027-02-28"))).map((sent) => sent.step)).toEqual(["due1"]);
    expect((await sendLearnerReminders(morning("2027-03-05"))).map((sent) => sent.step)).toEqual(["overdue"]);
    expect(claimedSteps(round.id)).toEqual(["due1", "overdue"]);
    expect(mailsTo(SOFIE)).toHaveLength(2);

    // A round first seen after its due day gets only the overdue mail.
    const late = givenCycle(METTE, givenAssignment({ dueOn: "2027-02-01" }), { dueOn: "2027-02-01" });
    expect((await sendLearnerReminders(morning("2027-03-05"))).map((sent) => sent.cycleId)).toEqual([late.id]);
    expect(claimedSteps(late.id)).toEqual(["overdue"]);
  });

  it("link straight to the first film the person has not completed, quiz included", async () => {
    givenCycle(SOFIE, givenAssignment({ dueOn: "2027-03-01" }));
    const base = getEnv().PUBLIC_URL;
    await sendLearnerReminders(morning("2027-02-15"));
    expect(mailsTo(SOFIE)[0]!.text).toContain(`${base}/kurser/${COURSE}/sofie-ingen-spurgte-til-mig\n`);

    // Watched but its quiz not passed: the first film is still where to go on.
    markWatched(SOFIE, "sofie-ingen-spurgte-til-mig");
    await sendLearnerReminders(morning("2027-02-22"));
    expect(mailsTo(SOFIE)[1]!.text).toContain(`${base}/kurser/${COURSE}/sofie-ingen-spurgte-til-mig\n`);

    const quiz = db
      .select({ id: quizzes.id })
      .from(quizzes)
      .where(eq(quizzes.moduleId, moduleIdBySlug("sofie-ingen-spurgte-til-mig")))
      .get()!;
    db.insert(quizAttempts)
      .values({
        quizId: quiz.id,
        userId: userIdByEmail(SOFIE),
        correctCount: 3,
        questionCount: 3,
        scorePercent: 100,
        passed: true,
        submittedAt: morning("2027-02-23"),
      })
      .run();
    await sendLearnerReminders(morning("2027-02-28"));
    expect(mailsTo(SOFIE)[2]!.text).toContain(`${base}/kurser/${COURSE}/mikkel-den-stille-dreng-bagerst\n`);
  });

  it("go only to people with an active seat on the municipality's licence", async () => {
    const assignment = givenAssignment({ dueOn: "2027-03-01" });
    const round = givenCycle(SOFIE, assignment);
    db.update(seats)
      .set({ revokedAt: morning("2027-02-01") })
      .where(eq(seats.userId, round.userId))
      .run();
    expect(await sendLearnerReminders(morning("2027-02-15"))).toEqual([]);

    // A seat again, but on a licence that has ended by then.
    db.update(seats).set({ revokedAt: null }).where(eq(seats.userId, round.userId)).run();
    db.update(licences)
      .set({ endsOn: "2027-02-14" })
      .where(eq(licences.organisationId, assignment.organisationId))
      .run();
    expect(await sendLearnerReminders(morning("2027-02-15"))).toEqual([]);

    db.update(licences)
      .set({ endsOn: "2027-12-31" })
      .where(eq(licences.organisationId, assignment.organisationId))
      .run();
    expect((await sendLearnerReminders(morning("2027-02-15"))).map((sent) => sent.to)).toEqual([SOFIE]);
  });

  it("go to no one deactivated, and not for rounds that are completed, ended or under a removed assignment", async () => {
    const assignment = givenAssignment({ dueOn: "2027-03-01" });
    givenCycle(SOFIE, assignment);
    givenCycle(METTE, assignment, { completedAt: morning("2027-02-10"), completedOn: "2027-02-10" });
    givenCycle(LARS, assignment, { endedAt: morning("2027-02-10"), endReason: "withdrawn" });
    db.update(users)
      .set({ deactivatedAt: morning("2027-02-01") })
      .where(eq(users.email, SOFIE))
      .run();
    expect(await sendLearnerReminders(morning("2027-02-15"))).toEqual([]);

    db.update(users).set({ deactivatedAt: null }).where(eq(users.email, SOFIE)).run();
    db.update(trainingAssignments)
      .set({ removedAt: morning("2027-02-12") })
      .where(eq(trainingAssignments.id, assignment.id))
      .run();
    expect(await sendLearnerReminders(morning("2027-02-15"))).toEqual([]);
    expect(db.select().from(trainingReminders).all()).toEqual([]);
    expect(db.select().from(outboxEmails).all()).toEqual([]);
  });

  it("stop while the municipality has them switched off, and do not come late when switched on again", async () => {
    const assignment = givenAssignment({ dueOn: "2027-03-01" });
    givenCycle(SOFIE, assignment);
    const admin = { id: userIdByEmail("admin@demo-kommune.dk") };
    const allOn = { learnerReminders: true, leaderDigest: true, adminSummary: true };
    expect(saveMailSettings(admin, assignment.organisationId, { ...allOn, learnerReminders: false })).toBe("saved");
    expect(await sendLearnerReminders(morning("2027-02-15"))).toEqual([]);

    expect(saveMailSettings(admin, assignment.organisationId, allOn)).toBe("saved");
    expect((await sendLearnerReminders(morning("2027-02-23"))).map((sent) => sent.step)).toEqual(["due7"]);
  });

  it("are one municipality's switch only", async () => {
    givenCycle(SOFIE, givenAssignment({ dueOn: "2027-03-01" }));
    const naboAdmin = { id: userIdByEmail("admin@nabo-kommune.dk") };
    const demo = organisationIdBySlug("demo-kommune");
    const off = { learnerReminders: false, leaderDigest: false, adminSummary: false };
    expect(saveMailSettings(naboAdmin, demo, off)).toBe("forbidden");
    expect(saveMailSettings(naboAdmin, organisationIdBySlug("nabo-kommune"), off)).toBe("saved");
    expect(
      db
        .select()
        .from(trainingMailSettings)
        .all()
        .map((row) => row.organisationId),
    ).toEqual([organisationIdBySlug("nabo-kommune")]);
    expect((await sendLearnerReminders(morning("2027-02-15"))).map((sent) => sent.to)).toEqual([SOFIE]);
  });
});

describe("a leader's weekly digest", () => {
  it("lists who in the unit is overdue or soon due, once per ISO week, linking to the overview", async () => {
    const assignment = givenAssignment({ dueOn: "2027-03-01" });
    givenCycle(SOFIE, assignment);
    // Mette is in another unit, which has no leader; a round due later is not listed.
    givenCycle(METTE, assignment);
    givenCycle(LARS, assignment, { dueOn: "2027-06-01" });

    expect(isoWeek("2027-02-22")).toBe("2027-W08");
    expect(await sendLeaderDigests(morning("2027-02-22"))).toEqual([{ to: LARS, period: "2027-W08", rounds: 1 }]);
    expect(await sendLeaderDigests(morning("2027-02-28"))).toEqual([]);
    const [first] = mailsTo(LARS);
    expect(first!.subject).toBe("Ugens frister for obligatoriske kurser i Skovbrynets Børnehus");
    expect(first!.text).toContain("- Sofie Nørgaard: «Unges egne fortællinger», frist 1. marts 2027");
    expect(first!.text).not.toContain("Mette");
    expect(first!.text).toContain(`${getEnv().PUBLIC_URL}/leder/obligatorisk/overblik`);

    expect(await sendLeaderDigests(morning("2027-03-02"))).toEqual([{ to: LARS, period: "2027-W09", rounds: 1 }]);
    expect(mailsTo(LARS)[1]!.text).toContain("fristen var 1. marts 2027 og er overskredet");
    expect(await sendLeaderDigests(morning("2027-03-07"))).toEqual([]);
    expect(mailsTo(LARS)).toHaveLength(2);
  });

  it("is not sent, nor claimed, when nobody is due, nor while switched off", async () => {
    const assignment = givenAssignment({ dueOn: "2027-06-01" });
    givenCycle(SOFIE, assignment, { dueOn: "2027-06-01" });
    expect(await sendLeaderDigests(morning("2027-02-22"))).toEqual([]);
    expect(db.select().from(trainingDigests).all()).toEqual([]);

    db.update(trainingCycles).set({ dueOn: "2027-03-01" }).run();
    saveMailSettings({ id: userIdByEmail("admin@demo-kommune.dk") }, assignment.organisationId, {
      learnerReminders: true,
      leaderDigest: false,
      adminSummary: true,
    });
    expect(await sendLeaderDigests(morning("2027-02-22"))).toEqual([]);
    expect(mailsTo(LARS)).toEqual([]);
  });
});

describe("the training job", () => {
  it("sends nothing new when it runs again, as after a restart of the server", async () => {
    givenCycle(SOFIE, givenAssignment({ dueOn: "2027-03-01" }));
    const now = morning("2027-02-22");
    const resultOf = (outcomes: TrainingJobOutcome[], step: string) =>
      outcomes.find((outcome) => outcome.step === step)?.result;
    const first = await runTrainingJobs(now);
    expect(first.map((outcome) => outcome.step)).toEqual([
      "closeExpiredMeetings",
      "unlistLapsedMembers",
      "syncRounds",
      "renewExpired",
      "learnerReminders",
      "leaderDigests",
      "adminSummaries",
      "measurementFollowUps",
      "privacyPurge",
      "databaseBackup",
    ]);
    expect(resultOf(first, "learnerReminders")).toEqual([expect.objectContaining({ to: SOFIE, step: "due7" })]);
    expect(resultOf(first, "leaderDigests")).toEqual([{ to: LARS, period: "2027-W08", rounds: 1 }]);
    const mailCount = db.select().from(outboxEmails).all().length;
    for (const later of [now, new Date(now.getTime() + 5 * 60 * 1000)]) {
      const again = await runTrainingJobs(later);
      expect(resultOf(again, "learnerReminders")).toEqual([]);
      expect(resultOf(again, "leaderDigests")).toEqual([]);
      expect(resultOf(again, "adminSummaries")).toEqual({ sent: 0 });
      expect(resultOf(again, "databaseBackup")).toEqual({ status: "alreadyClaimed" });
    }
    expect(db.select().from(outboxEmails).all()).toHaveLength(mailCount);
    expect(db.select().from(trainingReminders).where(eq(trainingReminders.step, "due7")).all()).toHaveLength(1);
  });
});

describe("the calendar file at /kurser/frister.ics", () => {
  async function calendarOf(email: string) {
    const anonymous = await settle(() => calendarRoute.loader(routeArgs(request("/kurser/frister.ics"))));
    expect(anonymous.status).toBe(302);
    const own = await settle(async () =>
      calendarRoute.loader(routeArgs(request("/kurser/frister.ics", { cookie: await sessionCookieFor(email) }))),
    );
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(own.headers.get("Content-Disposition")).toBe('attachment; filename="rettidig-frister.ics"');
    expect(own.headers.get("Cache-Control")).toBe("private, no-store");
    return (await own.text()).replace(/\r\n[ \t]/g, "");
  }

  it("holds the person's own open rounds, overdue ones too, and nobody else's", async () => {
    const assignment = givenAssignment({ dueOn: "2027-03-01" });
    const open = givenCycle(SOFIE, assignment);
    const other = givenCycle(METTE, assignment, { dueOn: "2027-04-01" });
    const sofie = await calendarOf(SOFIE);
    expect(sofie).toContain(`UID:cycle-${open.id}@`);
    expect(sofie).toContain("DTSTART;VALUE=DATE:20270301");
    expect(sofie).toContain(`URL;VALUE=URI:${getEnv().PUBLIC_URL}/kurser/${COURSE}/sofie-ingen-spurgte-til-mig`);
    expect(sofie).not.toContain(`UID:cycle-${other.id}@`);
    expect(await calendarOf(LARS)).not.toContain("BEGIN:VEVENT");
  });

  it("leaves out rounds that are completed or ended", async () => {
    const assignment = givenAssignment({ dueOn: "2027-03-01" });
    givenCycle(SOFIE, assignment, {
      number: 1,
      completedAt: morning("2027-02-10"),
      completedOn: "2027-02-10",
      endedAt: morning("2027-02-11"),
      endReason: "renewed",
    });
    givenCycle(SOFIE, assignment, { number: 2, completedAt: morning("2027-02-12"), completedOn: "2027-02-12" });
    expect(await calendarOf(SOFIE)).not.toContain("BEGIN:VEVENT");
  });
});
