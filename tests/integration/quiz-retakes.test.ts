import { and, eq } from "drizzle-orm";
import { courses, memberships, modules, quizAttempts, quizRetakes, quizzes } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { moduleCompletions } from "~/learning/completion.server";
import { submitAttempt, type AttemptResult, type LearnerQuiz } from "~/learning/quizzes.server";
import { grantQuizRetake, lockedQuizzesByUser } from "~/learning/retakes.server";
import type { QuizBuilderInput } from "~/learning/quiz-forms";
import * as adminRoute from "~/routes/administration._index/route";
import * as quizPage from "~/routes/kurser.$courseSlug.$moduleSlug.quiz";
import * as leaderRoute from "~/routes/leder";
import {
  answerBody,
  answers,
  attemptCount,
  givenQuiz,
  markWatched,
  moduleIdBySlug,
  storedQuestions,
} from "../utils/quizzes";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const COURSE = "unges-egne-fortaellinger";
const FILM = "jonas-paedagogen-der-blev-ved";
const LEARNER = demoEmails.learner;
const ADMIN = demoEmails.admin;

type Locked = { quizId: number; filmTitle: string };
type AdminPage = { people: { id: number; people: { email: string; lockedQuizzes: Locked[] }[] }[] };
type LeaderPage = { units: { people: { email: string; lockedQuizzes: Locked[] }[] }[] };

/** Two questions at an 80 % pass mark: one wrong answer fails. */
const twoQuestions: QuizBuilderInput["questions"] = [
  {
    kind: "single",
    text: "Hvem blev ved?",
    explanation: "Pædagogen.",
    options: [
      { text: "Pædagogen", correct: true },
      { text: "Ingen", correct: false },
    ],
  },
  {
    kind: "trueFalse",
    text: "Jonas gav op.",
    explanation: "Nej.",
    options: [
      { text: "Sandt", correct: false },
      { text: "Falsk", correct: true },
    ],
  },
];

function quizIdOf(slug: string) {
  return db
    .select({ id: quizzes.id })
    .from(quizzes)
    .where(eq(quizzes.moduleId, moduleIdBySlug(slug)))
    .get()!.id;
}

function retakesOf(email: string) {
  return db
    .select()
    .from(quizRetakes)
    .where(eq(quizRetakes.userId, userIdByEmail(email)))
    .all();
}

async function openQuiz(email: string) {
  const cookie = await sessionCookieFor(email);
  const response = await settle(() =>
    quizPage.loader(
      routeArgs(request(`/kurser/${COURSE}/${FILM}/quiz`, { cookie }), { courseSlug: COURSE, moduleSlug: FILM }),
    ),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { quiz: LearnerQuiz }).quiz;
}

async function submit(email: string, wrong: number[]) {
  const cookie = await sessionCookieFor(email);
  const body = answerBody(answers(storedQuestions(FILM), wrong));
  return settle(() =>
    quizPage.action(
      routeArgs(request(`/kurser/${COURSE}/${FILM}/quiz`, { method: "POST", body, cookie }), {
        courseSlug: COURSE,
        moduleSlug: FILM,
      }),
    ),
  );
}

async function graded(email: string, wrong: number[] = []) {
  const response = await submit(email, wrong);
  expect(response.status).toBe(200);
  return ((await response.json()) as { graded: AttemptResult }).graded;
}

async function grant(as: string, fields: Record<string, string>) {
  const cookie = await sessionCookieFor(as);
  return settle(() =>
    adminRoute.action(
      routeArgs(
        formRequest("/administration?index", { intent: "grantRetake", organisationId: "1", ...fields }, cookie),
      ),
    ),
  );
}

/** The learner watches the film and fails both attempts, as the first test below shows. */
async function lockLearnerOut() {
  markWatched(LEARNER, FILM);
  expect(await graded(LEARNER, [0])).toMatchObject({ passed: false, attemptsUsed: 1 });
  expect(await graded(LEARNER, [0])).toMatchObject({ passed: false, attemptsUsed: 2 });
}

async function lockedInAdminOverview(email: string) {
  const cookie = await sessionCookieFor(ADMIN);
  const page = (await (
    await settle(() => adminRoute.loader(routeArgs(request("/administration", { cookie }))))
  ).json()) as AdminPage;
  return page.people[0]!.people.find((person) => person.email === email)!.lockedQuizzes;
}

