import { parseWithZod } from "@conform-to/zod";
import { and, count, eq, inArray } from "drizzle-orm";
import { modules, quizAttemptAnswers, quizAttempts, quizOptions, quizQuestions, quizzes } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { seedDatabase } from "~/cli/seed/seed-database";
import { seedQuizzes } from "~/cli/seed/quizzes";
import { findCourseForViewer, listCoursesForViewer } from "~/catalog/catalog.server";
import { db } from "~/db.server";
import { courseCompletion, moduleCompletions } from "~/learning/completion.server";
import { quizForBuilder } from "~/learning/quiz-builder.server";
import {
  builderFormValue,
  newQuestionOptions,
  quizBuilderSchema,
  type BuilderFormValue,
  type QuizBuilderInput,
} from "~/learning/quiz-forms";
import type { AttemptResult, LearnerQuiz } from "~/learning/quizzes.server";
import * as builderPage from "~/routes/ejer.studie.moduler.$moduleId.quiz/route";
import * as quizPage from "~/routes/kurser.$courseSlug.$moduleSlug.quiz";
import {
  answerBody,
  answers,
  attemptCount,
  conformBody,
  givenQuiz,
  markWatched,
  moduleIdBySlug,
  storedQuestions,
} from "../utils/quizzes";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const COURSE = "unges-egne-fortaellinger";
const LEARNER = demoEmails.learner;
const OWNER = demoEmails.owner;

type QuizReply = { result: { error?: Record<string, string[] | null> }; graded: AttemptResult | null };
type BuilderReply = {
  formId: string;
  result: { error?: Record<string, string[] | null> };
  notice: { key: string } | null;
};

const option = (text: string, correct = false) => ({ text, correct });

/** Five questions, so 4 right is exactly 80 %. */
const fiveQuestions: QuizBuilderInput["questions"] = [
  {
    kind: "single",
    text: "Hvor sidder Mikkel?",
    explanation: "Forklaring et: bagerst.",
    options: [option("Bagerst", true), option("Forrest"), option("Ved vinduet")],
  },
  {
    kind: "multiple",
    text: "Hvad lagde læreren mærke til?",
    explanation: "Forklaring to: begge dele.",
    options: [option("Han var stille", true), option("Han var træt", true), option("Han var vred")],
  },
  {
    kind: "trueFalse",
    text: "Mikkel bad selv om hjælp.",
    explanation: "Forklaring tre: nej.",
    options: [option("Sandt"), option("Falsk", true)],
  },
  {
    kind: "single",
    text: "Hvem så det først?",
    explanation: "Forklaring fire: læreren.",
    options: [option("Læreren", true), option("Pedellen")],
  },
  {
    kind: "single",
    text: "Hvad gjorde læreren?",
    explanation: "Forklaring fem: talte med ham.",
    options: [option("Talte med ham", true), option("Ventede")],
  },
];

async function openQuiz(email: string, moduleSlug: string) {
  const cookie = await sessionCookieFor(email);
  const response = await settle(() =>
    quizPage.loader(
      routeArgs(request(`/kurser/${COURSE}/${moduleSlug}/quiz`, { cookie }), { courseSlug: COURSE, moduleSlug }),
    ),
  );
  return { response, data: response.status === 200 ? ((await response.json()) as { quiz: LearnerQuiz }) : null };
}

async function submit(email: string, moduleSlug: string, body: URLSearchParams, courseSlug = COURSE) {
  const cookie = await sessionCookieFor(email);
  return settle(() =>
    quizPage.action(
      routeArgs(request(`/kurser/${courseSlug}/${moduleSlug}/quiz`, { method: "POST", body, cookie }), {
        courseSlug,
        moduleSlug,
      }),
    ),
  );
}

async function graded(email: string, moduleSlug: string, wrong: number[] = []) {
  const response = await submit(email, moduleSlug, answerBody(answers(storedQuestions(moduleSlug), wrong)));
  expect(response.status).toBe(200);
  return ((await response.json()) as QuizReply).graded!;
}

async function postBuilder(moduleId: string, body: URLSearchParams, as = OWNER) {
  const cookie = await sessionCookieFor(as);
  return settle(() =>
    builderPage.action(
      routeArgs(request(`/ejer/studie/moduler/${moduleId}/quiz`, { method: "POST", body, cookie }), { moduleId }),
    ),
  );
}

