import { and, count, eq, inArray } from "drizzle-orm";
import {
  feedbackAnswers,
  feedbackForms,
  feedbackQuestions,
  feedbackResponses,
  feedbackSubmissions,
  moduleProgress,
  modules,
  quizAttempts,
  quizzes,
  users,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { parseChoices } from "~/feedback/forms";
import { feedbackOfferFor, submitFeedback, weekOf } from "~/feedback/responses.server";
import type { FormReport } from "~/feedback/reports.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import * as adminRoute from "~/routes/administration.feedback";
import * as builderRoute from "~/routes/ejer.studie.kurser.$courseId.feedback.$audience/route";
import * as dashboardRoute from "~/routes/ejer.feedback._index";
import * as csvRoute from "~/routes/ejer.feedback.svar[.]csv";
import * as pageRoute from "~/routes/kurser.$courseSlug.feedback/route";
import { addDemoPeople, answerFields, COURSES, courseIdOf, csvRows, respond, seededForm } from "../utils/feedback";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

type Reply = { formId: string; notice: { key: string } | null; result: { error?: Record<string, string[] | null> } };

const today = danishDate();
const responseCount = (formId: number) =>
  db.select({ n: count() }).from(feedbackResponses).where(eq(feedbackResponses.formId, formId)).get()!.n;
const submissionCount = (formId: number) =>
  db.select({ n: count() }).from(feedbackSubmissions).where(eq(feedbackSubmissions.formId, formId)).get()!.n;

async function dashboard(query: string, email = demoEmails.owner) {
  const response = await settle(async () =>
    dashboardRoute.loader(routeArgs(request(`/ejer/feedback${query}`, { cookie: await sessionCookieFor(email) }))),
  );
  return {
    status: response.status,
    body: response.status === 200 ? ((await response.json()) as { reports: FormReport[] }) : null,
  };
}

async function adminView(query: string, email = demoEmails.admin) {
  const response = await settle(async () =>
    adminRoute.loader(
      routeArgs(request(`/administration/feedback${query}`, { cookie: await sessionCookieFor(email) })),
    ),
  );
  return {
    status: response.status,
    body: response.status === 200 ? ((await response.json()) as { reports: FormReport[] }) : null,
  };
}

async function saveBuilder(courseId: number | string, audience: string, fields: Record<string, string>) {
  const cookie = await sessionCookieFor(demoEmails.owner);
  const url = `/ejer/studie/kurser/${courseId}/feedback/${audience}`;
  return settle(() =>
    builderRoute.action(routeArgs(formRequest(url, fields, cookie), { courseId: String(courseId), audience })),
  );
}

/** Every film of the course watched, and every quiz passed, so the course is complete. */
function completeCourse(email: string, slug: string) {
  const userId = userIdByEmail(email);
  const moduleIds = db
    .select({ id: modules.id })
    .from(modules)
    .where(eq(modules.courseId, courseIdOf(slug)))
    .all()
    .map((m) => m.id);
  for (const moduleId of moduleIds) {
    db.insert(moduleProgress)
      .values({
        userId,
        moduleId,
        playedRanges: "[[0,60]]",
        playedMs: 60_000,
        watchedAt: new Date(),
        updatedAt: new Date(),
      })
      .run();
  }
  for (const quiz of db.select({ id: quizzes.id }).from(quizzes).where(inArray(quizzes.moduleId, moduleIds)).all()) {
    db.insert(quizAttempts)
      .values({
        quizId: quiz.id,
        userId,
        correctCount: 1,
        questionCount: 1,
        scorePercent: 100,
        passed: true,
        submittedAt: new Date(),
      })
      .run();
  }
}

describe("who gets which form", () => {
  it("gives leaders the leaders' form and everyone else with a seat the staff form, and nothing to those without a seat", async () => {
    const courseId = courseIdOf(COURSES[1]);
    expect(feedbackOfferFor({ id: userIdByEmail(demoEmails.learner) }, courseId)).toEqual({
      audience: "staff",
      state: "open",
      courseComplete: false,
      href: `/kurser/${COURSES[1]}/feedback`,
    });
    expect(feedbackOfferFor({ id: userIdByEmail(demoEmails.leader) }, courseId)?.audience).toBe("leader");
    expect(feedbackOfferFor({ id: userIdByEmail(demoEmails.admin) }, courseId)?.audience).toBe("staff");
    expect(feedbackOfferFor({ id: userIdByEmail(demoEmails.neighbourLearner) }, courseId)).toBeNull();
    expect(feedbackOfferFor({ id: userIdByEmail(demoEmails.owner) }, courseId)).toBeNull();

    const page = await settle(async () =>
      pageRoute.loader(
        routeArgs(request(`/kurser/${COURSES[1]}/feedback`, { cookie: await sessionCookieFor(demoEmails.leader) }), {
          courseSlug: COURSES[1],
        }),
      ),
    );
    expect(page.status).toBe(200);
    const body = (await page.json()) as { page: { audience: string; preview: boolean; form: { title: string } } };
    expect(body.page).toMatchObject({
      audience: "leader",
      preview: false,
      form: { title: "Ledernes vurdering af kurset" },
    });
  });

  it("offers the form as the course's next step once the course is complete", () => {
    completeCourse(demoEmails.healthVisitor, COURSES[3]);
    expect(feedbackOfferFor({ id: userIdByEmail(demoEmails.healthVisitor) }, courseIdOf(COURSES[3]))).toMatchObject({
      courseComplete: true,
      state: "open",
    });
  });
});

describe("answering a form", () => {
  it("takes answers only between the open and close dates", async () => {
    const form = seededForm(COURSES[2], "staff");
    const email = demoEmails.learner;
    const user = { id: userIdByEmail(email) };
    const fields = answerFields(form, { profession: "teacher" });

    db.update(feedbackForms)
      .set({ opensOn: shiftDays(today, 1) })
      .where(eq(feedbackForms.id, form.id))
      .run();
    expect(feedbackOfferFor(user, form.courseId)?.state).toBe("notOpenYet");
    const early = await respond(email, COURSES[2], fields);
    expect(early.status).toBe(409);
    expect(((await early.json()) as Reply).result.error?.[""]).toEqual(["feedback.refused.notOpenYet"]);

    db.update(feedbackForms)
      .set({ opensOn: shiftDays(today, -10), closesOn: shiftDays(today, -1) })
      .where(eq(feedbackForms.id, form.id))
      .run();
    expect(feedbackOfferFor(user, form.courseId)?.state).toBe("closed");
    const late = await respond(email, COURSES[2], fields);
    expect(late.status).toBe(409);
    expect(((await late.json()) as Reply).result.error?.[""]).toEqual(["feedback.refused.closed"]);
    expect(responseCount(form.id)).toBe(0);
    expect(submissionCount(form.id)).toBe(0);

    // The last day is included.
    db.update(feedbackForms).set({ closesOn: today }).where(eq(feedbackForms.id, form.id)).run();
    expect((await respond(email, COURSES[2], fields)).status).toBe(200);
    expect(feedbackOfferFor(user, form.courseId)?.state).toBe("answered");
  });

  it("refuses an answer out of range, an unknown choice, too long a text or a missing answer, and saves nothing", async () => {
    const form = seededForm(COURSES[1], "staff");
    const [scale, , recommend, choice, text] = form.questions;
    const email = demoEmails.healthVisitor;
    const cases: [Record<string, string>, string, string][] = [
      [{ [`q${scale!.id}`]: "6" }, `q${scale!.id}`, "feedback.answer.outOfRange"],
      [{ [`q${scale!.id}`]: "0" }, `q${scale!.id}`, "feedback.answer.outOfRange"],
      [{ [`q${scale!.id}`]: "4,5" }, `q${scale!.id}`, "feedback.answer.outOfRange"],
      [{ [`q${recommend!.id}`]: "11" }, `q${recommend!.id}`, "feedback.answer.outOfRange"],
      [{ [`q${recommend!.id}`]: "-1" }, `q${recommend!.id}`, "feedback.answer.outOfRange"],
      [{ [`q${choice!.id}`]: "På månen" }, `q${choice!.id}`, "feedback.answer.unknownChoice"],
      [{ [`q${text!.id}`]: "x".repeat(2001) }, `q${text!.id}`, "feedback.answer.tooLong"],
      [{ [`q${text!.id}`]: "Et godt\u0000 kursus" }, `q${text!.id}`, "validation.controlCharacter"],
      [{ [`q${scale!.id}`]: "" }, `q${scale!.id}`, "feedback.answer.required"],
      [{ profession: "astronaut" }, "profession", "feedback.profession.required"],
    ];
    for (const [overrides, field, message] of cases) {
      const response = await respond(
        email,
        COURSES[1],
        answerFields(form, { profession: "healthVisitor", ...overrides }),
      );
      expect(response.status, JSON.stringify(overrides).slice(0, 60)).toBe(400);
      expect(((await response.json()) as Reply).result.error?.[field]).toEqual([message]);
    }
    expect(responseCount(form.id)).toBe(0);
    expect(submissionCount(form.id)).toBe(0);
    expect(
      db.select({ profession: users.profession }).from(users).where(eq(users.email, email)).get()?.profession,
    ).toBeNull();

    // The free-text question is optional and 2,000 characters fit.
    const fields = answerFields(form, { profession: "healthVisitor", [`q${text!.id}`]: "x".repeat(2000) });
    expect((await respond(email, COURSES[1], fields)).status).toBe(200);
  });

  it("takes one response per person and form: a second one is a 409 and changes nothing", async () => {
    const form = seededForm(COURSES[1], "leader");
    const email = demoEmails.leader;
    const fields = answerFields(form, { profession: "pedagogue" });
    const first = await respond(email, COURSES[1], fields);
    expect(first.status).toBe(200);
    expect(((await first.json()) as Reply).notice).toEqual({ key: "feedback.page.thanks" });
    const second = await respond(email, COURSES[1], fields);
    expect(second.status).toBe(409);
    expect(((await second.json()) as Reply).result.error?.[""]).toEqual(["feedback.refused.alreadyAnswered"]);
    expect(responseCount(form.id)).toBe(1);
    expect(
      db
        .select({ n: count() })
        .from(feedbackAnswers)
        .innerJoin(feedbackResponses, eq(feedbackResponses.id, feedbackAnswers.responseId))
        .where(eq(feedbackResponses.formId, form.id))
        .get()!.n,
    ).toBe(4);
    // The domain refuses it as well, whatever the page showed.
    expect(submitFeedback({ id: userIdByEmail(email) }, form.courseId, [], null, form.anonymous)).toBe(
      "alreadyAnswered",
    );
  });

  it("asks the profession once, keeps it on the person and the response, and lets the person change it", async () => {
    const [personId] = addDemoPeople(1);
    const person = db.select().from(users).where(eq(users.id, personId!)).get()!;
    const cookie = await sessionCookieFor(person.email);
    const first = seededForm(COURSES[1], "staff");

    const missing = await respond(person.email, COURSES[1], answerFields(first), cookie);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Reply).result.error?.profession).toEqual(["feedback.profession.required"]);

    expect(
      (await respond(person.email, COURSES[1], answerFields(first, { profession: "socialWorker" }), cookie)).status,
    ).toBe(200);
    expect(
      db.select({ profession: users.profession }).from(users).where(eq(users.id, person.id)).get()?.profession,
    ).toBe("socialWorker");

    const second = seededForm(COURSES[3], "staff");
    const page = await settle(() =>
      pageRoute.loader(routeArgs(request(`/kurser/${COURSES[3]}/feedback`, { cookie }), { courseSlug: COURSES[3] })),
    );
    expect(page.status).toBe(200);
    expect(((await page.json()) as { page: { profession: string | null } }).page.profession).toBe("socialWorker");
    // Not asked again: the answers alone are enough, and the response still carries the profession.
    expect((await respond(person.email, COURSES[3], answerFields(second), cookie)).status).toBe(200);
    expect(
      db
        .select({ profession: feedbackResponses.profession })
        .from(feedbackResponses)
        .where(eq(feedbackResponses.formId, second.id))
        .all(),
    ).toEqual([{ profession: "socialWorker" }]);

    const change = await respond(
      person.email,
      COURSES[3],
      { intent: "profession", profession: "psychologist" },
      cookie,
    );
    expect(change.status).toBe(200);
    expect(
      db.select({ profession: users.profession }).from(users).where(eq(users.id, person.id)).get()?.profession,
    ).toBe("psychologist");
    expect(
      (await respond(person.email, COURSES[3], { intent: "profession", profession: "pilot" }, cookie)).status,
    ).toBe(400);
  });

  it("shows the owner a preview that cannot be answered, and refuses those outside the course", async () => {
    const cookie = await sessionCookieFor(demoEmails.owner);
    const page = await settle(() =>
      pageRoute.loader(routeArgs(request(`/kurser/${COURSES[1]}/feedback`, { cookie }), { courseSlug: COURSES[1] })),
    );
    expect(page.status).toBe(200);
    expect(((await page.json()) as { page: { preview: boolean } }).page.preview).toBe(true);
    const form = seededForm(COURSES[1], "staff");
    expect((await respond(demoEmails.owner, COURSES[1], answerFields(form, { profession: "other" }))).status).toBe(403);
    expect(
      (await respond(demoEmails.neighbourLearner, COURSES[1], answerFields(form, { profession: "other" }))).status,
    ).toBe(403);
  });
});

