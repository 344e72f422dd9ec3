import { moduleProgress } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { submitAttempt } from "~/learning/quizzes.server";
import { courseStatistics, type CourseStatistics } from "~/learning/statistics.server";
import * as page from "~/routes/ejer.statistik";
import { answers, markWatched, moduleIdBySlug, storedQuestions } from "../utils/quizzes";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const MODULE = "sofie-ingen-spurgte-til-mig";

function attempt(email: string, wrong: number[]) {
  const outcome = submitAttempt(userIdByEmail(email), moduleIdBySlug(MODULE), answers(storedQuestions(MODULE), wrong));
  if (outcome.status !== "graded") throw new Error(outcome.status);
}

function sofie(courses: CourseStatistics[]) {
  return courses.flatMap((course) => course.modules).find((module) => module.id === moduleIdBySlug(MODULE))!;
}

beforeEach(() => {
  // Started but not watched.
  db.insert(moduleProgress)
    .values({
      userId: userIdByEmail(demoEmails.learner),
      moduleId: moduleIdBySlug(MODULE),
      playedMs: 10_000,
      updatedAt: new Date(),
    })
    .run();
  for (const email of [
    demoEmails.leader,
    demoEmails.healthVisitor,
    demoEmails.admin,
    demoEmails.neighbourLearner,
    demoEmails.owner,
  ]) {
    markWatched(email, MODULE);
  }
  // The seeded quiz: a single-choice, a true/false and a multiple-choice question.
  attempt(demoEmails.leader, []);
  attempt(demoEmails.healthVisitor, [1]);
  attempt(demoEmails.healthVisitor, [1]);
  attempt(demoEmails.healthVisitor, []);
  attempt(demoEmails.neighbourLearner, [0, 1]);
  // The owner trying out her own quiz is not counted.
  attempt(demoEmails.owner, [0, 1, 2]);
});

describe("the owner's statistics", () => {
  it("count who started, watched and passed each film, and how often each question is answered right, hardest first", () => {
    const questions = storedQuestions(MODULE);
    const module = sofie(courseStatistics());
    expect(module).toMatchObject({ started: 5, watched: 4, quiz: { took: 3, passed: 2, attempts: 5 } });
    expect(module.quiz!.questions.map((q) => [q.id, q.answered, q.right, q.rightShare, q.flagged])).toEqual([
      [questions[1]!.id, 5, 2, 0.4, true],
      [questions[0]!.id, 5, 4, 0.8, false],
      [questions[2]!.id, 5, 5, 1, false],
    ]);
  });

  it("leave films without a quiz with counts of their own and no quiz figures", () => {
    const courses = courseStatistics();
    expect(courses).toHaveLength(4);
    const second = courses[0]!.modules[1]!;
    expect(second).toMatchObject({ started: 0, watched: 0, quiz: null });
  });

  it("can be narrowed to one municipality", () => {
    const questions = storedQuestions(MODULE);
    const demo = sofie(courseStatistics(1));
    expect(demo).toMatchObject({ started: 4, watched: 3, quiz: { took: 2, passed: 2, attempts: 4 } });
    // Four answers are too few to flag the question, though only half got it right.
    expect(demo.quiz!.questions.find((q) => q.id === questions[1]!.id)).toMatchObject({
      answered: 4,
      right: 2,
      rightShare: 0.5,
      flagged: false,
    });

    const neighbour = sofie(courseStatistics(2));
    expect(neighbour).toMatchObject({ started: 1, watched: 1, quiz: { took: 1, passed: 0, attempts: 1 } });
    expect(neighbour.quiz!.questions.map((q) => q.right)).toEqual([0, 0, 1]);
  });

  it("is shown to the owner, with a municipality chosen in the address, and refuses a bad choice", async () => {
    const cookie = await sessionCookieFor(demoEmails.owner);
    const load = (query: string) =>
      settle(() => page.loader(routeArgs(request(`/ejer/statistik${query}`, { cookie }))));

    const all = await load("");
    expect(all.status).toBe(200);
    const data = (await all.json()) as { organisationId: number | null; courses: CourseStatistics[] };
    expect(data.organisationId).toBeNull();
    expect(sofie(data.courses)).toMatchObject({ started: 5, watched: 4 });

    const neighbourPage = await load("?organisation=2");
    expect(neighbourPage.status).toBe(200);
    const neighbour = (await neighbourPage.json()) as { organisationId: number; courses: CourseStatistics[] };
    expect(neighbour.organisationId).toBe(2);
    expect(sofie(neighbour.courses)).toMatchObject({ started: 1, watched: 1 });

    const malformed = await load("?organisation=to");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ message: "refusal.chooseOrganisation" });
    expect((await load("?organisation=999")).status).toBe(404);

    const learner = await sessionCookieFor(demoEmails.learner);
    expect((await settle(() => page.loader(routeArgs(request("/ejer/statistik", { cookie: learner }))))).status).toBe(
      404,
    );
  });
});