describe("taking a quiz", () => {
  beforeEach(() => givenQuiz("mikkel-den-stille-dreng-bagerst", { questions: fiveQuestions }));

  it("stays closed until the film is watched, and the action refuses with a Danish message", async () => {
    const { data } = await openQuiz(demoEmails.healthVisitor, "mikkel-den-stille-dreng-bagerst");
    expect(data?.quiz.availability).toBe("locked");
    expect(data?.quiz.questions).toEqual([]);

    const refused = await submit(
      demoEmails.healthVisitor,
      "mikkel-den-stille-dreng-bagerst",
      answerBody(answers(storedQuestions("mikkel-den-stille-dreng-bagerst"))),
    );
    expect(refused.status).toBe(409);
    // Said above the form the learner sent, in place: the quiz page's own reply, not an error page.
    expect(await refused.json()).toMatchObject({
      formId: "quiz-attempt",
      result: { error: { "": ["refusal.quizLocked"] } },
      notice: null,
    });
    expect(attemptCount(demoEmails.healthVisitor, "mikkel-den-stille-dreng-bagerst")).toBe(0);
  });

  it("grades single-choice, multiple-choice and true/false answers on the server and stores every answer", async () => {
    markWatched(LEARNER, "mikkel-den-stille-dreng-bagerst");
    const questions = storedQuestions("mikkel-den-stille-dreng-bagerst");
    const chosen = answers(questions);
    // Only one of the two correct options of the multiple-choice question, and "true" where "false" is right.
    chosen.set(questions[1]!.id, [questions[1]!.options[0]!.id]);
    chosen.set(questions[2]!.id, [questions[2]!.options[0]!.id]);

    const response = await submit(LEARNER, "mikkel-den-stille-dreng-bagerst", answerBody(chosen));
    expect(response.status).toBe(200);
    const result = ((await response.json()) as QuizReply).graded!;
    expect(result).toMatchObject({
      correctCount: 3,
      questionCount: 5,
      scorePercent: 60,
      passed: false,
      quizPassed: false,
      attemptsUsed: 1,
    });
    expect(result.questions.map((q) => q.answeredCorrectly)).toEqual([true, false, false, true, true]);
    expect(result.questions[2]!.explanation).toBe("Forklaring tre: nej.");

    const attempt = db
      .select()
      .from(quizAttempts)
      .where(eq(quizAttempts.userId, userIdByEmail(LEARNER)))
      .all();
    expect(attempt).toHaveLength(1);
    expect(attempt[0]).toMatchObject({ correctCount: 3, questionCount: 5, scorePercent: 60, passed: false });
    const stored = db.select().from(quizAttemptAnswers).where(eq(quizAttemptAnswers.attemptId, attempt[0]!.id)).all();
    expect(stored).toHaveLength(5);
    const multiple = stored.find((a) => a.questionId === questions[1]!.id)!;
    expect(JSON.parse(multiple.selectedOptionIds)).toEqual([questions[1]!.options[0]!.id]);
    expect(multiple.correct).toBe(false);

    const allRight = await graded(LEARNER, "mikkel-den-stille-dreng-bagerst");
    expect(allRight).toMatchObject({
      correctCount: 5,
      scorePercent: 100,
      passed: true,
      quizPassed: true,
      attemptsUsed: 2,
    });
  });

  it("passes at exactly the pass mark and not one answer below it", async () => {
    markWatched(demoEmails.leader, "mikkel-den-stille-dreng-bagerst");
    expect(await graded(demoEmails.leader, "mikkel-den-stille-dreng-bagerst", [0, 4])).toMatchObject({
      scorePercent: 60,
      passed: false,
    });
    expect(await graded(demoEmails.leader, "mikkel-den-stille-dreng-bagerst", [4])).toMatchObject({
      scorePercent: 80,
      passed: true,
    });

    // Two of three is 66.67 %: it is shown rounded down, so a pass mark of 67 % is not reached.
    givenQuiz("amira-vi-flyttede-hele-tiden", { passPercent: 67, questions: fiveQuestions.slice(0, 3) });
    markWatched(demoEmails.leader, "amira-vi-flyttede-hele-tiden");
    expect(await graded(demoEmails.leader, "amira-vi-flyttede-hele-tiden", [2])).toMatchObject({
      correctCount: 2,
      scorePercent: 66,
      passed: false,
    });
  });

  it("refuses attempts beyond the limit, and shows the correct options only once none are left", async () => {
    givenQuiz("jonas-paedagogen-der-blev-ved", { maxAttempts: 2, questions: fiveQuestions });
    markWatched(LEARNER, "jonas-paedagogen-der-blev-ved");

    const first = await graded(LEARNER, "jonas-paedagogen-der-blev-ved", [0, 1, 2]);
    expect(first).toMatchObject({ passed: false, attemptsUsed: 1, maxAttempts: 2, revealed: false });
    expect(first.questions.flatMap((q) => q.options).every((o) => o.correct === null)).toBe(true);

    const second = await graded(LEARNER, "jonas-paedagogen-der-blev-ved", [0, 1, 2]);
    expect(second).toMatchObject({ passed: false, attemptsUsed: 2, revealed: true });
    expect(second.questions[0]!.options.map((o) => o.correct)).toEqual([true, false, false]);

    const third = await submit(
      LEARNER,
      "jonas-paedagogen-der-blev-ved",
      answerBody(answers(storedQuestions("jonas-paedagogen-der-blev-ved"))),
    );
    expect(third.status).toBe(409);
    expect(await third.json()).toMatchObject({
      formId: "quiz-attempt",
      result: { error: { "": ["refusal.quizNoAttemptsLeft"] } },
      notice: null,
    });
    expect(attemptCount(LEARNER, "jonas-paedagogen-der-blev-ved")).toBe(2);
    expect((await openQuiz(LEARNER, "jonas-paedagogen-der-blev-ved")).data?.quiz).toMatchObject({
      availability: "exhausted",
      questions: [],
    });
  });

  it("lets a learner retake a passed quiz without undoing the pass", async () => {
    // As in the grading test: failed at 60 %, then passed at 100 %.
    markWatched(LEARNER, "mikkel-den-stille-dreng-bagerst");
    expect(await graded(LEARNER, "mikkel-den-stille-dreng-bagerst", [1, 2])).toMatchObject({ passed: false });
    expect(await graded(LEARNER, "mikkel-den-stille-dreng-bagerst")).toMatchObject({ passed: true });
    const retake = await graded(LEARNER, "mikkel-den-stille-dreng-bagerst", [0, 1, 2, 3, 4]);
    expect(retake).toMatchObject({ scorePercent: 0, passed: false, quizPassed: true, revealed: true });
    const completion = moduleCompletions(userIdByEmail(LEARNER), [moduleIdBySlug("mikkel-den-stille-dreng-bagerst")])
      .values()
      .next().value;
    expect(completion).toMatchObject({
      complete: true,
      quiz: { passed: true, bestScorePercent: 100, attemptsUsed: 3 },
    });
  });

  it("answers bad answers with a 400 and the message beside the question, storing nothing", async () => {
    markWatched(demoEmails.admin, "mikkel-den-stille-dreng-bagerst");
    const questions = storedQuestions("mikkel-den-stille-dreng-bagerst");
    const field = `q${questions[0]!.id}`;
    const errorsOf = async (chosen: Map<number, number[]>) => {
      const response = await submit(demoEmails.admin, "mikkel-den-stille-dreng-bagerst", answerBody(chosen));
      expect(response.status).toBe(400);
      return ((await response.json()) as QuizReply).result.error?.[field];
    };

    // An option of another question.
    expect(
      await errorsOf(new Map([...answers(questions), [questions[0]!.id, [questions[3]!.options[0]!.id]]])),
    ).toEqual(["quiz.answerUnknown"]);
    // An id that is no option at all.
    expect(await errorsOf(new Map([...answers(questions), [questions[0]!.id, [987654]]]))).toEqual([
      "quiz.answerUnknown",
    ]);
    // Two answers to a single-choice question.
    expect(
      await errorsOf(
        new Map([...answers(questions), [questions[0]!.id, questions[0]!.options.slice(0, 2).map((o) => o.id)]]),
      ),
    ).toEqual(["quiz.answerMissing"]);
    // No answer.
    expect(await errorsOf(new Map([...answers(questions), [questions[0]!.id, []]]))).toEqual(["quiz.answerMissing"]);
    expect(attemptCount(demoEmails.admin, "mikkel-den-stille-dreng-bagerst")).toBe(0);
  });

  it("shuffles per attempt, keeping the order when the page is loaded again", async () => {
    // The seeded quiz on the first film shuffles its questions and options.
    const people = [LEARNER, demoEmails.leader, demoEmails.healthVisitor, demoEmails.admin];
    for (const email of people) markWatched(email, "sofie-ingen-spurgte-til-mig");
    const order = async (email: string) =>
      (await openQuiz(email, "sofie-ingen-spurgte-til-mig")).data!.quiz.questions.map((q) => [
        q.id,
        q.options.map((o) => o.id),
      ]);
    const orders = await Promise.all(people.map(order));
    expect(await order(LEARNER)).toEqual(orders[0]);
    const stored = storedQuestions("sofie-ingen-spurgte-til-mig").map((q) => [q.id, q.options.map((o) => o.id)]);
    expect(orders.every((o) => JSON.stringify(o) === JSON.stringify(stored))).toBe(false);
  });

  it("is not there for a film without a quiz, nor for someone without access to the course", async () => {
    expect((await openQuiz(LEARNER, "sofie-ingen-spurgte-til-mig")).response.status).toBe(200);
    db.delete(quizzes)
      .where(eq(quizzes.moduleId, moduleIdBySlug("amira-vi-flyttede-hele-tiden")))
      .run();
    expect((await openQuiz(LEARNER, "amira-vi-flyttede-hele-tiden")).response.status).toBe(404);
    expect((await openQuiz(demoEmails.neighbourLearner, "sofie-ingen-spurgte-til-mig")).response.status).toBe(403);
  });
});