describe("the owner's form builder", () => {
  const valid = { title: "Spørgeskema", intro: "", anonymous: "yes", opensOn: today };

  it("refuses a choice question without options, a close date before the open date and other bad input, and saves nothing", async () => {
    const form = seededForm(COURSES[2], "leader");
    const cases: [Record<string, string>, string, string][] = [
      [
        { "questions[0].kind": "choice", "questions[0].text": "Hvad?" },
        "questions[0].choices",
        "feedback.builder.choicesMissing",
      ],
      [
        { "questions[0].kind": "choice", "questions[0].text": "Hvad?", "questions[0].choices": "Kun én" },
        "questions[0].choices",
        "feedback.builder.choicesMissing",
      ],
      [
        { "questions[0].kind": "choice", "questions[0].text": "Hvad?", "questions[0].choices": "Ja\nJa" },
        "questions[0].choices",
        "feedback.builder.choicesDuplicate",
      ],
      [
        { "questions[0].kind": "scale", "questions[0].text": "Hvor godt?", "questions[0].highLabel": "Godt" },
        "questions[0].lowLabel",
        "feedback.builder.labelMissing",
      ],
      [
        { closesOn: shiftDays(today, -1), "questions[0].kind": "text", "questions[0].text": "Hvad?" },
        "closesOn",
        "feedback.builder.closesBeforeOpens",
      ],
      [
        { opensOn: "2026-02-30", "questions[0].kind": "text", "questions[0].text": "Hvad?" },
        "opensOn",
        "feedback.builder.dateInvalid",
      ],
      [
        { "questions[0].kind": "slider", "questions[0].text": "Hvad?" },
        "questions[0].kind",
        "feedback.builder.kindInvalid",
      ],
      [{}, "questions", "feedback.builder.questionsMissing"],
      [
        { title: "Skema\u000Btil ledere", "questions[0].kind": "text", "questions[0].text": "Hvad?" },
        "title",
        "validation.controlCharacter",
      ],
      [
        { title: "Skema\ntil ledere", "questions[0].kind": "text", "questions[0].text": "Hvad?" },
        "title",
        "validation.controlCharacter",
      ],
      [
        { intro: "Tak\u0000 for hjælpen.", "questions[0].kind": "text", "questions[0].text": "Hvad?" },
        "intro",
        "validation.controlCharacter",
      ],
      [
        { "questions[0].kind": "text", "questions[0].text": "Hvad\u001F?" },
        "questions[0].text",
        "validation.controlCharacter",
      ],
      [
        { "questions[0].kind": "choice", "questions[0].text": "Hvad?", "questions[0].choices": "Ja\nNej\u0002" },
        "questions[0].choices",
        "validation.controlCharacter",
      ],
    ];
    for (const [fields, field, message] of cases) {
      const response = await saveBuilder(form.courseId, "ledere", { ...valid, ...fields });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(((await response.json()) as Reply).result.error?.[field]).toEqual([message]);
    }
    expect(seededForm(COURSES[2], "leader")).toEqual(form);

    // A question id from another form is refused rather than moved.
    const other = seededForm(COURSES[0], "staff").questions[0]!;
    const stolen = await saveBuilder(form.courseId, "ledere", {
      ...valid,
      "questions[0].id": String(other.id),
      "questions[0].kind": other.kind,
      "questions[0].text": "Hvad?",
      "questions[0].lowLabel": "a",
      "questions[0].highLabel": "b",
    });
    expect(stolen.status).toBe(409);
    // Said above the form, which keeps what the owner typed.
    expect(await stolen.json()).toMatchObject({
      formId: "feedback-builder",
      result: { error: { "": ["feedback.builder.questionUnknown"] } },
      notice: null,
    });
    expect(seededForm(COURSES[2], "leader")).toEqual(form);

    // Adding a question without JavaScript only changes the list; a command Conform cannot read is a 400.
    const insert = JSON.stringify({ type: "insert", payload: { name: "questions" } });
    const listed = await saveBuilder(form.courseId, "ledere", {
      ...valid,
      "questions[0].kind": "text",
      "questions[0].text": "Hvad?",
      __intent__: insert,
    });
    expect(listed.status).toBe(200);
    expect(
      ((await listed.json()) as Reply & { result: { initialValue?: { questions?: unknown[] } } }).result.initialValue
        ?.questions,
    ).toHaveLength(2);
    for (const garbage of ["nonsense", JSON.stringify({ type: "insert", payload: { name: "title" } })]) {
      expect((await saveBuilder(form.courseId, "ledere", { ...valid, __intent__: garbage })).status, garbage).toBe(400);
      expect(
        (await respond(demoEmails.leader, COURSES[2], { intent: "respond", __intent__: garbage })).status,
        garbage,
      ).toBe(400);
    }
    expect(seededForm(COURSES[2], "leader")).toEqual(form);

    for (const [courseId, audience] of [
      [form.courseId, "chefer"],
      ["abc", "ledere"],
      [999, "ledere"],
    ] as const) {
      const cookie = await sessionCookieFor(demoEmails.owner);
      const url = `/ejer/studie/kurser/${courseId}/feedback/${audience}`;
      expect(
        (
          await settle(() =>
            builderRoute.loader(routeArgs(request(url, { cookie }), { courseId: String(courseId), audience })),
          )
        ).status,
      ).toBe(404);
    }
  });

  it("updates questions in place, so answers to questions that stay survive", async () => {
    const form = seededForm(COURSES[2], "leader");
    const [scale, recommend, choice, text] = form.questions;
    expect((await respond(demoEmails.leader, COURSES[2], answerFields(form, { profession: "pedagogue" }))).status).toBe(
      200,
    );
    const answers = () =>
      db
        .select({ questionId: feedbackAnswers.questionId })
        .from(feedbackAnswers)
        .where(
          inArray(
            feedbackAnswers.questionId,
            form.questions.map((q) => q.id),
          ),
        )
        .all()
        .map((a) => a.questionId)
        .sort();
    expect(answers()).toHaveLength(4);

    // Changing the kind of a question someone has answered is refused.
    const locked = await saveBuilder(form.courseId, "ledere", {
      ...valid,
      "questions[0].id": String(scale!.id),
      "questions[0].kind": "text",
      "questions[0].text": scale!.text,
    });
    expect(locked.status).toBe(409);
    expect(((await locked.json()) as Reply).result.error?.["questions[0].kind"]).toEqual([
      "feedback.builder.kindLocked",
    ]);

    // The recommend question goes, the choice question moves first and is reworded, a new question is added.
    const saved = await saveBuilder(form.courseId, "ledere", {
      ...valid,
      title: "Ledernes nye skema",
      closesOn: shiftDays(today, 30),
      "questions[0].id": String(choice!.id),
      "questions[0].kind": "choice",
      "questions[0].text": "Hvordan har I brugt kurset?",
      "questions[0].choices": "Hver for sig\nSammen\nIkke endnu",
      "questions[1].id": String(scale!.id),
      "questions[1].kind": "scale",
      "questions[1].text": scale!.text,
      "questions[1].required": "on",
      "questions[1].lowLabel": "Slet ikke",
      "questions[1].highLabel": "I høj grad",
      "questions[2].id": String(text!.id),
      "questions[2].kind": "text",
      "questions[2].text": text!.text,
      "questions[3].kind": "recommend",
      "questions[3].text": "Vil du anbefale kurset til en anden leder?",
      "questions[3].required": "on",
    });
    expect(saved.status).toBe(200);
    const after = seededForm(COURSES[2], "leader");
    expect(after).toMatchObject({ title: "Ledernes nye skema", anonymous: true, closesOn: shiftDays(today, 30) });
    expect(after.questions.map((q) => [q.position, q.kind, q.required])).toEqual([
      [1, "choice", false],
      [2, "scale", true],
      [3, "text", false],
      [4, "recommend", true],
    ]);
    expect(after.questions.slice(0, 3).map((q) => q.id)).toEqual([choice!.id, scale!.id, text!.id]);
    expect(parseChoices(after.questions[0]!.choices)).toEqual(["Hver for sig", "Sammen", "Ikke endnu"]);
    expect(db.select().from(feedbackQuestions).where(eq(feedbackQuestions.id, recommend!.id)).get()).toBeUndefined();
    expect(answers()).toEqual([scale!.id, choice!.id, text!.id].sort());
  });

  it("creates a form for an audience that has none", async () => {
    const courseId = courseIdOf(COURSES[3]);
    db.delete(feedbackForms)
      .where(and(eq(feedbackForms.courseId, courseId), eq(feedbackForms.audience, "leader")))
      .run();
    const cookie = await sessionCookieFor(demoEmails.owner);
    const url = `/ejer/studie/kurser/${courseId}/feedback/ledere`;
    const empty = await settle(() =>
      builderRoute.loader(routeArgs(request(url, { cookie }), { courseId: String(courseId), audience: "ledere" })),
    );
    expect(empty.status).toBe(200);
    expect(((await empty.json()) as { form: unknown }).form).toBeNull();
    expect(feedbackOfferFor({ id: userIdByEmail(demoEmails.leader) }, courseId)).toBeNull();

    const created = await saveBuilder(courseId, "ledere", {
      ...valid,
      "questions[0].kind": "text",
      "questions[0].text": "Hvad tager du med?",
    });
    expect(created.status).toBe(200);
    expect(seededForm(COURSES[3], "leader").questions.map((q) => q.text)).toEqual(["Hvad tager du med?"]);
    expect(feedbackOfferFor({ id: userIdByEmail(demoEmails.leader) }, courseId)?.audience).toBe("leader");
  });
});

