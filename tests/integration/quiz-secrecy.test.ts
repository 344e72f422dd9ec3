import { demoEmails } from "~/cli/seed/accounts";
import type { AttemptResult } from "~/learning/quizzes.server";
import * as quizPage from "~/routes/kurser.$courseSlug.$moduleSlug.quiz";
import { answerBody, answers, markWatched, storedQuestions } from "../utils/quizzes";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

const COURSE = "unges-egne-fortaellinger";
const MODULE = "sofie-ingen-spurgte-til-mig";
const URL_PATH = `/kurser/${COURSE}/${MODULE}/quiz`;
const LEARNER = demoEmails.learner;

const renderPage = (req: Request) => renderRoute(quizPage, "/kurser/:courseSlug/:moduleSlug/quiz", req);

describe("the secrecy of a quiz's answers", () => {
  let cookie: string;
  beforeEach(async () => {
    cookie = await sessionCookieFor(LEARNER);
    markWatched(LEARNER, MODULE);
  });

  it("the quiz page's data never contains which options are correct", async () => {
    const questions = storedQuestions(MODULE);
    expect(questions.length).toBeGreaterThan(1);

    const response = await settle(() =>
      quizPage.loader(routeArgs(request(URL_PATH, { cookie }), { courseSlug: COURSE, moduleSlug: MODULE })),
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    const data = JSON.parse(text) as {
      quiz: { availability: string; questions: { id: number; options: Record<string, unknown>[] }[] };
    };
    expect(data.quiz.availability).toBe("open");
    expect(data.quiz.questions.map((q) => q.id).sort()).toEqual(questions.map((q) => q.id).sort());
    for (const question of data.quiz.questions)
      for (const option of question.options) expect(Object.keys(option).sort()).toEqual(["id", "text"]);
    expect(text).not.toContain("correct");
    expect(text).not.toContain("explanation");
    for (const question of questions) expect(text).not.toContain(question.explanation);

    const { html } = await renderPage(request(URL_PATH, { cookie }));
    for (const question of questions) {
      expect(html).toContain(escapeHtml(question.text));
      for (const option of question.options) expect(html).toContain(escapeHtml(option.text));
      expect(html).not.toContain(escapeHtml(question.explanation));
    }
    // The data the page hands the browser (the hydration script) holds no answer key either.
    expect(html).not.toContain("correct");
  });

  it("explanations and whether each answer was right appear only in the action's result, the correct options only once passed", async () => {
    const questions = storedQuestions(MODULE);

    const failed = await renderPage(
      request(URL_PATH, { method: "POST", body: answerBody(answers(questions, [0, 1])), cookie }),
    );
    const failedResult = (failed.context.actionData?.route as { graded: AttemptResult }).graded;
    expect(failedResult.passed).toBe(false);
    expect(failedResult.revealed).toBe(false);
    expect(failedResult.questions.map((q) => q.answeredCorrectly)).toEqual(questions.map((_q, index) => index > 1));
    expect(failedResult.questions.map((q) => q.explanation)).toEqual(questions.map((q) => q.explanation));
    expect(failedResult.questions.flatMap((q) => q.options).every((o) => o.correct === null)).toBe(true);
    for (const question of questions) expect(failed.html).toContain(escapeHtml(question.explanation));
    expect(failed.html).toContain("Dit svar var forkert.");
    expect(failed.html).not.toContain("quiz-review__tag--correct");

    const passed = await renderPage(
      request(URL_PATH, { method: "POST", body: answerBody(answers(questions)), cookie }),
    );
    const passedResult = (passed.context.actionData?.route as { graded: AttemptResult }).graded;
    expect(passedResult).toMatchObject({ passed: true, revealed: true });
    expect(passedResult.questions.map((q) => q.options.map((o) => o.correct))).toEqual(
      questions.map((q) => q.options.map((o) => o.correct)),
    );
    expect(passed.html).toContain("quiz-review__tag--correct");
  });
});