describe("module and course completion", () => {
  const PERSON = demoEmails.admin;
  const SCHOOL = "i-skolen-og-fritiden";
  const slugs = [
    "laereren-naar-et-barn-aendrer-sig",
    "paedagogen-i-sfo-barnet-der-ikke-vil-hjem",
    "idraetslaereren-maerkerne-paa-armen",
    "laerer-og-paedagog-pigen-uden-for-faellesskabet",
  ];
  const courseId = () =>
    db.select({ courseId: modules.courseId }).from(modules).where(eq(modules.slug, slugs[0]!)).get()!.courseId;
  const viewer = () => ({ id: userIdByEmail(PERSON), platformRole: null });
  const summary = () => {
    const found = findCourseForViewer(viewer(), SCHOOL);
    if (found.status !== "ok") throw new Error(found.status);
    return found.course;
  };

  // Every film of the course is watched; only the first has a quiz, and it is not yet passed.
  beforeEach(() => {
    for (const slug of slugs) markWatched(PERSON, slug, new Date("2026-03-02T09:00:00Z"));
  });

  it("counts a film without a quiz as complete once watched, and one with a quiz only once the quiz is passed", async () => {
    expect(courseCompletion(viewer().id, courseId())).toEqual({
      moduleCount: 4,
      completedCount: 3,
      complete: false,
      completedOn: null,
    });
    const course = summary();
    expect(course.modules.map((m) => m.state)).toEqual(["watched", "complete", "complete", "complete"]);
    expect(course.modules[0]!.quiz).toMatchObject({ passed: false, attemptsUsed: 0, maxAttempts: null });
    expect(course.modules[1]!.quiz).toBeNull();
    expect(course).toMatchObject({ watchedCount: 4, completedCount: 3, nextModuleSlug: slugs[0] });
    expect(listCoursesForViewer(viewer()).find((c) => c.slug === SCHOOL)).toMatchObject({ completedCount: 3 });
  });

  it("leaves unpublished films out of what completes the course and out of the learner's list", () => {
    db.update(modules).set({ published: false }).where(eq(modules.slug, slugs[0]!)).run();
    expect(courseCompletion(viewer().id, courseId())).toMatchObject({
      moduleCount: 3,
      completedCount: 3,
      complete: true,
    });
    expect(summary().modules.map((m) => m.slug)).toEqual(slugs.slice(1));
    expect(findCourseForViewer({ id: userIdByEmail(OWNER), platformRole: "owner" }, SCHOOL)).toMatchObject({
      course: { modules: expect.arrayContaining([expect.objectContaining({ slug: slugs[0] })]) },
    });
    db.update(modules).set({ published: true }).where(eq(modules.slug, slugs[0]!)).run();
    expect(courseCompletion(viewer().id, courseId()).complete).toBe(false);
  });

  it("completes the course once the quiz is passed", async () => {
    const passed = await submit(PERSON, slugs[0]!, answerBody(answers(storedQuestions(slugs[0]!))), SCHOOL);
    expect(passed.status).toBe(200);
    expect(courseCompletion(viewer().id, courseId())).toMatchObject({
      moduleCount: 4,
      completedCount: 4,
      complete: true,
    });
    expect(summary()).toMatchObject({ completedCount: 4, nextModuleSlug: null });
    expect(summary().modules[0]!.state).toBe("complete");
  });
});