describe("the owner's dashboard", () => {
  const firstCourse = () => courseIdOf(COURSES[0]);

  it("shows distribution, mean, trend, breakdown by profession and free text of the seeded responses", async () => {
    const { status, body } = await dashboard(`?kursus=${firstCourse()}&rolle=medarbejdere`);
    expect(status).toBe(200);
    expect(body!.reports).toHaveLength(1);
    const staff = body!.reports[0]!;
    // Nine answered the anonymous form, but only the five pedagogues are a group large enough to count.
    expect(staff).toMatchObject({
      audience: "staff",
      anonymous: true,
      restricted: true,
      status: "shown",
      responseCount: 5,
    });
    const [useful, , recommend, where, better] = staff.questions;
    expect(useful!.bars).toEqual([
      { value: "5", count: 2 },
      { value: "4", count: 2 },
      { value: "3", count: 1 },
      { value: "2", count: 0 },
      { value: "1", count: 0 },
    ]);
    expect(useful!.mean).toBe(4.2);
    expect(useful!.trend).toEqual([{ month: weekOf(today).slice(0, 7), count: 5, mean: 4.2 }]);
    expect(useful!.breakdown).toEqual([{ profession: "pedagogue", count: 5, mean: 4.2 }]);
    expect(recommend!.mean).toBe(8.4);
    expect(recommend!.bars).toHaveLength(11);
    expect(where!.bars?.find((bar) => bar.value === "På arbejdet, alene")?.count).toBe(2);
    expect(better!.texts).toHaveLength(3);
    expect(better!.texts.every((text) => text.name === null)).toBe(true);
  });

  it("filters by profession, municipality and role, and hides a group under five", async () => {
    const pedagogues = (await dashboard(`?kursus=${firstCourse()}&faggruppe=pedagogue`)).body!.reports;
    expect(pedagogues.map((r) => [r.audience, r.status, r.responseCount])).toEqual([
      ["staff", "shown", 5],
      ["leader", "tooFew", null],
    ]);
    expect(pedagogues[1]!.questions).toEqual([]);
    const teachers = (await dashboard(`?kursus=${firstCourse()}&rolle=medarbejdere&faggruppe=teacher`)).body!.reports;
    expect(teachers[0]).toMatchObject({ status: "tooFew", responseCount: null, questions: [] });
    const nabo = (await dashboard(`?kursus=${firstCourse()}&kommune=2`)).body!.reports;
    expect(nabo.map((r) => r.status)).toEqual(["none", "none"]);
    const all = (await dashboard("")).body!.reports;
    expect(all).toHaveLength(8);
  });

  it("answers a bad filter with a 400, never a 500", async () => {
    for (const query of ["?kursus=abc", "?kursus=-1", "?rolle=chefer", "?faggruppe=pilot", "?kommune=1e3"]) {
      expect((await dashboard(query)).status, query).toBe(400);
      const csv = await settle(async () =>
        csvRoute.loader(
          routeArgs(request(`/ejer/feedback/svar.csv${query}`, { cookie: await sessionCookieFor(demoEmails.owner) })),
        ),
      );
      expect(csv.status, query).toBe(400);
    }
    // An empty choice in a list is no filter, and an unknown course simply has no forms.
    expect((await dashboard("?kursus=&rolle=&faggruppe=&kommune=")).body!.reports).toHaveLength(8);
    expect((await dashboard("?kursus=999")).body!.reports).toEqual([]);
  });

  it("shows every response to a form that is not anonymous, with the person's name beside the free text", async () => {
    db.update(feedbackForms)
      .set({ anonymous: false })
      .where(eq(feedbackForms.id, seededForm(COURSES[1], "leader").id))
      .run();
    const form = seededForm(COURSES[1], "leader");
    // The leader may have answered in an earlier test; make sure there is one named response.
    if (responseCount(form.id) === 0)
      expect(
        (await respond(demoEmails.leader, COURSES[1], answerFields(form, { profession: "pedagogue" }))).status,
      ).toBe(200);
    const before = responseCount(form.id);
    const [personId] = addDemoPeople(1, "leader");
    const person = db.select().from(users).where(eq(users.id, personId!)).get()!;
    const text = form.questions.find((q) => q.kind === "text")!;
    expect(
      (
        await respond(
          person.email,
          COURSES[1],
          answerFields(form, { profession: "other", [`q${text.id}`]: "Navngivet svar" }),
        )
      ).status,
    ).toBe(200);

    const report = (await dashboard(`?kursus=${form.courseId}&rolle=ledere`)).body!.reports[0]!;
    expect(report).toMatchObject({ anonymous: false, restricted: false, status: "shown", responseCount: before + 1 });
    expect(report.questions.find((q) => q.kind === "text")!.texts).toContainEqual({
      text: "Navngivet svar",
      name: person.name,
    });
    const admin = (await adminView(`?kursus=${form.courseId}&rolle=ledere`)).body!.reports[0]!;
    expect(admin).toMatchObject({ restricted: true, status: "tooFew", questions: [] });

    const csv = await settle(async () =>
      csvRoute.loader(
        routeArgs(
          request(`/ejer/feedback/svar.csv?kursus=${form.courseId}&rolle=ledere`, {
            cookie: await sessionCookieFor(demoEmails.owner),
          }),
        ),
      ),
    );
    expect(csv.status).toBe(200);
    const rows = csvRows(await csv.text());
    expect(rows.some((row) => row[5] === person.name && row[6] === person.email && row[9] === "Navngivet svar")).toBe(
      true,
    );
  });
});