describe("new attempts for a person who used them all", () => {
  beforeEach(() => givenQuiz(FILM, { maxAttempts: 2, questions: twoQuestions }));

  it("locks a learner out after two failed attempts, and shows the lock to the admin and the leader", async () => {
    markWatched(LEARNER, FILM);
    expect(await graded(LEARNER, [0])).toMatchObject({ passed: false, attemptsUsed: 1, revealed: false });
    expect(await graded(LEARNER, [0])).toMatchObject({ passed: false, attemptsUsed: 2, revealed: true });

    const refused = await submit(LEARNER, []);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      formId: "quiz-attempt",
      result: { error: { "": ["refusal.quizNoAttemptsLeft"] } },
    });
    expect((await openQuiz(LEARNER)).availability).toBe("exhausted");

    const quizId = quizIdOf(FILM);
    expect(await lockedInAdminOverview(LEARNER)).toEqual([
      { quizId, moduleId: moduleIdBySlug(FILM), filmTitle: expect.stringContaining("Jonas") },
    ]);
    expect(await lockedInAdminOverview(demoEmails.healthVisitor)).toEqual([]);

    const leaderCookie = await sessionCookieFor(demoEmails.leader);
    const leaderPage = (await (
      await settle(() => leaderRoute.loader(routeArgs(request("/leder", { cookie: leaderCookie }))))
    ).json()) as LeaderPage;
    expect(
      leaderPage.units[0]!.people.find((person) => person.email === LEARNER)!.lockedQuizzes.map((q) => q.quizId),
    ).toEqual([quizId]);
  });

  it("refuses the intent to learners and leaders, and to another municipality's admin, storing nothing", async () => {
    await lockLearnerOut();
    const fields = { userId: String(userIdByEmail(LEARNER)), quizId: String(quizIdOf(FILM)) };
    expect((await grant(LEARNER, fields)).status).toBe(403);
    expect((await grant(demoEmails.leader, fields)).status).toBe(403);

    const neighbour = await grant(demoEmails.neighbourAdmin, fields);
    expect(neighbour.status).toBe(404);
    expect(await neighbour.json()).toEqual({ message: "notFound.personOrQuiz" });
    expect(retakesOf(LEARNER)).toEqual([]);
    expect((await openQuiz(LEARNER)).availability).toBe("exhausted");
  });

  it("answers bad ids with a 400, and a person of another municipality with a 404", async () => {
    expect((await grant(ADMIN, { userId: "abc", quizId: String(quizIdOf(FILM)) })).status).toBe(400);

    // Locked out of the same quiz, but not one of Demo Kommune's people.
    const neighbour = demoEmails.neighbourLearner;
    const attempt = {
      quizId: quizIdOf(FILM),
      userId: userIdByEmail(neighbour),
      correctCount: 0,
      questionCount: 2,
      scorePercent: 0,
      passed: false,
    };
    db.insert(quizAttempts)
      .values([
        { ...attempt, submittedAt: new Date(Date.now() - 2000) },
        { ...attempt, submittedAt: new Date(Date.now() - 1000) },
      ])
      .run();
    expect(
      (await grant(ADMIN, { userId: String(userIdByEmail(neighbour)), quizId: String(quizIdOf(FILM)) })).status,
    ).toBe(404);
    expect(retakesOf(neighbour)).toEqual([]);
  });

  it("refuses a quiz of a course that is not on the municipality's licences", async () => {
    const course = db
      .insert(courses)
      .values({ slug: "uden-licens", position: 50, title: "Uden licens", summary: "Ikke købt." })
      .returning()
      .get();
    db.insert(modules)
      .values({
        courseId: course.id,
        slug: "uden-licens-film",
        position: 1,
        title: "Uden licens",
        description: "Ikke købt.",
      })
      .run();
    givenQuiz("uden-licens-film", { maxAttempts: 1, questions: twoQuestions });
    const quizId = quizIdOf("uden-licens-film");
    db.insert(quizAttempts)
      .values({
        quizId,
        userId: userIdByEmail(LEARNER),
        correctCount: 0,
        questionCount: 2,
        scorePercent: 0,
        passed: false,
        submittedAt: new Date(),
      })
      .run();

    const response = await grant(ADMIN, { userId: String(userIdByEmail(LEARNER)), quizId: String(quizId) });
    expect(response.status).toBe(404);
    expect(retakesOf(LEARNER)).toEqual([]);
  });

  it("gives the learner two new attempts when the admin grants them, keeping every earlier attempt", async () => {
    await lockLearnerOut();
    const userId = userIdByEmail(LEARNER);
    const quizId = quizIdOf(FILM);
    const response = await grant(ADMIN, { userId: String(userId), quizId: String(quizId) });
    expect(response.status).toBe(200);
    const granted = {
      formId: "people-1",
      notice: {
        key: "admin.retake.granted",
        values: { name: "Sofie Nørgaard", film: expect.stringContaining("Jonas") },
      },
    };
    expect(await response.json()).toMatchObject(granted);
    expect(retakesOf(LEARNER)).toMatchObject([{ quizId, grantedBy: userIdByEmail(ADMIN) }]);
    expect(await lockedInAdminOverview(LEARNER)).toEqual([]);

    // A double click, or a second admin a moment later, finds the grant already made: done, not an error, and stored once.
    const again = await grant(ADMIN, { userId: String(userId), quizId: String(quizId) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject(granted);
    expect(retakesOf(LEARNER)).toHaveLength(1);

    expect(await openQuiz(LEARNER)).toMatchObject({
      availability: "open",
      standing: { attemptsUsed: 0, maxAttempts: 2, passed: false },
    });
    // A failed attempt with one left does not show the correct options.
    expect(await graded(LEARNER, [1])).toMatchObject({ passed: false, attemptsUsed: 1, revealed: false });
    expect(await graded(LEARNER, [])).toMatchObject({ passed: true, quizPassed: true, attemptsUsed: 2 });
    expect(attemptCount(LEARNER, FILM)).toBe(4);
    expect(moduleCompletions(userId, [moduleIdBySlug(FILM)]).get(moduleIdBySlug(FILM))).toMatchObject({
      complete: true,
      quiz: { passed: true, attemptsUsed: 2 },
    });
  });

  it("refuses a second grant while the person is not locked out, and counts from the latest grant", async () => {
    const fields = { userId: String(userIdByEmail(demoEmails.leader)), quizId: String(quizIdOf(FILM)) };
    markWatched(demoEmails.leader, FILM);
    const notLocked = await grant(ADMIN, fields);
    expect(notLocked.status).toBe(409);
    expect(await notLocked.json()).toMatchObject({
      formId: "people-1",
      result: { error: { "": ["admin.retake.notLocked"] } },
    });

    await graded(demoEmails.leader, [0]);
    expect((await grant(ADMIN, fields)).status).toBe(409);
    await graded(demoEmails.leader, [0]);
    expect((await grant(ADMIN, fields)).status).toBe(200);
    await graded(demoEmails.leader, [0]);
    // One attempt into the new round is not locked out, though a grant is stored: 409, not a repeated grant.
    expect((await grant(ADMIN, fields)).status).toBe(409);
    await graded(demoEmails.leader, [0]);
    expect(await lockedInAdminOverview(demoEmails.leader)).toHaveLength(1);
    expect((await grant(ADMIN, fields)).status).toBe(200);
    expect(await lockedInAdminOverview(demoEmails.leader)).toEqual([]);
    expect((await openQuiz(demoEmails.leader)).standing).toMatchObject({ attemptsUsed: 0, passed: false });
    expect(retakesOf(demoEmails.leader)).toHaveLength(2);

    // A passed quiz is never locked, however many attempts were used: the learner, locked out, is granted new attempts and passes.
    await lockLearnerOut();
    expect(
      (await grant(ADMIN, { userId: String(userIdByEmail(LEARNER)), quizId: String(quizIdOf(FILM)) })).status,
    ).toBe(200);
    expect(await graded(LEARNER, [])).toMatchObject({ passed: true });
    expect(
      (await grant(ADMIN, { userId: String(userIdByEmail(LEARNER)), quizId: String(quizIdOf(FILM)) })).status,
    ).toBe(409);
    expect(
      db
        .select()
        .from(quizRetakes)
        .where(and(eq(quizRetakes.userId, userIdByEmail(LEARNER)), eq(quizRetakes.quizId, quizIdOf(FILM))))
        .all(),
    ).toHaveLength(1);
  });
});

