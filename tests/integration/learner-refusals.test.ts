import { and, eq, isNull } from "drizzle-orm";
import { feedbackSubmissions, seats, users } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import type { QuizBuilderInput } from "~/learning/quiz-forms";
import { revokeSeat } from "~/licensing/licences.server";
import { translator } from "~/i18n/i18n";
import * as quizPage from "~/routes/kurser.$courseSlug.$moduleSlug.quiz";
import * as feedbackPage from "~/routes/kurser.$courseSlug.feedback/route";
import { answerFields, seededForm } from "../utils/feedback";
import { answerBody, answers, attemptCount, givenQuiz, markWatched, storedQuestions } from "../utils/quizzes";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const t = translator("da");
const COURSE = "unges-egne-fortaellinger";
const FILM = "amira-vi-flyttede-hele-tiden";
const QUIZ_PATH = `/kurser/${COURSE}/${FILM}/quiz`;
const LEARNER = demoEmails.learner;

/** One question at an 80 % pass mark, one attempt allowed. */
const oneQuestion: QuizBuilderInput["questions"] = [
  {
    kind: "trueFalse",
    text: "Amira flyttede mange gange.",
    explanation: "Ja, hele tiden.",
    options: [
      { text: "Sandt", correct: true },
      { text: "Falsk", correct: false },
    ],
  },
];

const renderQuiz = (req: Request) => renderRoute(quizPage, "/kurser/:courseSlug/:moduleSlug/quiz", req);
const renderFeedback = (req: Request) => renderRoute(feedbackPage, "/kurser/:courseSlug/feedback", req);
const textOf = (html: string) => html.replace(/<!-- -->/g, "");

describe("a quiz that cannot be taken says so on the quiz page, with the way on", () => {
  beforeEach(() => givenQuiz(FILM, { maxAttempts: 1, questions: oneQuestion }));

  it("tells a learner who has used every attempt, when the quiz is opened", async () => {
    const cookie = await sessionCookieFor(LEARNER);
    markWatched(LEARNER, FILM);
    const failed = await renderQuiz(
      request(QUIZ_PATH, { method: "POST", cookie, body: answerBody(answers(storedQuestions(FILM), [0])) }),
    );
    expect(failed.context.statusCode).toBe(200);

    const { html, context } = await renderQuiz(request(QUIZ_PATH, { cookie }));
    expect(context.statusCode).toBe(200);
    expect(textOf(html)).toContain(escapeHtml(t("quiz.exhausted")));
    expect(textOf(html)).toContain(escapeHtml("kan din kommunes administrator give dig nye forsøg"));
    expect(html).not.toContain(escapeHtml(t("quiz.submit")));
    expect(html).toContain(`href="/kurser/${COURSE}/${FILM}"`);
  });

  it("tells them in place, not on an error page, when they send answers from a page opened before the last attempt was used", async () => {
    const cookie = await sessionCookieFor(LEARNER);
    markWatched(LEARNER, FILM);
    const used = await renderQuiz(
      request(QUIZ_PATH, { method: "POST", cookie, body: answerBody(answers(storedQuestions(FILM), [0])) }),
    );
    expect(used.context.statusCode).toBe(200);
    const stale = await renderQuiz(
      request(QUIZ_PATH, { method: "POST", cookie, body: answerBody(answers(storedQuestions(FILM))) }),
    );
    expect(stale.context.statusCode).toBe(409);
    expect(stale.context.errors).toBeNull();
    const html = textOf(stale.html);
    expect(html).toContain(`role="alert">${escapeHtml(t("refusal.quizNoAttemptsLeft"))}`);
    expect(html).not.toContain(escapeHtml(t("error.title")));
    expect(html).toContain(escapeHtml(t("quiz.backToFilm")));
    expect(attemptCount(LEARNER, FILM)).toBe(1);
  });

  it("tells a learner who has not watched the film that the quiz opens after it, when opened and when answers are sent", async () => {
    const cookie = await sessionCookieFor(demoEmails.leader);
    const opened = await renderQuiz(request(QUIZ_PATH, { cookie }));
    expect(opened.context.statusCode).toBe(200);
    expect(textOf(opened.html)).toContain(escapeHtml(t("quiz.locked")));

    const sent = await renderQuiz(
      request(QUIZ_PATH, { method: "POST", cookie, body: answerBody(answers(storedQuestions(FILM))) }),
    );
    expect(sent.context.statusCode).toBe(409);
    expect(sent.context.errors).toBeNull();
    expect(textOf(sent.html)).toContain(`role="alert">${escapeHtml(t("refusal.quizLocked"))}`);
    expect(sent.html).toContain(`href="/kurser/${COURSE}/${FILM}"`);
    expect(attemptCount(demoEmails.leader, FILM)).toBe(0);
  });
});