describe("the admins' view", () => {
  it("shows an admin their own municipality's figures only, under the minimum-group rule", async () => {
    const courseId = courseIdOf(COURSES[0]);
    const own = (await adminView(`?kursus=${courseId}`)).body!.reports;
    expect(own.map((r) => [r.audience, r.status, r.responseCount])).toEqual([
      ["staff", "shown", 5],
      ["leader", "tooFew", null],
    ]);
    // The two teachers and two health visitors are left out altogether, not shown as too few.
    expect(own[0]!.questions[0]!.breakdown).toEqual([{ profession: "pedagogue", count: 5, mean: 4.2 }]);
    // Asking for another municipality changes nothing: the admin's own is the only one.
    expect((await adminView(`?kursus=${courseId}&kommune=2`)).body!.reports.map((r) => r.responseCount)).toEqual([
      5,
      null,
    ]);
    expect(
      (await adminView(`?kursus=${courseId}`, demoEmails.neighbourAdmin)).body!.reports.map((r) => r.status),
    ).toEqual(["none", "none"]);
    expect((await adminView("?organisation=1", demoEmails.neighbourAdmin)).status).toBe(404);
    expect((await adminView("?organisation=abc")).status).toBe(404);
    expect((await adminView("?faggruppe=pilot")).status).toBe(400);
    expect((await adminView("", demoEmails.learner)).status).toBe(403);
  });
});

