import path from "node:path";
import { Worker } from "node:worker_threads";
import { and, asc, eq } from "drizzle-orm";
import {
  certificates,
  courseRestarts,
  moduleProgress,
  moduleProgressArchive,
  modules,
  quizzes,
  seats,
  trainingAssignments,
  trainingCycles,
  users,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { formatDay } from "~/i18n/i18n";
import { renderCertificatePdf } from "~/learning/certificate-pdf.server";
import {
  certificateOfferFor,
  heldCertificate,
  issueCertificate,
  type Certificate,
} from "~/learning/certificates.server";
import { courseCompletion } from "~/learning/completion.server";
import { openPlaybackView, recordProgress } from "~/learning/progress.server";
import { learnerQuiz, submitAttempt } from "~/learning/quizzes.server";
import { lockedQuizzesByUser } from "~/learning/retakes.server";
import { courseStatistics } from "~/learning/statistics.server";
import * as checkPage from "~/routes/bevis.$code";
import { renewExpiredCycles } from "~/training/renewal.server";
import { restartCourse } from "~/training/restart.server";
import { cycleState } from "~/training/states";
import { certificateValidity, roundExpiry } from "~/training/validity.server";
import { courseIdOf } from "../utils/feedback";
import { pdfText } from "../utils/pdf-text";
import { answers, storedQuestions } from "../utils/quizzes";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { request, userIdByEmail } from "../utils/requests";
import { projectRoot } from "../setup/paths";
import { givenAssignment, givenCycle } from "../utils/training";

const COURSE = "unges-egne-fortaellinger";
const QUIZ_FILM = "sofie-ingen-spurgte-til-mig";
const DURATION = 40;
const learner = userIdByEmail(demoEmails.learner);
const courseId = courseIdOf(COURSE);
const moduleIds = db
  .select({ id: modules.id })
  .from(modules)
  .where(eq(modules.courseId, courseId))
  .orderBy(asc(modules.position))
  .all()
  .map((row) => row.id);
const quizModuleId = moduleIds[0]!;

// The seeded licence runs for a year around the day the test database was made, so the clock of
// these tests is today's, and the completion lies about two years back from it.
const now = new Date();
const today = danishDate(now);
const completedOn = shiftDays(today, -740);
const completedAt = new Date(`${completedOn}T10:00:00Z`);
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

/** A film counts as watched, as the player would have reported it back then. */
function watchedBack(moduleId: number, at: Date) {
  db.insert(moduleProgress)
    .values({
      userId: learner,
      moduleId,
      playedRanges: `[[0,${DURATION}]]`,
      playedMs: DURATION * 1000,
      lastPositionMs: 12_000,
      watchedAt: at,
      updatedAt: at,
    })
    .run();
}

function graded(moduleId: number, wrong: number[], at: Date) {
  const outcome = submitAttempt(learner, moduleId, answers(storedQuestions(QUIZ_FILM), wrong), at);
  expect(outcome.status).toBe("graded");
  if (outcome.status !== "graded") throw new Error(`the attempt was refused: ${outcome.status}`);
  return outcome.result;
}

function issued(at: Date): Certificate {
  const result = issueCertificate(learner, courseId, at);
  expect(result.status).toBe("issued");
  if (result.status !== "issued") throw new Error(`no certificate: ${result.status}`);
  return result.certificate;
}

/** Plays the film from start to end in the browser, as the player reports it. */
function playThrough(moduleId: number, openedAt: Date) {
  const viewId = openPlaybackView(learner, moduleId, openedAt);
  const result = recordProgress(
    learner,
    { viewId, ranges: [[0, DURATION]], positionSeconds: DURATION, ended: true },
    new Date(openedAt.getTime() + (DURATION + 2) * 1000),
  );
  expect(result.status).toBe("ok");
  if (result.status !== "ok") throw new Error("the report was refused");
  return result;
}

const cyclesOf = (userId: number) =>
  db.select().from(trainingCycles).where(eq(trainingCycles.userId, userId)).orderBy(asc(trainingCycles.number)).all();
const progressRows = () =>
  db
    .select()
    .from(moduleProgress)
    .where(eq(moduleProgress.userId, learner))
    .orderBy(asc(moduleProgress.moduleId))
    .all();
const restartsOf = (userId: number) => db.select().from(courseRestarts).where(eq(courseRestarts.userId, userId)).all();

/** A 24-month mandatory course Sofie completed about two years ago, with her certificate of it. */
function sofieCompletedTwoYearsAgo() {
  for (const id of moduleIds) db.update(modules).set({ durationSeconds: DURATION }).where(eq(modules.id, id)).run();
  db.update(quizzes).set({ maxAttempts: 2 }).where(eq(quizzes.moduleId, quizModuleId)).run();
  const assignment = givenAssignment({ recurrenceMonths: 24, refreshDueDays: 30 });
  const expiresOn = roundExpiry(completedOn, assignment)!;
  const round = givenCycle(demoEmails.learner, assignment, {
    openedOn: shiftDays(completedOn, -20),
    dueOn: shiftDays(completedOn, 10),
    startedAt: completedAt,
    completedAt,
    completedOn,
    expiresOn,
  });
  for (const id of moduleIds) watchedBack(id, completedAt);
  expect(graded(quizModuleId, [0], completedAt)).toMatchObject({ passed: false, attemptsUsed: 1 });
  expect(graded(quizModuleId, [], completedAt)).toMatchObject({ passed: true, quizPassed: true, attemptsUsed: 2 });
  const certificate = issued(now);
  return { assignment, round, certificate };
}

describe("a refresher round once a completion has expired", () => {
  it("opens the round as a refresher, archives and resets the viewing, and keeps the old certificate verifiable", async () => {
    const { round, certificate } = sofieCompletedTwoYearsAgo();
    expect(round.expiresOn! < today).toBe(true);
    expect(certificate.completedOn).toBe(completedOn);
    expect(certificate.validUntil).toBe(round.expiresOn);
    expect(courseCompletion(learner, courseId).complete).toBe(true);
    const liveBefore = progressRows();
    const statisticsBefore = courseStatistics();

    expect(renewExpiredCycles(now)).toBe(1);

    const [ended, refresher] = cyclesOf(learner);
    expect(ended).toMatchObject({ id: round.id, endReason: "renewed", endedAt: now });
    const openedOn = shiftDays(round.expiresOn!, 1);
    expect(refresher).toMatchObject({
      number: 2,
      refresher: true,
      assignmentId: round.assignmentId,
      openedOn,
      dueOn: shiftDays(openedOn, 30),
      startedAt: null,
      completedOn: null,
      endedAt: null,
    });
    expect(cycleState(refresher!, today)).toBe("refresh");

    // The viewing is kept in the archive as it was, and the live rows start over, still showing when she was last active.
    const [restart] = restartsOf(learner);
    expect(restart).toMatchObject({ courseId, cycleId: refresher!.id, restartedAt: now });
    const archived = db
      .select()
      .from(moduleProgressArchive)
      .where(eq(moduleProgressArchive.restartId, restart!.id))
      .orderBy(asc(moduleProgressArchive.moduleId))
      .all();
    expect(archived).toEqual(
      liveBefore.map((row) => ({
        restartId: restart!.id,
        moduleId: row.moduleId,
        userId: learner,
        playedRanges: row.playedRanges,
        playedMs: DURATION * 1000,
        watchedAt: completedAt,
        updatedAt: row.updatedAt,
      })),
    );
    expect(progressRows()).toEqual(
      liveBefore.map((row) => ({
        ...row,
        playedRanges: "[]",
        playedMs: 0,
        lastPositionMs: 0,
        watchedAt: null,
      })),
    );

    // Nothing of the new round is complete; the owner's figures count the earlier round all the same.
    expect(courseCompletion(learner, courseId)).toMatchObject({ complete: false, completedCount: 0 });
    expect(certificateOfferFor(learner, { id: courseId, slug: COURSE }, now)).toBeNull();
    expect(courseStatistics()).toEqual(statisticsBefore);

    // The old certificate keeps its code and says it has expired.
    const [stored] = db.select().from(certificates).where(eq(certificates.userId, learner)).all();
    expect(stored).toMatchObject({ round: 0, validUntil: round.expiresOn, code: certificate.code.replaceAll("-", "") });
    const { html, context } = await renderRoute(checkPage, "/bevis/:code", request(`/bevis/${certificate.code}`));
    expect(context.statusCode).toBe(200);
    expect(html).toContain(escapeHtml(`Beviset er udløbet den ${formatDay("da", round.expiresOn!)}`));
    expect(html).not.toContain("Gyldigt til og med");
    const pdf = (await pdfText(await renderCertificatePdf(certificate, now))).replace(/\s+/g, " ");
    expect(pdf).toContain(`Gyldigt til og med ${formatDay("da", round.expiresOn!)}`);
    expect(pdf).toContain(`Beviset er udløbet den ${formatDay("da", round.expiresOn!)}`);
  });

  it("has the films watched again and the quiz passed again with fresh attempts, then issues round 1's certificate", async () => {
    const { certificate } = sofieCompletedTwoYearsAgo();
    expect(renewExpiredCycles(now)).toBe(1);
    // Until the refresher is completed, the PDF is the latest certificate she holds.
    expect(heldCertificate(learner, COURSE)).toEqual(certificate);

    expect(learnerQuiz(learner, quizModuleId)).toMatchObject({
      availability: "locked",
      standing: { passed: false, attemptsUsed: 0, maxAttempts: 2, bestScorePercent: null },
    });
    expect(submitAttempt(learner, quizModuleId, answers(storedQuestions(QUIZ_FILM)), now)).toEqual({
      status: "notWatched",
    });

    const replay = playThrough(quizModuleId, now);
    expect(replay.acceptedSeconds).toBeCloseTo(DURATION, 5);
    expect(replay.becameWatched).toBe(true);
    expect(learnerQuiz(learner, quizModuleId)).toMatchObject({ availability: "open", standing: { attemptsUsed: 0 } });

    // A fail in this round locks nothing yet; a second one uses the round's attempts, passed two years ago or not.
    expect(graded(quizModuleId, [0], later(60))).toMatchObject({ passed: false, quizPassed: false, attemptsUsed: 1 });
    expect(graded(quizModuleId, [0], later(61))).toMatchObject({ passed: false, quizPassed: false, attemptsUsed: 2 });
    expect(lockedQuizzesByUser([learner], moduleIds).get(learner)).toEqual([
      expect.objectContaining({ moduleId: quizModuleId }),
    ]);
    expect(submitAttempt(learner, quizModuleId, answers(storedQuestions(QUIZ_FILM)), later(62))).toEqual({
      status: "noAttemptsLeft",
    });
  });

  it("issues a new certificate for round 1, valid for another period, once the round is completed", async () => {
    const { certificate, assignment } = sofieCompletedTwoYearsAgo();
    db.update(quizzes).set({ maxAttempts: null }).where(eq(quizzes.moduleId, quizModuleId)).run();
    expect(renewExpiredCycles(now)).toBe(1);

    moduleIds.forEach((id, index) => playThrough(id, later(index * 100)));
    expect(courseCompletion(learner, courseId).complete).toBe(false);
    expect(graded(quizModuleId, [], later(1000))).toMatchObject({ passed: true, quizPassed: true, attemptsUsed: 1 });
    const completion = courseCompletion(learner, courseId);
    expect(completion.complete).toBe(true);

    const renewed = issued(later(1001));
    expect(renewed.code).not.toBe(certificate.code);
    expect(renewed.completedOn).toBe(completion.completedOn);
    expect(renewed.validUntil).toBe(roundExpiry(completion.completedOn!, assignment));
    expect(issued(later(1002))).toEqual(renewed);
    expect(certificateOfferFor(learner, { id: courseId, slug: COURSE }, now)?.code).toBe(renewed.code);
    expect(heldCertificate(learner, COURSE)).toEqual(renewed);
    expect(
      db
        .select({ round: certificates.round, code: certificates.code })
        .from(certificates)
        .where(eq(certificates.userId, learner))
        .orderBy(asc(certificates.round))
        .all(),
    ).toEqual([
      { round: 0, code: certificate.code.replaceAll("-", "") },
      { round: 1, code: renewed.code.replaceAll("-", "") },
    ]);

    const { html } = await renderRoute(checkPage, "/bevis/:code", request(`/bevis/${renewed.code}`));
    expect(html).toContain(escapeHtml(`Gyldigt til og med ${formatDay("da", renewed.validUntil!)}`));
    expect(html).not.toContain("udløbet");
  });

  it("renews a round once, also when run again or by two processes at the same moment", async () => {
    const { round } = sofieCompletedTwoYearsAgo();
    const go = new SharedArrayBuffer(4);
    let ready = 0;
    const workers = 2;
    const renewedCounts = await Promise.all(
      Array.from(
        { length: workers },
        () =>
          new Promise<number>((resolve, reject) => {
            const worker = new Worker(
              `import { register } from "tsx/esm/api"; register(); await import(${JSON.stringify(
                path.join(projectRoot, "tests/integration/training-renewal-worker.ts"),
              )});`,
              { eval: true, workerData: { now: now.toISOString(), go } },
            );
            worker.on("message", (message: "ready" | number) => {
              if (message !== "ready") return resolve(message);
              if (++ready === workers) {
                Atomics.store(new Int32Array(go), 0, 1);
                Atomics.notify(new Int32Array(go), 0);
              }
            });
            worker.once("error", reject);
          }),
      ),
    );
    expect(renewedCounts.sort()).toEqual([0, 1]);
    expect(renewExpiredCycles(now)).toBe(0);
    expect(cyclesOf(learner).map((cycle) => cycle.number)).toEqual([1, 2]);
    const restarts = restartsOf(learner);
    expect(restarts).toHaveLength(1);
    expect(db.select().from(moduleProgressArchive).all()).toHaveLength(moduleIds.length);

    // A restart of a round already restarted changes nothing.
    const refresher = cyclesOf(learner)[1]!;
    expect(db.transaction((tx) => restartCourse(tx, learner, courseId, refresher.id, later(5)))).toBe(false);
    expect(restartsOf(learner)).toEqual(restarts);
    expect(round.id).toBe(cyclesOf(learner)[0]!.id);
  }, 60_000);

  it("leaves a round that is not expired, not recurring, removed, or of a person without a seat or deactivated", () => {
    sofieCompletedTwoYearsAgo();
    const cases: Array<[string, () => void]> = [
      ["not expired yet", () => db.update(trainingCycles).set({ expiresOn: today }).run()],
      ["not recurring", () => db.update(trainingAssignments).set({ recurrenceMonths: null }).run()],
      ["removed", () => db.update(trainingAssignments).set({ removedAt: now }).run()],
      ["without a seat", () => db.update(seats).set({ revokedAt: now }).where(eq(seats.userId, learner)).run()],
      ["deactivated", () => db.update(users).set({ deactivatedAt: now }).where(eq(users.id, learner)).run()],
      ["not completed", () => db.update(trainingCycles).set({ completedOn: null, completedAt: null }).run()],
    ];
    for (const [reason, arrange] of cases) {
      const saved = {
        cycles: db.select().from(trainingCycles).all(),
        assignments: db.select().from(trainingAssignments).all(),
        seats: db.select().from(seats).where(eq(seats.userId, learner)).all(),
        user: db.select().from(users).where(eq(users.id, learner)).get()!,
      };
      arrange();
      expect(renewExpiredCycles(now), reason).toBe(0);
      expect(restartsOf(learner), reason).toEqual([]);
      db.transaction((tx) => {
        for (const cycle of saved.cycles)
          tx.update(trainingCycles).set(cycle).where(eq(trainingCycles.id, cycle.id)).run();
        for (const row of saved.assignments)
          tx.update(trainingAssignments).set(row).where(eq(trainingAssignments.id, row.id)).run();
        for (const seat of saved.seats) tx.update(seats).set(seat).where(eq(seats.id, seat.id)).run();
        tx.update(users).set(saved.user).where(eq(users.id, learner)).run();
      });
    }
    // With everything put back, the same round is renewed: the cases above were refused for their reason.
    expect(renewExpiredCycles(now)).toBe(1);
  });
});

describe("how long a certificate is valid", () => {
  it("runs to the end of the recurring assignment's period from the completion day, and has no end otherwise", async () => {
    expect(certificateValidity(learner, courseId, "2027-03-02")).toBeNull();
    const once = givenAssignment();
    givenCycle(demoEmails.learner, once);
    expect(certificateValidity(learner, courseId, "2027-03-02")).toBeNull();

    db.update(trainingAssignments).set({ recurrenceMonths: 24 }).where(eq(trainingAssignments.id, once.id)).run();
    expect(certificateValidity(learner, courseId, "2027-03-02")).toBe("2029-03-01");
    // An ended round governs nothing.
    db.update(trainingCycles)
      .set({ endedAt: now, endReason: "withdrawn" })
      .where(and(eq(trainingCycles.userId, learner), eq(trainingCycles.assignmentId, once.id)))
      .run();
    expect(certificateValidity(learner, courseId, "2027-03-02")).toBeNull();

    const pdf = (
      await pdfText(
        await renderCertificatePdf(
          {
            code: "ABCD-EFGH-JKMN",
            recipientName: "Sofie Nørgaard",
            courseTitle: "Unges egne fortællinger",
            organisationName: "Demo Kommune",
            minutes: 60,
            completedOn: "2027-03-02",
            issuedAt: new Date("2027-03-02T12:00:00Z"),
            validUntil: "2029-03-01",
          },
          new Date("2029-03-01T22:59:00Z"),
        ),
      )
    ).replace(/\s+/g, " ");
    expect(pdf).toContain("Gyldigt til og med 1. marts 2029");
    // 22:59 UTC on 1 March is still 1 March in Denmark: the last day it counts.
    expect(pdf).not.toContain("udløbet");
  });
});
