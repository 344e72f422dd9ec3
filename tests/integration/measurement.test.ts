import { and, count, eq } from "drizzle-orm";
import {
  measurementAnswers,
  measurementItems,
  modules,
  quizOptions,
  quizQuestions,
  quizzes,
  measurementResponses,
  measurementSubmissions,
  measurements,
  outboxEmails,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { baselineDue, measurementOfferFor, measurementPageFor, submitMeasurement } from "~/measurement/answers.server";
import { saveMeasurementItem } from "~/measurement/builder.server";
import { quizForBuilder, saveQuiz } from "~/learning/quiz-builder.server";
import { sendMeasurementFollowUps } from "~/measurement/follow-ups.server";
import { measurementPseudonym } from "~/measurement/pseudonym.server";
import * as builderRoute from "~/routes/ejer.studie.kurser.$courseId.maaling/route";
import * as filmRoute from "~/routes/kurser.$courseSlug.$moduleSlug._index";
import { courseIdOf } from "../utils/feedback";
import {
  answerFields,
  COURSE,
  completeWithCertificate,
  firstQuizQuestion,
  givenMeasurement,
  openPage,
  postAnswers,
} from "../utils/measurement";
import { markWatched } from "../utils/quizzes";
import { formRequest, jsonOf, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

type Reply = { formId: string; notice: { key: string } | null; result: { error?: Record<string, string[] | null> } };
type Page = { page: { state: string; dueOn?: string | null; items: { id: number; options: object[] }[] } };

const SOFIE = demoEmails.learner;
const LARS = demoEmails.leader;
const courseId = () => courseIdOf(COURSE);
const FIRST_FILM = "sofie-ingen-spurgte-til-mig";

async function build(fields: Record<string, string>, email = demoEmails.owner, id = String(courseId())) {
  const cookie = await sessionCookieFor(email);
  return settle(() =>
    builderRoute.action(routeArgs(formRequest(`/ejer/studie/kurser/${id}/maaling`, fields, cookie), { courseId: id })),
  );
}

const statementFields = (overrides: Record<string, string> = {}) => ({
  intent: "saveItem",
  audience: "staff",
  kind: "statement",
  text: "Jeg ved, hvem jeg skal gå til.",
  lowLabel: "Slet ikke",
  highLabel: "Helt",
  ...overrides,
});

const itemsOf = (measurementId: number) =>
  db.select().from(measurementItems).where(eq(measurementItems.measurementId, measurementId)).all();
const rowsIn = (table: typeof measurementResponses | typeof measurementSubmissions | typeof measurementAnswers) =>
  db.select({ n: count() }).from(table).get()!.n;

describe("the owner's measurement builder", () => {
  it("is the owner's only", async () => {
    const cookie = await sessionCookieFor(SOFIE);
    const url = `/ejer/studie/kurser/${courseId()}/maaling`;
    const page = await settle(() =>
      builderRoute.loader(routeArgs(request(url, { cookie }), { courseId: String(courseId()) })),
    );
    // As for every owner page, anyone else is told there is nothing here.
    expect(page.status).toBe(404);
    expect((await build(statementFields(), SOFIE)).status).toBe(404);
    expect(db.select().from(measurements).all()).toEqual([]);
  });

  it("adds items to a measurement that starts switched off, and checks each field beside it", async () => {
    const saved = await build(statementFields());
    expect((await jsonOf<Reply>(saved)).notice?.key).toBe("measurement.builder.itemSaved");
    const measurement = db.select().from(measurements).get()!;
    expect(measurement).toMatchObject({ courseId: courseId(), active: false, followUpWeeks: 12 });
    expect(itemsOf(measurement.id)).toEqual([
      expect.objectContaining({ audience: "staff", kind: "statement", position: 1, lowLabel: "Slet ikke" }),
    ]);

    const noLabels = await jsonOf<Reply>(await build(statementFields({ lowLabel: "", highLabel: "" })), 400);
    expect(noLabels.result.error).toMatchObject({
      lowLabel: ["measurement.builder.labelMissing"],
      highLabel: ["measurement.builder.labelMissing"],
    });
    const knowledgeForLeaders = await jsonOf<Reply>(
      await build({ intent: "saveItem", audience: "leader", kind: "knowledge", quizQuestionId: "1" }),
      400,
    );
    expect(knowledgeForLeaders.result.error?.kind).toEqual(["measurement.builder.knowledgeForStaff"]);
    const otherCourse = firstQuizQuestion("i-skolen-og-fritiden").id;
    const foreign = await jsonOf<Reply>(
      await build({ intent: "saveItem", audience: "staff", kind: "knowledge", quizQuestionId: String(otherCourse) }),
      400,
    );
    expect(foreign.result.error?.quizQuestionId).toEqual(["measurement.builder.questionUnknown"]);
    expect(itemsOf(measurement.id)).toHaveLength(1);

    const own = firstQuizQuestion().id;
    expect(
      (await build({ intent: "saveItem", audience: "staff", kind: "knowledge", quizQuestionId: String(own) })).status,
    ).toBe(200);
    expect(itemsOf(measurement.id).find((item) => item.kind === "knowledge")).toMatchObject({
      quizQuestionId: own,
      position: 2,
      text: "",
    });

    for (const weeks of ["0", "105", "1.5", "x"]) {
      const refused = await jsonOf<Reply>(await build({ intent: "settings", followUpWeeks: weeks }), 400);
      expect(refused.result.error?.followUpWeeks, weeks).toEqual(["measurement.builder.weeksInvalid"]);
    }
    const settings = { intent: "settings", intro: "Hjælp os", followUpWeeks: "8", active: "on" };
    expect((await build(settings)).status).toBe(200);
    expect(db.select().from(measurements).get()).toMatchObject({ intro: "Hjælp os", followUpWeeks: 8, active: true });
  });

  it("edits, moves and removes items in place, and refuses to change or remove one that has answers", async () => {
    const measurement = givenMeasurement();
    const [first, second] = measurement.staff;
    const edited = await build(statementFields({ itemId: String(first!.id), text: "Ny ordlyd" }));
    expect(edited.status).toBe(200);
    expect(itemsOf(measurement.id).find((item) => item.id === first!.id)?.text).toBe("Ny ordlyd");

    const moved = await build({ intent: "moveItem", itemId: String(second!.id), direction: "up", audience: "staff" });
    expect((await jsonOf<Reply>(moved)).formId).toBe("items-staff");
    const positions = Object.fromEntries(itemsOf(measurement.id).map((item) => [item.id, item.position]));
    expect([positions[second!.id], positions[first!.id]]).toEqual([1, 2]);

    // Sofie answers the "before": from then on the items she answered are locked.
    expect((await postAnswers(SOFIE, "baseline", answerFields(measurement.staff))).status).toBe(200);
    const before = itemsOf(measurement.id);
    const locked = await jsonOf<Reply>(
      await build(statementFields({ itemId: String(first!.id), text: "Endnu en ordlyd" })),
      409,
    );
    expect(locked.result.error?.[""]).toEqual(["measurement.builder.answeredLocked"]);
    const notRemoved = await build({ intent: "removeItem", itemId: String(first!.id), audience: "staff" });
    expect(notRemoved.status).toBe(409);
    expect(itemsOf(measurement.id)).toEqual(before);
    // Saving it as it is changes nothing and is no refusal; moving it is still allowed.
    expect((await build(statementFields({ itemId: String(first!.id), text: "Ny ordlyd" }))).status).toBe(200);
    expect((await build({ intent: "moveItem", itemId: String(first!.id), direction: "up" })).status).toBe(200);

    // The leaders' item has no answers, so it can go.
    const leaderItem = measurement.leader[0]!;
    expect((await build({ intent: "removeItem", itemId: String(leaderItem.id), audience: "leader" })).status).toBe(200);
    expect(itemsOf(measurement.id).some((item) => item.id === leaderItem.id)).toBe(false);
    // An item of another course's measurement is not found from this course.
    const gone = await build({ intent: "removeItem", itemId: String(first!.id) }, demoEmails.owner, "2");
    expect(gone.status).toBe(404);
  });
});

describe("a quiz question the measurement asks", () => {
  /** The quiz of the question's film as the builder saves it, with that question left out. */
  function quizWithout(questionId: number) {
    const moduleId = db
      .select({ moduleId: quizzes.moduleId })
      .from(quizQuestions)
      .innerJoin(quizzes, eq(quizzes.id, quizQuestions.quizId))
      .where(eq(quizQuestions.id, questionId))
      .get()!.moduleId;
    const quiz = quizForBuilder(moduleId)!;
    return {
      moduleId,
      input: {
        ...quiz.settings,
        maxAttempts: quiz.settings.maxAttempts ?? undefined,
        questions: quiz.questions.filter((question) => question.id !== questionId),
      },
    };
  }

  it("cannot be removed from its quiz once it has answers, and can before", async () => {
    const measurement = givenMeasurement();
    const questionId = firstQuizQuestion().id;
    const { moduleId, input } = quizWithout(questionId);
    expect((await postAnswers(SOFIE, "baseline", answerFields(measurement.staff))).status).toBe(200);

    expect(saveQuiz(moduleId, input)).toBe("measuredQuestion");
    expect(db.select().from(quizQuestions).where(eq(quizQuestions.id, questionId)).get()).toBeDefined();
    expect(itemsOf(measurement.id).some((item) => item.quizQuestionId === questionId)).toBe(true);

    // Without answers to it, the item goes with the question.
    db.delete(measurementResponses).run();
    expect(saveQuiz(moduleId, input)).toBe("saved");
    expect(itemsOf(measurement.id).some((item) => item.quizQuestionId === questionId)).toBe(false);
  });
});

describe("the before, asked when the first film is opened", () => {
  async function openFilm(email: string) {
    const cookie = await sessionCookieFor(email);
    return settle(() =>
      filmRoute.loader(
        routeArgs(request(`/kurser/${COURSE}/${FIRST_FILM}`, { cookie }), {
          courseSlug: COURSE,
          moduleSlug: FIRST_FILM,
        }),
      ),
    );
  }

  it("sends a seat holder who has not begun to the before, and lets the film open once it is skipped", async () => {
    expect((await openFilm(SOFIE)).status).toBe(200);
    const measurement = givenMeasurement();
    const redirected = await openFilm(SOFIE);
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("Location")).toBe(
      `/kurser/${COURSE}/maaling?tidspunkt=foer&naeste=%2Fkurser%2F${COURSE}%2F${FIRST_FILM}`,
    );

    const skipped = await postAnswers(SOFIE, "baseline", { intent: "skip" }, `/kurser/${COURSE}/${FIRST_FILM}`);
    expect(skipped.status).toBe(302);
    expect(skipped.headers.get("Location")).toBe(`/kurser/${COURSE}/${FIRST_FILM}`);
    expect(rowsIn(measurementSubmissions)).toBe(1);
    expect(rowsIn(measurementResponses)).toBe(0);
    expect((await openFilm(SOFIE)).status).toBe(200);
    const again = await postAnswers(SOFIE, "baseline", answerFields(measurement.staff));
    expect((await jsonOf<Reply>(again, 409)).result.error?.[""]).toEqual(["measurement.refused.alreadyAnswered"]);
    expect(rowsIn(measurementResponses)).toBe(0);
  });

  it("is not asked of someone who has begun the films, nor while the measurement is off, nor of the owner", async () => {
    const measurement = givenMeasurement();
    markWatched(demoEmails.healthVisitor, FIRST_FILM);
    expect(baselineDue({ id: userIdByEmail(demoEmails.healthVisitor) }, courseId())).toBe(false);
    const started = await jsonOf<Page>(await openPage(demoEmails.healthVisitor, "baseline"));
    expect(started.page).toMatchObject({ state: "started", items: [] });
    expect((await openPage(demoEmails.owner, "baseline")).status).toBe(200);
    expect((await jsonOf<Page>(await openPage(demoEmails.owner, "baseline"))).page.state).toBe("noSeat");
    expect((await postAnswers(demoEmails.owner, "baseline", { intent: "skip" })).status).toBe(403);

    db.update(measurements).set({ active: false }).where(eq(measurements.id, measurement.id)).run();
    expect((await openFilm(SOFIE)).status).toBe(200);
    expect((await jsonOf<Page>(await openPage(SOFIE, "baseline"))).page.state).toBe("inactive");
    expect((await postAnswers(SOFIE, "baseline", answerFields(measurement.staff))).status).toBe(404);
    expect(rowsIn(measurementSubmissions)).toBe(0);
  });

  it("refuses a value off the scale beside its field, grades knowledge on the server, and keeps the right answers from the page", async () => {
    const measurement = givenMeasurement();
    const [statement, , knowledge] = measurement.staff;
    const page = await jsonOf<Page>(await openPage(SOFIE, "baseline"));
    expect(page.page.state).toBe("open");
    expect(JSON.stringify(page)).not.toMatch(/correct/);
    expect(page.page.items.find((item) => item.id === knowledge!.id)?.options).toHaveLength(3);

    for (const value of ["0", "6", "tre"]) {
      const refused = await postAnswers(
        SOFIE,
        "baseline",
        answerFields(measurement.staff, { [`i${statement!.id}`]: value }),
      );
      expect((await jsonOf<Reply>(refused, 400)).result.error?.[`i${statement!.id}`]).toEqual([
        "measurement.answer.outOfRange",
      ]);
    }
    const unknownOption = await postAnswers(
      SOFIE,
      "baseline",
      answerFields(measurement.staff, { [`i${knowledge!.id}`]: "999999" }),
    );
    expect((await jsonOf<Reply>(unknownOption, 400)).result.error?.[`i${knowledge!.id}`]).toEqual([
      "measurement.answer.unknownOption",
    ]);
    expect(rowsIn(measurementSubmissions)).toBe(0);

    const wrong = String(firstQuizQuestion().wrong);
    const saved = await postAnswers(
      SOFIE,
      "baseline",
      answerFields(measurement.staff, { [`i${knowledge!.id}`]: wrong }),
    );
    expect((await jsonOf<Reply>(saved)).notice?.key).toBe("measurement.page.thanks");
    const response = db.select().from(measurementResponses).get()!;
    expect(response).toMatchObject({
      moment: "baseline",
      organisationId: 1,
      pseudonym: measurementPseudonym(measurement.id, userIdByEmail(SOFIE)),
    });
    const values = Object.fromEntries(
      db
        .select()
        .from(measurementAnswers)
        .where(eq(measurementAnswers.responseId, response.id))
        .all()
        .map((answer) => [answer.itemId, answer.value]),
    );
    expect(values).toEqual({ [measurement.staff[0]!.id]: 4, [measurement.staff[1]!.id]: 4, [knowledge!.id]: 0 });

    // Answered at completion with the right option, the same item counts 1.
    completeWithCertificate(SOFIE, new Date());
    expect((await postAnswers(SOFIE, "completion", answerFields(measurement.staff))).status).toBe(200);
    const completion = db
      .select({ value: measurementAnswers.value })
      .from(measurementAnswers)
      .innerJoin(measurementResponses, eq(measurementResponses.id, measurementAnswers.responseId))
      .where(and(eq(measurementResponses.moment, "completion"), eq(measurementAnswers.itemId, knowledge!.id)))
      .get();
    expect(completion).toEqual({ value: 1 });
  });
});

describe("the end and the follow-up", () => {
  it("opens the end once the course is complete and the follow-up N weeks after the day of completion", async () => {
    const measurement = givenMeasurement(COURSE, 10);
    const user = { id: userIdByEmail(SOFIE) };
    expect((await jsonOf<Page>(await openPage(SOFIE, "completion"))).page).toMatchObject({ state: "notDue" });
    const early = await postAnswers(SOFIE, "completion", answerFields(measurement.staff));
    expect((await jsonOf<Reply>(early, 409)).result.error?.[""]).toEqual(["measurement.refused.notDue"]);

    const completedAt = new Date("2026-12-07T09:00:00Z");
    completeWithCertificate(SOFIE, completedAt);
    expect(measurementPageFor(user, courseId(), "completion", completedAt).state).toBe("open");
    const dueOn = shiftDays(danishDate(completedAt), 70);
    const dayBefore = new Date(`${shiftDays(dueOn, -1)}T10:00:00Z`);
    expect(measurementPageFor(user, courseId(), "followUp", dayBefore)).toMatchObject({ state: "notDue", dueOn });
    expect(measurementPageFor(user, courseId(), "followUp", new Date(`${dueOn}T10:00:00Z`)).state).toBe("open");
    // Sofie is no leader.
    expect(measurementPageFor(user, courseId(), "leaderFollowUp", new Date(`${dueOn}T10:00:00Z`)).state).toBe(
      "notLeader",
    );
  });

  it("invites on the due day, reminds once a week later, and never again", async () => {
    givenMeasurement(COURSE, 12);
    const completedAt = new Date("2026-12-07T09:00:00Z");
    completeWithCertificate(SOFIE, completedAt);
    const dueOn = shiftDays(danishDate(completedAt), 84);
    const at = (day: string, hour = 6) => new Date(`${day}T0${hour}:00:00Z`);
    const mailsTo = (to: string) => db.select().from(outboxEmails).where(eq(outboxEmails.to, to)).all();

    expect((await sendMeasurementFollowUps(at(shiftDays(dueOn, -1)))).sent).toEqual([]);
    const invited = await sendMeasurementFollowUps(at(dueOn));
    // Lars, the leader of Sofie's unit, is invited to the leaders' follow-up the same day.
    expect(invited.sent.filter((mail) => mail.to === SOFIE)).toEqual([
      expect.objectContaining({ to: SOFIE, moment: "followUp", step: "invite" }),
    ]);
    const [mail] = mailsTo(SOFIE);
    expect(mail?.subject).toBe("Hvordan går det efter Unges egne fortællinger?");
    expect(mail?.text).toContain(`/kurser/${COURSE}/maaling?tidspunkt=opfoelgning`);
    expect((await sendMeasurementFollowUps(at(dueOn, 9))).sent).toEqual([]);
    expect(invited.sent.map((sent) => `${sent.to}:${sent.moment}`).sort()).toEqual([
      `${LARS}:leaderFollowUp`,
      `${SOFIE}:followUp`,
    ]);
    expect((await sendMeasurementFollowUps(at(shiftDays(dueOn, 6)))).sent).toEqual([]);
    const reminded = await sendMeasurementFollowUps(at(shiftDays(dueOn, 7)));
    expect(reminded.sent.map((sent) => `${sent.to}:${sent.moment}:${sent.step}`).sort()).toEqual([
      `${LARS}:leaderFollowUp:remind`,
      `${SOFIE}:followUp:remind`,
    ]);
    expect((await sendMeasurementFollowUps(at(shiftDays(dueOn, 30)))).sent).toEqual([]);
    expect(mailsTo(SOFIE)).toHaveLength(2);
  });

  it("sends no reminder to someone who has answered or skipped, nor anything while the measurement is off", async () => {
    const measurement = givenMeasurement(COURSE, 1);
    const completedAt = new Date("2026-12-07T09:00:00Z");
    completeWithCertificate(SOFIE, completedAt);
    completeWithCertificate(demoEmails.healthVisitor, completedAt);
    const dueOn = shiftDays(danishDate(completedAt), 7);
    const invited = await sendMeasurementFollowUps(new Date(`${dueOn}T06:00:00Z`));
    expect(
      invited.sent
        .filter((mail) => mail.moment === "followUp")
        .map((mail) => mail.to)
        .sort(),
    ).toEqual([SOFIE, demoEmails.healthVisitor].sort());
    db.insert(measurementSubmissions)
      .values({ measurementId: measurement.id, userId: userIdByEmail(SOFIE), moment: "followUp" })
      .run();
    db.update(measurements).set({ active: false }).where(eq(measurements.id, measurement.id)).run();
    const reminderDay = new Date(`${shiftDays(dueOn, 7)}T06:00:00Z`);
    expect((await sendMeasurementFollowUps(reminderDay)).sent).toEqual([]);
    db.update(measurements).set({ active: true }).where(eq(measurements.id, measurement.id)).run();
    expect((await sendMeasurementFollowUps(reminderDay)).sent.filter((mail) => mail.moment === "followUp")).toEqual([
      expect.objectContaining({ to: demoEmails.healthVisitor, step: "remind" }),
    ]);
  });

  it("asks a leader N weeks after the first completion by someone in the leader's unit", async () => {
    const measurement = givenMeasurement(COURSE, 2);
    const lars = { id: userIdByEmail(LARS) };
    // Mette is in another unit: her completion is not the first in Lars's.
    completeWithCertificate(demoEmails.healthVisitor, new Date("2026-12-01T09:00:00Z"));
    const sofieDone = new Date("2026-12-08T09:00:00Z");
    completeWithCertificate(SOFIE, sofieDone);
    const dueOn = shiftDays(danishDate(sofieDone), 14);
    const dayBefore = new Date(`${shiftDays(dueOn, -1)}T06:00:00Z`);
    expect(measurementPageFor(lars, courseId(), "leaderFollowUp", dayBefore)).toMatchObject({ state: "notDue", dueOn });
    expect((await sendMeasurementFollowUps(dayBefore)).sent.filter((mail) => mail.to === LARS)).toEqual([]);

    const dueDay = new Date(`${dueOn}T06:00:00Z`);
    const sent = await sendMeasurementFollowUps(dueDay);
    expect(sent.sent.filter((mail) => mail.to === LARS)).toEqual([
      expect.objectContaining({ moment: "leaderFollowUp", step: "invite" }),
    ]);
    const mail = db.select().from(outboxEmails).where(eq(outboxEmails.to, LARS)).get()!;
    expect(mail.text).toContain(`/kurser/${COURSE}/maaling?tidspunkt=leder`);
    const page = measurementPageFor(lars, courseId(), "leaderFollowUp", dueDay);
    expect(page.state).toBe("open");
    expect(page.items.map((item) => item.id)).toEqual(measurement.leader.map((item) => item.id));
  });
});

describe("what the course page offers, and a question with several right options", () => {
  it("invites to the end once the course is complete, and to nothing once it is answered", async () => {
    givenMeasurement();
    const sofie = { id: userIdByEmail(SOFIE) };
    expect(measurementOfferFor(sofie, courseId())).toBeNull();
    completeWithCertificate(SOFIE, new Date());
    expect(measurementOfferFor(sofie, courseId())).toEqual({
      moment: "completion",
      href: `/kurser/${COURSE}/maaling?tidspunkt=slut`,
    });
    expect((await postAnswers(SOFIE, "completion", { intent: "skip" })).status).toBe(200);
    expect(measurementOfferFor(sofie, courseId())).toBeNull();
  });

  it("counts a knowledge answer right only when exactly the right options are chosen", () => {
    const measurement = givenMeasurement();
    const question = db
      .select({ id: quizQuestions.id })
      .from(quizQuestions)
      .innerJoin(quizzes, eq(quizzes.id, quizQuestions.quizId))
      .innerJoin(modules, eq(modules.id, quizzes.moduleId))
      .where(and(eq(modules.courseId, courseId()), eq(quizQuestions.kind, "multiple")))
      .get()!;
    const options = db.select().from(quizOptions).where(eq(quizOptions.questionId, question.id)).all();
    const right = options.filter((option) => option.correct).map((option) => option.id);
    expect(right.length).toBeGreaterThan(1);
    expect(
      saveMeasurementItem(courseId(), {
        intent: "saveItem",
        itemId: null,
        audience: "staff",
        kind: "knowledge",
        text: "",
        lowLabel: null,
        highLabel: null,
        quizQuestionId: question.id,
      }),
    ).toBe("saved");
    const items = itemsOf(measurement.id).filter((item) => item.audience === "staff");
    const multiple = items.find((item) => item.quizQuestionId === question.id)!;
    const valueFor = (email: string, chosen: number[]) => {
      const answers = new Map<number, number | number[]>(
        items.map((item) => [item.id, item.kind === "statement" ? 3 : [firstQuizQuestion().right]]),
      );
      answers.set(multiple.id, chosen);
      expect(submitMeasurement({ id: userIdByEmail(email) }, courseId(), "baseline", answers)).toBe("saved");
      return db
        .select({ value: measurementAnswers.value })
        .from(measurementAnswers)
        .innerJoin(measurementResponses, eq(measurementResponses.id, measurementAnswers.responseId))
        .where(
          and(
            eq(measurementAnswers.itemId, multiple.id),
            eq(measurementResponses.pseudonym, measurementPseudonym(measurement.id, userIdByEmail(email))),
          ),
        )
        .get()!.value;
    };
    expect(valueFor(SOFIE, right)).toBe(1);
    expect(valueFor(demoEmails.healthVisitor, right.slice(1))).toBe(0);
    // A statement off the scale is refused by the domain too, whoever calls it.
    const offScale = new Map<number, number | number[]>(
      items.map((item) => [item.id, item.kind === "statement" ? 9 : [1]]),
    );
    expect(submitMeasurement({ id: userIdByEmail(LARS) }, courseId(), "baseline", offScale)).toBe("outOfRange");
  });
});
