import { eq } from "drizzle-orm";
import { accessLog, certificates, feedbackForms, feedbackResponses } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db, sqlite } from "~/db.server";
import { personReferences, type PersonalData } from "~/privacy/personal-data.server";
import * as personJson from "~/routes/administration.personer.$userId.data[.]json";
import * as personPdf from "~/routes/administration.personer.$userId.data[.]pdf";
import * as personPage from "~/routes/administration.personer.$userId._index";
import * as myData from "~/routes/mine-data";
import * as myJson from "~/routes/mine-data[.]json";
import * as myPdf from "~/routes/mine-data[.]pdf";
import { answerFields, COURSES, courseIdOf, respond, seededForm } from "../utils/feedback";
import { answerBody, answers, markWatched, storedQuestions } from "../utils/quizzes";
import { jsonOf, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import * as quizPage from "~/routes/kurser.$courseSlug.$moduleSlug.quiz";

const LEARNER = demoEmails.learner;
const COURSE = "unges-egne-fortaellinger";
const FILM = "sofie-ingen-spurgte-til-mig";
const NAMED_ANSWER = "Filmen om Sofie fik mig til at spørge mere";
const ANONYMOUS_ANSWER = "Et svar ingen kan føre tilbage til mig";

type Export = PersonalData & { exportedAt: string };

async function get(path: string, as: string, params: Record<string, string> = {}) {
  const cookie = await sessionCookieFor(as);
  return { args: routeArgs(request(path, { cookie }), params) };
}

/**
 * The learner watched a film, took its quiz, answered one named and one anonymous questionnaire
 * and holds a certificate: everything "Mine data" must show, and one thing it must not.
 */
async function givenActiveLearner() {
  markWatched(LEARNER, FILM);
  const cookie = await sessionCookieFor(LEARNER);
  const attempt = await settle(() =>
    quizPage.action(
      routeArgs(
        request(`/kurser/${COURSE}/${FILM}/quiz`, {
          method: "POST",
          body: answerBody(answers(storedQuestions(FILM))),
          cookie,
        }),
        { courseSlug: COURSE, moduleSlug: FILM },
      ),
    ),
  );
  expect(attempt.status).toBe(200);

  const named = seededForm(COURSES[0], "staff");
  db.update(feedbackForms).set({ anonymous: false }).where(eq(feedbackForms.id, named.id)).run();
  const namedText = named.questions.find((question) => question.kind === "text")!;
  const namedReply = await respond(
    LEARNER,
    COURSES[0],
    answerFields({ ...named, anonymous: false }, { [`q${namedText.id}`]: NAMED_ANSWER, profession: "pedagogue" }),
  );
  expect(namedReply.status).toBe(200);

  const anonymous = seededForm(COURSES[1], "staff");
  const anonymousText = anonymous.questions.find((question) => question.kind === "text")!;
  const anonymousReply = await respond(
    LEARNER,
    COURSES[1],
    answerFields(anonymous, { [`q${anonymousText.id}`]: ANONYMOUS_ANSWER, profession: "pedagogue" }),
  );
  expect(anonymousReply.status).toBe(200);

  db.insert(certificates)
    .values({
      code: "DATA2345MINE",
      userId: userIdByEmail(LEARNER),
      courseId: courseIdOf(COURSE),
      recipientName: "Sofie",
      courseTitle: "Unges egne fortællinger",
      organisationName: "Demo Kommune",
      minutes: 60,
      completedOn: "2026-12-01",
      issuedAt: new Date("2026-12-01T10:00:00Z"),
    })
    .run();
}

describe("a person's data", () => {
  it("holds progress with played ranges, quiz attempts with answers, certificates and named feedback, not anonymous answers", async () => {
    await givenActiveLearner();
    const { args } = await get("/mine-data.json", LEARNER);
    const response = await settle(() => myJson.loader(args));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="mine-data.json"');
    expect(response.headers.get("Cache-Control")).toContain("no-store");
    const text = await response.text();
    const data = JSON.parse(text) as Export;

    expect(data.account).toMatchObject({ email: LEARNER, passwordSet: true });
    expect(text).not.toContain("password_hash");
    expect(text).not.toMatch(/\$argon2/);
    expect(data.progress.films).toContainEqual(expect.objectContaining({ film: expect.any(String), playedMs: 40_000 }));
    expect(data.progress.films[0]!.playedRanges).toEqual([[0, 40]]);
    expect(data.quizAttempts).toHaveLength(1);
    expect(data.quizAttempts[0]!.passed).toBe(true);
    expect(data.quizAttempts[0]!.answers.length).toBeGreaterThan(0);
    expect(data.quizAttempts[0]!.answers.every((answer) => answer.correct && answer.chosen.length > 0)).toBe(true);
    expect(data.certificates.map((c) => c.code)).toEqual(["DATA2345MINE"]);
    const namedAnswers = data.feedback.namedResponses.flatMap((r) => r.answers.map((a) => a.text));
    expect(namedAnswers).toContain(NAMED_ANSWER);
    // The anonymous response exists, but nothing ties it to the learner, so it is not theirs to download.
    const anonymousRows = db
      .select()
      .from(feedbackResponses)
      .where(eq(feedbackResponses.formId, seededForm(COURSES[1], "staff").id))
      .all();
    expect(anonymousRows).toHaveLength(1);
    expect(text).not.toContain(ANONYMOUS_ANSWER);
    // Both questionnaires count as answered, which says nothing about what was answered.
    expect(data.feedback.questionnairesAnswered).toHaveLength(2);
    expect(new Date(data.exportedAt).toISOString()).toBe(data.exportedAt);
    expect(data.account.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("gives the person their data as a page and a PDF, and logs each request under their municipality", async () => {
    await givenActiveLearner();
    const page = await settle(async () => myData.loader((await get("/mine-data", LEARNER)).args));
    expect(page.status).toBe(200);
    const { sections } = (await page.json()) as { sections: { id: string; tables: { rows: string[][] }[] }[] };
    expect(sections.find((s) => s.id === "quizzes")!.tables[0]!.rows).toHaveLength(1);
    const pdf = await settle(async () => myPdf.loader((await get("/mine-data.pdf", LEARNER)).args));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    const logged = db
      .select({ action: accessLog.action, format: accessLog.format, organisationId: accessLog.organisationId })
      .from(accessLog)
      .where(eq(accessLog.viewerId, userIdByEmail(LEARNER)))
      .all();
    expect(logged).toEqual([
      { action: "viewOwnData", format: null, organisationId: 1 },
      { action: "exportOwnData", format: "pdf", organisationId: 1 },
    ]);
  });

  it("shows one of the admin's own people to the admin, and no one else's: 404 for another municipality's", async () => {
    await givenActiveLearner();
    const learnerId = String(userIdByEmail(LEARNER));
    const params = { userId: learnerId };
    const own = await settle(async () =>
      personPage.loader((await get(`/administration/personer/${learnerId}`, demoEmails.admin, params)).args),
    );
    const body = await jsonOf<{ person: { name: string } }>(own);
    expect(body.person.name).toBeTruthy();
    const json = await settle(async () =>
      personJson.loader((await get(`/administration/personer/${learnerId}/data.json`, demoEmails.admin, params)).args),
    );
    expect(json.status).toBe(200);
    expect(((await json.json()) as Export).quizAttempts).toHaveLength(1);

    for (const route of [personPage, personJson, personPdf]) {
      const refused = await settle(async () =>
        route.loader((await get(`/administration/personer/${learnerId}`, demoEmails.neighbourAdmin, params)).args),
      );
      expect(refused.status).toBe(404);
    }
    // A learner is no admin at all, and cannot reach another person's data by guessing ids.
    const asLearner = await settle(async () =>
      personJson.loader(
        (
          await get(`/administration/personer/${userIdByEmail(demoEmails.leader)}/data.json`, LEARNER, {
            userId: String(userIdByEmail(demoEmails.leader)),
          })
        ).args,
      ),
    );
    expect(asLearner.status).toBe(403);
    const notAnId = await settle(async () =>
      personPage.loader((await get("/administration/personer/abc", demoEmails.admin, { userId: "abc" })).args),
    );
    expect(notAnId.status).toBe(404);
    // Only the admin's own views were logged, under the learner's municipality.
    const logged = db.select({ action: accessLog.action }).from(accessLog).where(eq(accessLog.organisationId, 1)).all();
    expect(logged.map((row) => row.action)).toEqual(["viewPerson", "exportPersonData"]);
  });
});

describe("the schema walk", () => {
  it("finds every column that points at a person either in the export or left out with a reason", () => {
    const tables = sqlite()
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'",
      )
      .all() as { name: string }[];
    const referencing = tables.flatMap(({ name }) =>
      (sqlite().prepare(`pragma foreign_key_list("${name}")`).all() as { table: string; from: string }[])
        .filter((key) => key.table === "users")
        .map((key) => `${name}.${key.from}`),
    );
    const decided = [...personReferences.exported, ...Object.keys(personReferences.leftOut)];
    expect(referencing.filter((column) => !decided.includes(column)).sort()).toEqual([]);
    // A column that no longer exists would make the lists look more complete than they are.
    expect(decided.filter((column) => !referencing.includes(column)).sort()).toEqual([]);
    expect(Object.values(personReferences.leftOut).every((reason) => reason.length > 20)).toBe(true);
  });
});