describe("the feedback form's refusals are said above the form that was sent", () => {
  const SLUG = "i-skolen-og-fritiden";
  const PATH = `/kurser/${SLUG}/feedback`;

  it("thanks once, and a second response from a page still open says it was already given", async () => {
    const cookie = await sessionCookieFor(LEARNER);
    const fields = answerFields(seededForm(SLUG, "staff"), { profession: "teacher" });
    const first = await renderFeedback(formRequest(PATH, fields, cookie));
    expect(first.context.statusCode).toBe(200);
    expect(textOf(first.html)).toContain(escapeHtml(t("feedback.page.thanks")));
    expect(first.context.actionData?.route).toMatchObject({
      formId: "feedback-response",
      notice: { key: "feedback.page.thanks" },
    });

    const second = await renderFeedback(formRequest(PATH, fields, cookie));
    expect(second.context.statusCode).toBe(409);
    expect(second.context.errors).toBeNull();
    expect(second.context.actionData?.route).toMatchObject({
      formId: "feedback-response",
      result: { error: { "": ["feedback.refused.alreadyAnswered"] } },
      notice: null,
    });
    // Sent without JavaScript, the page comes back with the form closed and the reason where it was.
    expect(textOf(second.html)).toContain(`role="alert">${escapeHtml(t("feedback.refused.alreadyAnswered"))}`);
  });

  it("refuses a person whose seat was taken back while the page was open with the reason for the form, not an error page", async () => {
    const holder = demoEmails.healthVisitor;
    const cookie = await sessionCookieFor(holder);
    expect((await renderFeedback(request(PATH, { cookie }))).context.statusCode).toBe(200);
    const seat = db
      .select({ id: seats.id })
      .from(seats)
      .where(and(eq(seats.userId, userIdByEmail(holder)), isNull(seats.revokedAt)))
      .get()!;
    expect(revokeSeat(seat.id)).toBe(true);

    // The action answers the form that was sent. With JavaScript, Remix does not reload the page's
    // data after a 4xx answer, so the open page shows it above that form.
    const send = (fields: Record<string, string>) =>
      settle(() => feedbackPage.action(routeArgs(formRequest(PATH, fields, cookie), { courseSlug: SLUG })));
    const refused = await send(answerFields(seededForm(SLUG, "staff"), { profession: "other" }));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      formId: "feedback-response",
      result: { error: { "": ["feedback.refused.noSeat"] } },
      notice: null,
    });
    const profession = await send({ intent: "profession", profession: "pedagogue" });
    expect(profession.status).toBe(403);
    expect(await profession.json()).toMatchObject({
      formId: "feedback-profession",
      result: { error: { "": ["feedback.refused.noSeat"] } },
      notice: null,
    });
    expect(
      db
        .select()
        .from(feedbackSubmissions)
        .where(eq(feedbackSubmissions.userId, userIdByEmail(holder)))
        .all(),
    ).toEqual([]);
    expect(
      db.select({ profession: users.profession }).from(users).where(eq(users.email, holder)).get()?.profession,
    ).not.toBe("pedagogue");
  });

  it("refuses the course owner, who sees the form as a preview, above the form too", async () => {
    const cookie = await sessionCookieFor(demoEmails.owner);
    const refused = await renderFeedback(
      formRequest(PATH, answerFields(seededForm(SLUG, "staff"), { profession: "other" }), cookie),
    );
    expect(refused.context.statusCode).toBe(403);
    expect(refused.context.errors).toBeNull();
    expect(refused.context.actionData?.route).toMatchObject({
      formId: "feedback-response",
      result: { error: { "": ["feedback.refused.noSeat"] } },
    });
  });

  it("confirms a saved profession beside its own form", async () => {
    const cookie = await sessionCookieFor(LEARNER);
    const saved = await renderFeedback(formRequest(PATH, { intent: "profession", profession: "pedagogue" }, cookie));
    expect(saved.context.statusCode).toBe(200);
    expect(saved.context.actionData?.route).toMatchObject({
      formId: "feedback-profession",
      notice: { key: "feedback.profession.saved" },
    });
    expect(textOf(saved.html)).toContain(`role="status">${escapeHtml(t("feedback.profession.saved"))}`);
  });
});
