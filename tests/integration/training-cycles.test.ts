import { eq } from "drizzle-orm";
import { certificates, moduleProgress } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { periodEnd } from "~/licensing/periods";
import { markRoundStarted, recordCourseProgress, syncTrainingCycles } from "~/training/cycles.server";
import { learnerObligations } from "~/training/obligations.server";
import { cycleState } from "~/training/states";
import { courseIdOf } from "../utils/feedback";
import { moduleIdBySlug } from "../utils/quizzes";
import { userIdByEmail } from "../utils/requests";
import { givenAssignment, givenCycle } from "../utils/training";
import { completeCourseAt, currentRound } from "../utils/training-progress";

const COURSE = "unges-egne-fortaellinger";
const FIRST_FILM = "sofie-ingen-spurgte-til-mig";
const LEARNER = demoEmails.learner;
const NOW = new Date();
const TODAY = danishDate(NOW);
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

const learnerId = () => userIdByEmail(LEARNER);
const courseId = () => courseIdOf(COURSE);

describe("rounds of a mandatory course", () => {
  it("completes the round on time when the last step is taken before the due date", () => {
    const assignment = givenAssignment({ dueOn: shiftDays(TODAY, 10), createdAt: NOW });
    syncTrainingCycles(NOW);
    const open = currentRound(LEARNER, courseId())!;
    expect(cycleState(open, TODAY)).toBe("notStarted");

    completeCourseAt(LEARNER, COURSE, NOW);
    const issued = recordCourseProgress(learnerId(), courseId(), NOW);
    expect(issued.status).toBe("issued");
    const certificate = db.select().from(certificates).where(eq(certificates.userId, learnerId())).get()!;
    const round = currentRound(LEARNER, courseId())!;
    expect(round).toMatchObject({
      assignmentId: assignment.id,
      completedOn: TODAY,
      certificateId: certificate.id,
      expiresOn: null,
    });
    expect(round.startedAt).not.toBeNull();
    expect(cycleState(round, TODAY)).toBe("completedOnTime");
  });

  it("completes it late when the due date has passed", () => {
    const assignment = givenAssignment({ dueOn: shiftDays(TODAY, 1) });
    givenCycle(LEARNER, assignment, { openedOn: shiftDays(TODAY, -40), dueOn: shiftDays(TODAY, -5) });
    expect(cycleState(currentRound(LEARNER, courseId())!, TODAY)).toBe("overdue");
    completeCourseAt(LEARNER, COURSE, NOW);
    recordCourseProgress(learnerId(), courseId(), NOW);
    const round = currentRound(LEARNER, courseId())!;
    expect(round.completedOn).toBe(TODAY);
    expect(cycleState(round, TODAY)).toBe("completedLate");
  });

  it("counts a course completed before it was made mandatory, on the day it was completed", () => {
    completeCourseAt(LEARNER, COURSE, daysAgo(3));
    expect(recordCourseProgress(learnerId(), courseId(), daysAgo(3)).status).toBe("issued");
    expect(currentRound(LEARNER, courseId())).toBeUndefined();

    givenAssignment({ dueOn: shiftDays(TODAY, 30), createdAt: NOW, recurrenceMonths: 12 });
    expect(syncTrainingCycles(NOW)).toMatchObject({ completed: 1 });
    const round = currentRound(LEARNER, courseId())!;
    const completedOn = danishDate(daysAgo(3));
    expect(round).toMatchObject({ completedOn, expiresOn: periodEnd(completedOn, 12) });
    expect(cycleState(round, TODAY)).toBe("completedOnTime");
  });

  it("marks the round started at the first progress, and back-fills it from progress made before", () => {
    givenAssignment({ dueOn: shiftDays(TODAY, 30), createdAt: NOW });
    syncTrainingCycles(NOW);
    markRoundStarted(learnerId(), courseId(), NOW);
    expect(currentRound(LEARNER, courseId())?.startedAt).toEqual(NOW);
    markRoundStarted(learnerId(), courseId(), daysAgo(-1));
    expect(currentRound(LEARNER, courseId())?.startedAt).toEqual(NOW);

    const leader = demoEmails.leader;
    db.insert(moduleProgress)
      .values({
        userId: userIdByEmail(leader),
        moduleId: moduleIdBySlug(FIRST_FILM),
        playedRanges: "[[0,10]]",
        playedMs: 10_000,
        lastPositionMs: 10_000,
        updatedAt: daysAgo(2),
      })
      .run();
    syncTrainingCycles(NOW);
    expect(currentRound(leader, courseId())?.startedAt).toEqual(daysAgo(2));
    expect(cycleState(currentRound(leader, courseId())!, TODAY)).toBe("inProgress");
  });

  it("lists the person's mandatory courses overdue first, then by due date, without writing", () => {
    const soon = givenAssignment({ dueOn: shiftDays(TODAY, 5) });
    const overdue = givenAssignment({ courseId: courseIdOf("i-skolen-og-fritiden") });
    givenCycle(LEARNER, soon, { dueOn: shiftDays(TODAY, 5) });
    givenCycle(LEARNER, overdue, { dueOn: shiftDays(TODAY, -2) });
    expect(learnerObligations(learnerId(), NOW)).toEqual([
      expect.objectContaining({ courseId: overdue.courseId, state: "overdue", daysLeft: -2 }),
      expect.objectContaining({ courseId: soon.courseId, state: "notStarted", daysLeft: 5 }),
    ]);
  });
});