describe("the attempt limit after a grant, whatever the clock says", () => {
  const SLUG = "mikkel-den-stille-dreng-bagerst";

  it("counts an attempt made in the same millisecond as the grant, and one made after the clock was set back", () => {
    givenQuiz(SLUG, { maxAttempts: 1, questions: twoQuestions });
    markWatched(LEARNER, SLUG);
    const userId = userIdByEmail(LEARNER);
    const moduleId = moduleIdBySlug(SLUG);
    const quizId = quizIdOf(SLUG);
    const admin = { id: userIdByEmail(ADMIN) };
    const wrong = answers(storedQuestions(SLUG), [0]);
    const instant = new Date("2026-03-02T09:00:00.000Z");

    expect(submitAttempt(userId, moduleId, wrong, instant)).toMatchObject({
      status: "graded",
      result: { attemptsUsed: 1 },
    });
    expect(submitAttempt(userId, moduleId, wrong, instant)).toEqual({ status: "noAttemptsLeft" });

    expect(grantQuizRetake(admin, userId, quizId, instant)).toMatchObject({ status: "granted" });
    expect(submitAttempt(userId, moduleId, wrong, instant)).toMatchObject({
      status: "graded",
      result: { attemptsUsed: 1, revealed: true },
    });
    expect(submitAttempt(userId, moduleId, wrong, instant)).toEqual({ status: "noAttemptsLeft" });
    expect(moduleCompletions(userId, [moduleId]).get(moduleId)?.quiz).toMatchObject({
      attemptsUsed: 1,
      maxAttempts: 1,
    });
    expect(lockedQuizzesByUser([userId], [moduleId]).get(userId)).toEqual([
      { quizId, moduleId, filmTitle: expect.stringContaining("Mikkel") },
    ]);

    // The server's clock stepped back an hour between the grant and the attempt.
    expect(grantQuizRetake(admin, userId, quizId, instant)).toMatchObject({ status: "granted" });
    const anHourEarlier = new Date(instant.getTime() - 3_600_000);
    expect(submitAttempt(userId, moduleId, wrong, anHourEarlier)).toMatchObject({
      status: "graded",
      result: { attemptsUsed: 1 },
    });
    expect(submitAttempt(userId, moduleId, wrong, anHourEarlier)).toEqual({ status: "noAttemptsLeft" });
    expect(lockedQuizzesByUser([userId], [moduleId]).get(userId)).toHaveLength(1);
    expect(attemptCount(LEARNER, SLUG)).toBe(3);
  });
});