describe("the CSV export", () => {
  it("exports anonymous responses without personal fields, and only from groups of five or more", async () => {
    const cookie = await sessionCookieFor(demoEmails.owner);
    const response = await settle(() =>
      csvRoute.loader(routeArgs(request(`/ejer/feedback/svar.csv?kursus=${courseIdOf(COURSES[0])}`, { cookie }))),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const [header, ...rows] = csvRows(await response.text());
    expect(header).toEqual([
      "Kursus",
      "Rolle",
      "Kommune",
      "Faggruppe",
      "Måned",
      "Navn",
      "E-mail",
      "Svar nr.",
      "Spørgsmål",
      "Svar",
    ]);
    // Five pedagogues on the staff form: 5 + 4 + 5 + 4 + 5 answers. Teachers, health visitors and the leaders are too few.
    expect(rows).toHaveLength(23);
    expect(new Set(rows.map((row) => row[3]))).toEqual(new Set(["Pædagog"]));
    expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(["Medarbejdere"]));
    expect(new Set(rows.map((row) => row[7]))).toEqual(new Set(["1", "2", "3", "4", "5"]));
    expect(rows.every((row) => row[5] === "" && row[6] === "" && row[4] === weekOf(today).slice(0, 7))).toBe(true);
    expect(
      rows.some((row) => row[8] === "Hvor godt kan du bruge kurset i dit daglige arbejde?" && row[9] === "5"),
    ).toBe(true);
  });
});