describe("the owner's quiz builder", () => {
  const SLUG = "skolesundhedsplejersken-ondt-i-maven";
  const moduleId = () => String(moduleIdBySlug(SLUG));
  // As the builder's form sends it: one right answer chosen with a radio button naming the option's ref, several with a box each.
  const asPosted = (form: BuilderFormValue): BuilderFormValue => ({
    ...form,
    questions: form.questions.map((question) =>
      question.kind === "multiple"
        ? question
        : { ...question, options: question.options.map(({ correct: _box, ...option }) => option) },
    ),
  });
  const validQuiz = () =>
    asPosted(
      builderFormValue({
        settings: { passPercent: 75, maxAttempts: 3, shuffleQuestions: true },
        questions: [
          {
            kind: "single",
            text: "Hvornår har barnet ondt?",
            explanation: "Om mandagen.",
            options: [option("Om mandagen", true), option("Om fredagen")],
          },
          {
            kind: "multiple",
            text: "Hvem taler hun med?",
            explanation: "Barnet og forældrene.",
            options: [option("Barnet", true), option("Forældrene", true), option("Naboen")],
          },
          {
            kind: "trueFalse",
            text: "Hun fandt en fysisk årsag.",
            explanation: "Nej, ingen.",
            options: [option("Sandt"), option("Falsk", true)],
          },
        ],
      }),
    );

  it("is the owner's alone, and answers an unknown or malformed module id with 404", async () => {
    expect((await postBuilder(moduleId(), conformBody(validQuiz()), LEARNER)).status).toBe(404);
    expect((await postBuilder("abc", conformBody(validQuiz()))).status).toBe(404);
    expect((await postBuilder("999999", conformBody(validQuiz()))).status).toBe(404);
    const cookie = await sessionCookieFor(OWNER);
    expect(
      (
        await settle(() =>
          builderPage.loader(routeArgs(request("/ejer/studie/moduler/1x/quiz", { cookie }), { moduleId: "1x" })),
        )
      ).status,
    ).toBe(404);
    expect(storedQuestions(SLUG)).toEqual([]);
  });

  it.each([
    ["a pass mark of 140 %", { passPercent: "140" }, "passPercent", "quiz.builder.passPercentInvalid"],
    ["a pass mark with decimals", { passPercent: "80,5" }, "passPercent", "quiz.builder.passPercentInvalid"],
    ["21 attempts", { maxAttempts: "21" }, "maxAttempts", "quiz.builder.maxAttemptsInvalid"],
    [
      "a question without a correct option",
      { q0: { correctOption: undefined } },
      "questions[0].options",
      "quiz.builder.exactlyOneCorrect",
    ],
    [
      "a right answer that names no option",
      { q0: { correctOption: "9" } },
      "questions[0].options",
      "quiz.builder.exactlyOneCorrect",
    ],
    [
      "two options under one ref on a single-choice question",
      {
        q0: {
          options: [
            { ref: "1", text: "A" },
            { ref: "1", text: "B" },
          ],
          correctOption: "1",
        },
      },
      "questions[0].options",
      "quiz.builder.exactlyOneCorrect",
    ],
    [
      "a multiple-choice question without a correct option",
      { q1: { options: newQuestionOptions(["A", "B"]) } },
      "questions[1].options",
      "quiz.builder.atLeastOneCorrect",
    ],
    ["a question without options", { q0: { options: [] } }, "questions[0].options", "quiz.builder.optionCount"],
    [
      "a question with one option",
      { q0: { options: newQuestionOptions(["A"]), correctOption: "1" } },
      "questions[0].options",
      "quiz.builder.optionCount",
    ],
    [
      "true/false with three options",
      { q2: { options: newQuestionOptions(["Sandt", "Falsk", "Måske"]), correctOption: "2" } },
      "questions[2].options",
      "quiz.builder.trueFalseTwo",
    ],
    ["an empty explanation", { q0: { explanation: " " } }, "questions[0].explanation", "validation.required"],
    ["an unknown kind", { q0: { kind: "essay" } }, "questions[0].kind", "quiz.builder.kindInvalid"],
    [
      "a control character in a question",
      { q0: { text: "Hvornår\u0007 har barnet ondt?" } },
      "questions[0].text",
      "validation.controlCharacter",
    ],
    [
      "a line break in an option",
      {
        q1: {
          options: [
            { ref: "1", text: "Barnet\nog mor", correct: true },
            { ref: "2", text: "Naboen" },
          ],
        },
      },
      "questions[1].options[0].text",
      "validation.controlCharacter",
    ],
  ])("refuses %s with 400, the message on the field, and nothing saved", async (_name, change, field, message) => {
    const quiz = validQuiz();
    const { q0, q1, q2, ...settings } = change as Record<string, object | string>;
    [q0, q1, q2].forEach((questionChange, index) => {
      if (questionChange) Object.assign(quiz.questions[index]!, questionChange);
    });
    const before = quizForBuilder(moduleIdBySlug(SLUG));
    const response = await postBuilder(moduleId(), conformBody({ ...quiz, ...settings }));
    expect(response.status).toBe(400);
    const reply = (await response.json()) as BuilderReply;
    expect(reply).toMatchObject({ formId: "quiz-builder", notice: null });
    expect(reply.result.error?.[field]).toEqual([message]);
    expect(quizForBuilder(moduleIdBySlug(SLUG))).toEqual(before);
  });

  it("saves a valid quiz, and edits keep the attempts and the answers to the questions that stay", async () => {
    const saved = await postBuilder(moduleId(), conformBody(validQuiz()));
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as BuilderReply).notice).toEqual({ key: "quiz.builder.saved" });
    const builder = quizForBuilder(moduleIdBySlug(SLUG))!;
    expect(builder.settings).toEqual({
      passPercent: 75,
      maxAttempts: 3,
      shuffleQuestions: true,
      shuffleOptions: false,
    });
    expect(
      builder.questions.map((q) => [q.kind, q.text, q.options.filter((o) => o.correct).map((o) => o.text)]),
    ).toEqual([
      ["single", "Hvornår har barnet ondt?", ["Om mandagen"]],
      ["multiple", "Hvem taler hun med?", ["Barnet", "Forældrene"]],
      ["trueFalse", "Hun fandt en fysisk årsag.", ["Falsk"]],
    ]);

    const health = demoEmails.healthVisitor;
    markWatched(health, SLUG);
    const attempt = await submit(
      health,
      SLUG,
      answerBody(answers(storedQuestions(SLUG), [1])),
      "sundhedspleje-og-tandpleje",
    );
    expect(attempt.status).toBe(200);

    // Swap the first two questions, reword one, add an option, drop the true/false question and add a new one.
    const [first, second] = builder.questions;
    const edited = builderFormValue({
      settings: { passPercent: 80, maxAttempts: null },
      questions: [
        {
          id: second!.id,
          kind: "multiple",
          text: second!.text,
          explanation: second!.explanation,
          options: [...second!.options, { text: "Læreren", correct: false }],
        },
        {
          id: first!.id,
          kind: "single",
          text: "Hvilken dag har barnet ondt i maven?",
          explanation: first!.explanation,
          options: first!.options,
        },
        {
          kind: "single",
          text: "Et nyt spørgsmål",
          explanation: "Ny forklaring.",
          options: [option("Ja", true), option("Nej")],
        },
      ],
    });
    const response = await postBuilder(moduleId(), conformBody(edited));
    expect(response.status).toBe(200);

    const after = quizForBuilder(moduleIdBySlug(SLUG))!;
    expect(after.settings).toMatchObject({ passPercent: 80, maxAttempts: null });
    expect(after.questions.map((q) => q.id).slice(0, 2)).toEqual([second!.id, first!.id]);
    expect(after.questions[1]!.text).toBe("Hvilken dag har barnet ondt i maven?");
    expect(after.questions[0]!.options.map((o) => o.text)).toEqual(["Barnet", "Forældrene", "Naboen", "Læreren"]);
    expect(after.questions[0]!.options.slice(0, 3).map((o) => o.id)).toEqual(second!.options.map((o) => o.id));
    expect(after.attemptCount).toBe(1);
    const kept = db
      .select({ questionId: quizAttemptAnswers.questionId, correct: quizAttemptAnswers.correct })
      .from(quizAttemptAnswers)
      .innerJoin(quizAttempts, eq(quizAttempts.id, quizAttemptAnswers.attemptId))
      .where(
        and(
          eq(quizAttempts.userId, userIdByEmail(health)),
          inArray(
            quizAttemptAnswers.questionId,
            builder.questions.map((q) => q.id),
          ),
        ),
      )
      .all();
    expect(kept.sort((a, b) => a.questionId - b.questionId)).toEqual(
      [
        { questionId: first!.id, correct: true },
        { questionId: second!.id, correct: false },
      ].sort((a, b) => a.questionId - b.questionId),
    );
  });

  it("refuses a form that names an option of another question, and saves nothing", async () => {
    expect((await postBuilder(moduleId(), conformBody(validQuiz()))).status).toBe(200);
    const before = quizForBuilder(moduleIdBySlug(SLUG))!;
    const [first, second] = before.questions;
    const stale = builderFormValue({
      settings: { passPercent: 80 },
      questions: [
        {
          id: first!.id,
          kind: first!.kind,
          text: "Ændret",
          explanation: first!.explanation,
          options: [...first!.options.slice(0, 2), { ...second!.options[0]!, correct: false }],
        },
      ],
    });
    const response = await postBuilder(moduleId(), conformBody(stale));
    expect(response.status).toBe(409);
    // Said above the builder, which keeps what the owner typed.
    expect(await response.json()).toMatchObject({
      formId: "quiz-builder",
      result: { error: { "": ["quiz.builder.stale"] } },
      notice: null,
    });
    expect(quizForBuilder(moduleIdBySlug(SLUG))).toEqual(before);
  });
  it("keeps a one-answer question's right answer with its option when the options are moved, added or removed", async () => {
    const quiz = validQuiz();
    const first = quiz.questions[0]!;
    // "Om mandagen" (ref 1) is right. It moves last, "Om fredagen" first, and a new option comes between.
    expect(first).toMatchObject({
      correctOption: "1",
      options: [
        { ref: "1", text: "Om mandagen" },
        { ref: "2", text: "Om fredagen" },
      ],
    });
    first.options = [first.options[1]!, { ref: "3", text: "Om søndagen" }, first.options[0]!];
    const response = await postBuilder(moduleId(), conformBody(quiz));
    expect(response.status).toBe(200);
    const saved = quizForBuilder(moduleIdBySlug(SLUG))!.questions[0]!;
    expect(saved.options.map((o) => [o.text, o.correct])).toEqual([
      ["Om fredagen", false],
      ["Om søndagen", false],
      ["Om mandagen", true],
    ]);
  });
});