const renderAdminPage = (req: Request) => renderRoute(adminRoute, "/administration", req);

function occurrences(text: string, part: string) {
  return text.split(part).length - 1;
}

describe("granting new attempts on the administration page", () => {
  const SLUG = "amira-vi-flyttede-hele-tiden";
  const OTHER = demoEmails.healthVisitor;

  /** Two failed attempts stored directly: the seat and the film do not matter for the lock. */
  function lockOut(email: string) {
    const attempt = {
      quizId: quizIdOf(SLUG),
      userId: userIdByEmail(email),
      correctCount: 0,
      questionCount: 2,
      scorePercent: 0,
      passed: false,
      submittedAt: new Date(),
    };
    db.insert(quizAttempts).values([attempt, attempt]).run();
  }

  beforeEach(() => {
    givenQuiz(SLUG, { maxAttempts: 2, questions: twoQuestions });
    lockOut(ADMIN);
    lockOut(OTHER);
  });

  /** The Demo admin is also admin of Nabo Kommune, so the page has two people sections. */
  function makeAdminOfBothMunicipalities() {
    db.insert(memberships)
      .values({ userId: userIdByEmail(ADMIN), organisationId: 2, role: "admin" })
      .run();
  }

  it("refuses an admin new attempts for themselves, and shows no button on their own row", async () => {
    const cookie = await sessionCookieFor(ADMIN);
    const fields = {
      intent: "grantRetake",
      organisationId: "1",
      userId: String(userIdByEmail(ADMIN)),
      quizId: String(quizIdOf(SLUG)),
    };
    const refused = await settle(() =>
      adminRoute.action(routeArgs(formRequest("/administration?index", fields, cookie))),
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      formId: "people-1",
      result: { error: { "": ["refusal.retakeOwn"] } },
    });
    expect(retakesOf(ADMIN)).toEqual([]);
    // Said in place, above the municipality's list, on the page the admin was on.
    const { html: afterRefusal } = await renderAdminPage(formRequest("/administration", fields, cookie));
    expect(afterRefusal.slice(afterRefusal.indexOf('id="people-1"'))).toContain(
      escapeHtml("Du kan ikke give dig selv nye forsøg."),
    );

    const { html } = await renderAdminPage(request("/administration", { cookie }));
    const film = db.select({ title: modules.title }).from(modules).where(eq(modules.slug, SLUG)).get()!.title;
    // Both are locked out of the quiz, and the lock shows on both rows; only the other person gets the button.
    expect(await lockedInAdminOverview(ADMIN)).toHaveLength(1);
    expect(html).toContain(escapeHtml(`Giv nye forsøg til Mette Dahl på quizzen: ${film}`));
    expect(html).not.toContain(escapeHtml(`Giv nye forsøg til Hanne Berg på quizzen: ${film}`));
  });

  it("shows that new attempts were given only in the section of the person's municipality", async () => {
    makeAdminOfBothMunicipalities();
    const cookie = await sessionCookieFor(ADMIN);
    const fields = {
      intent: "grantRetake",
      organisationId: "1",
      userId: String(userIdByEmail(OTHER)),
      quizId: String(quizIdOf(SLUG)),
    };
    const { html, context } = await renderAdminPage(formRequest("/administration", fields, cookie));
    expect(context.actionData?.route).toMatchObject({ formId: "people-1", notice: { values: { name: "Mette Dahl" } } });

    const demo = html.indexOf('id="people-1"');
    const nabo = html.indexOf('id="people-2"');
    expect(demo).toBeGreaterThan(-1);
    expect(nabo).toBeGreaterThan(demo);
    expect(occurrences(html, "Mette Dahl har fået nye forsøg på quizzen")).toBe(1);
    expect(html.slice(demo, nabo)).toContain("Mette Dahl har fået nye forsøg på quizzen");
  });

  it("says every refusal above the list of the person's municipality, whichever municipality a stale or tampered form names", async () => {
    // The form names Nabo Kommune; the person and the quiz are Demo Kommune's.
    makeAdminOfBothMunicipalities();
    const cookie = await sessionCookieFor(ADMIN);
    const quizId = String(quizIdOf(SLUG));
    const refusals = [
      {
        fields: { userId: String(userIdByEmail(demoEmails.leader)), quizId },
        status: 409,
        key: "admin.retake.notLocked",
        text: "Personen kan allerede tage quizzen igen",
      },
      {
        fields: { userId: String(userIdByEmail(ADMIN)), quizId },
        status: 403,
        key: "refusal.retakeOwn",
        text: "Du kan ikke give dig selv nye forsøg.",
      },
    ];
    for (const { fields, status, key, text } of refusals) {
      const reply = await grant(ADMIN, { ...fields, organisationId: "2" });
      expect(reply.status, key).toBe(status);
      expect(await reply.json()).toMatchObject({ formId: "people-1", result: { error: { "": [key] } } });
      const { html } = await renderAdminPage(
        formRequest("/administration", { intent: "grantRetake", organisationId: "2", ...fields }, cookie),
      );
      expect(occurrences(html, escapeHtml(text)), key).toBe(1);
      expect(html.slice(html.indexOf('id="people-1"'), html.indexOf('id="people-2"')), key).toContain(escapeHtml(text));
    }
    expect(retakesOf(ADMIN)).toEqual([]);
  });

  it("says above the admin's own list that a person or quiz is gone, and answers any other list as a page that does not exist", async () => {
    // Nabo Kommune has no licence for the course: to its admin the quiz is not found for its people.
    makeAdminOfBothMunicipalities();
    const fields = { userId: String(userIdByEmail(demoEmails.neighbourLearner)), quizId: String(quizIdOf(SLUG)) };
    const gone = await grant(ADMIN, { ...fields, organisationId: "2" });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({
      formId: "people-2",
      result: { error: { "": ["admin.retake.notFound"] } },
      notice: null,
    });

    // A municipality the admin does not administer gets no message above its list: the page does not exist.
    const foreign = await grant(demoEmails.neighbourAdmin, { ...fields, organisationId: "1" });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ message: "notFound.personOrQuiz" });
  });
});