describe("the demo quizzes", () => {
  const counts = () =>
    [quizzes, quizQuestions, quizOptions].map((table) => db.select({ n: count() }).from(table).get()!.n);

  it("sit on the first film of each course, follow the builder's rules, and are added only once", async () => {
    const firstFilms = db
      .select({ id: modules.id })
      .from(modules)
      .where(eq(modules.position, 1))
      .all()
      .map((m) => m.id);
    expect(seedQuizzes.map((quiz) => moduleIdBySlug(quiz.moduleSlug)).sort()).toEqual(firstFilms.sort());
    for (const { moduleSlug } of seedQuizzes) {
      const quiz = quizForBuilder(moduleIdBySlug(moduleSlug))!;
      expect(quiz.questions.length).toBeGreaterThanOrEqual(2);
      // Posted back as the builder's own form fills it, the quiz comes out as it was stored.
      const parsed = parseWithZod(conformBody(builderFormValue(quiz)), { schema: quizBuilderSchema });
      expect(parsed.status).toBe("success");
      if (parsed.status !== "success") continue;
      expect(parsed.value.questions.map((q) => q.options.map((o) => o.correct))).toEqual(
        quiz.questions.map((q) => q.options.map((o) => o.correct)),
      );
    }

    const before = counts();
    await seedDatabase(db);
    expect(counts()).toEqual(before);
  });
});
