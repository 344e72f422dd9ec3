import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { feedbackAnswers, feedbackResponses, feedbackSubmissions, users, type Profession } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db, sqlite } from "~/db.server";
import { parseChoices } from "~/feedback/forms";
import type { FormReport } from "~/feedback/reports.server";
import { submitFeedback, weekOf } from "~/feedback/responses.server";
import { danishDate } from "~/i18n/dates";
import * as adminRoute from "~/routes/administration.feedback";
import * as builderRoute from "~/routes/ejer.studie.kurser.$courseId.feedback.$audience/route";
import * as dashboardRoute from "~/routes/ejer.feedback._index";
import * as csvRoute from "~/routes/ejer.feedback.svar[.]csv";
import * as pageRoute from "~/routes/kurser.$courseSlug.feedback/route";
import { addDemoPeople, answerFields, COURSES, courseIdOf, csvRows, respond, seededForm } from "../utils/feedback";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

type Row = Record<string, unknown>;

function everyRow(): { table: string; row: Row }[] {
  const tables = sqlite().prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
  return tables.flatMap(({ name }) =>
    (sqlite().prepare(`select * from "${name}"`).all() as Row[]).map((row) => ({ table: name, row })),
  );
}

/** A column that refers to a person: users.id itself, or any …user_id, invited_by, created_by, requested_by. */
const personColumns = (table: string, row: Row) =>
  Object.keys(row).filter((column) => (table === "users" && column === "id") || /user_id$|_by$/.test(column));

async function loaderText(run: () => unknown) {
  const response = await settle(run);
  expect(response.status).toBe(200);
  return response.text();
}

/** Others answer the same form through the domain, so every group the person is in is large enough to be shown. */
function othersAnswer(slug: string, count: number, profession: "teacher" | "pedagogue") {
  const form = seededForm(slug, "staff");
  for (const id of addDemoPeople(count)) {
    const answers = form.questions.map((question) => ({
      questionId: question.id,
      score: question.kind === "scale" ? 3 : question.kind === "recommend" ? 7 : null,
      text:
        question.kind === "choice"
          ? parseChoices(question.choices)![1]!
          : question.kind === "text"
            ? `Svar fra en kollega ${randomUUID()}`
            : null,
    }));
    expect(submitFeedback({ id }, form.courseId, answers, profession, form.anonymous)).toBe("saved");
  }
  return form;
}

describe("anonymity", () => {
  it("an anonymous response cannot be tied back to its person", async () => {
    const email = demoEmails.learner;
    const person = db.select().from(users).where(eq(users.email, email)).get()!;
    const cookie = await sessionCookieFor(email);
    const form = othersAnswer(COURSES[1], 5, "teacher");
    expect(form.anonymous).toBe(true);
    const text = form.questions.find((q) => q.kind === "text")!;
    const secret = `Min egen hemmelighed ${randomUUID()}`;

    const before = Date.now();
    const response = await respond(
      email,
      COURSES[1],
      answerFields(form, { profession: "teacher", [`q${text.id}`]: secret }),
      cookie,
    );
    const after = Date.now();
    expect(response.status).toBe(200);

    const mine = db.select().from(feedbackAnswers).where(eq(feedbackAnswers.text, secret)).get()!;
    const saved = db.select().from(feedbackResponses).where(eq(feedbackResponses.id, mine.responseId)).get()!;
    expect(saved).toMatchObject({ userId: null, organisationId: 1, audience: "staff", profession: "teacher" });
    const myAnswers = db.select().from(feedbackAnswers).where(eq(feedbackAnswers.responseId, saved.id)).all();
    expect(myAnswers).toHaveLength(form.questions.length);

    const rows = everyRow();
    // Whatever holds the response or its answers says nothing about who gave it.
    const responseRows = rows.filter(({ row }) => Object.values(row).some((value) => value === saved.id));
    expect(responseRows.map((r) => r.table).sort()).toEqual([
      ...Array(myAnswers.length).fill("feedback_answers"),
      "feedback_responses",
    ]);
    for (const { table, row } of responseRows) {
      for (const column of personColumns(table, row)) expect(row[column], `${table}.${column}`).not.toBe(person.id);
      for (const value of Object.values(row)) {
        if (typeof value !== "string") continue;
        expect(value).not.toContain(person.email);
        expect(value).not.toContain(person.name);
      }
    }
    // And whatever names the person holds nothing that leads to the response: not its id, not its
    // answers, not the moment it was given.
    const personRows = rows.filter(({ table, row }) =>
      personColumns(table, row).some((column) => row[column] === person.id),
    );
    expect(new Set(personRows.map((r) => r.table))).toContain("feedback_submissions");
    for (const { table, row } of personRows) {
      for (const value of Object.values(row)) {
        if (typeof value === "string") {
          expect(value, table).not.toContain(saved.id);
          expect(value, table).not.toContain(secret);
        }
        if (typeof value === "number") {
          const inWindow =
            (value >= before && value <= after) ||
            (value >= Math.floor(before / 1000) && value <= Math.ceil(after / 1000));
          expect(inWindow, `${table} holds a time from the moment of answering`).toBe(false);
        }
      }
    }
    const submission = personRows.find((r) => r.table === "feedback_submissions")!.row;
    expect(Object.keys(submission).sort()).toEqual(["form_id", "user_id"]);
    // Not even the order rows were written in: these tables have no rowid to sort by.
    for (const table of ["feedback_responses", "feedback_answers", "feedback_submissions"]) {
      expect(() => sqlite().prepare(`select rowid from ${table}`).all(), table).toThrow();
    }

    // The reports and the export show the answer, and nothing that names its author.
    const query = `?kursus=${courseIdOf(COURSES[1])}&rolle=medarbejdere`;
    const owner = await sessionCookieFor(demoEmails.owner);
    const admin = await sessionCookieFor(demoEmails.admin);
    const dashboard = await loaderText(() =>
      dashboardRoute.loader(routeArgs(request(`/ejer/feedback${query}`, { cookie: owner }))),
    );
    const adminView = await loaderText(() =>
      adminRoute.loader(routeArgs(request(`/administration/feedback${query}`, { cookie: admin }))),
    );
    const csv = await loaderText(() =>
      csvRoute.loader(routeArgs(request(`/ejer/feedback/svar.csv${query}`, { cookie: owner }))),
    );
    for (const [name, text] of [
      ["dashboard", dashboard],
      ["admin", adminView],
      ["csv", csv],
    ] as const) {
      expect(text, name).toContain(secret);
      expect(text, name).not.toContain(person.email);
      expect(text, name).not.toContain(person.name);
      expect(text, name).not.toMatch(/user_?id/i);
    }
    // Name and e-mail are empty, and no column holds an id of the person.
    const [header, ...csvLines] = csvRows(csv);
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
    expect(csvLines.find((row) => row[9] === secret)!.slice(5, 7)).toEqual(["", ""]);
    const report = (JSON.parse(dashboard) as { reports: FormReport[] }).reports[0]!;
    expect(report.questions.find((q) => q.id === text.id)!.texts).toContainEqual({ text: secret, name: null });
  });

  it("a group of 4 responses is not shown", async () => {
    const slug = COURSES[2];
    const query = `?kursus=${courseIdOf(slug)}&rolle=medarbejdere`;
    const owner = await sessionCookieFor(demoEmails.owner);
    const admin = await sessionCookieFor(demoEmails.admin);
    const reports = async () => {
      const dashboard = JSON.parse(
        await loaderText(() => dashboardRoute.loader(routeArgs(request(`/ejer/feedback${query}`, { cookie: owner })))),
      ) as { reports: FormReport[] };
      const adminView = JSON.parse(
        await loaderText(() =>
          adminRoute.loader(routeArgs(request(`/administration/feedback${query}`, { cookie: admin }))),
        ),
      ) as { reports: FormReport[] };
      return [dashboard.reports[0]!, adminView.reports[0]!];
    };

    const form = othersAnswer(slug, 4, "pedagogue");
    const texts = db
      .select({ text: feedbackAnswers.text })
      .from(feedbackAnswers)
      .innerJoin(feedbackResponses, eq(feedbackResponses.id, feedbackAnswers.responseId))
      .where(eq(feedbackResponses.formId, form.id))
      .all();
    // Without free text to look for, "not shown" below would hold whatever the reports said.
    expect(texts.filter(({ text }) => text).length).toBeGreaterThanOrEqual(4);
    for (const report of await reports()) {
      expect(report).toMatchObject({ status: "tooFew", responseCount: null, questions: [] });
      const json = JSON.stringify(report);
      for (const { text } of texts) if (text) expect(json).not.toContain(text);
    }
    const csv = await loaderText(() =>
      csvRoute.loader(routeArgs(request(`/ejer/feedback/svar.csv${query}`, { cookie: owner }))),
    );
    expect(csvRows(csv)).toHaveLength(1);

    othersAnswer(slug, 1, "pedagogue");
    for (const report of await reports()) {
      expect(report).toMatchObject({ status: "shown", responseCount: 5 });
      const scale = report.questions.find((q) => q.kind === "scale")!;
      expect(scale.bars?.find((bar) => bar.value === "3")?.count).toBe(5);
      expect(scale.mean).toBe(3);
      expect(scale.trend).toEqual([expect.objectContaining({ count: 5, mean: 3 })]);
      expect(scale.breakdown).toEqual([{ profession: "pedagogue", count: 5, mean: 3 }]);
      expect(report.questions.find((q) => q.kind === "text")!.texts).toHaveLength(5);
    }
    expect(
      csvRows(
        await loaderText(() =>
          csvRoute.loader(routeArgs(request(`/ejer/feedback/svar.csv${query}`, { cookie: owner }))),
        ),
      ),
    ).toHaveLength(1 + 5 * form.questions.length);
  });
});

type Form = ReturnType<typeof seededForm>;

/**
 * A response written straight to the database, as if given: Nabo Kommune has no licence to answer
 * through. The recommend score is twice the scale score; `choice` picks one of the form's options.
 */
function given(
  form: Form,
  organisationId: number,
  profession: Profession,
  answer: { score: number; choice: number; text: string },
  userId: number | null = null,
) {
  const id = randomUUID();
  db.insert(feedbackResponses)
    .values({
      id,
      formId: form.id,
      organisationId,
      audience: form.audience,
      profession,
      userId,
      submittedWeek: weekOf(danishDate()),
    })
    .run();
  db.insert(feedbackAnswers)
    .values(
      form.questions.map((question) => ({
        responseId: id,
        questionId: question.id,
        score: question.kind === "scale" ? answer.score : question.kind === "recommend" ? answer.score * 2 : null,
        text:
          question.kind === "choice"
            ? parseChoices(question.choices)![answer.choice]!
            : question.kind === "text"
              ? answer.text
              : null,
      })),
    )
    .run();
}

async function reportOf(route: "owner" | "admin", query: string): Promise<FormReport> {
  const response =
    route === "owner"
      ? await settle(async () =>
          dashboardRoute.loader(
            routeArgs(request(`/ejer/feedback${query}`, { cookie: await sessionCookieFor(demoEmails.owner) })),
          ),
        )
      : await settle(async () =>
          adminRoute.loader(
            routeArgs(
              request(`/administration/feedback${query}`, { cookie: await sessionCookieFor(demoEmails.admin) }),
            ),
          ),
        );
  expect(response.status, query).toBe(200);
  const { reports } = (await response.json()) as { reports: FormReport[] };
  expect(reports, query).toHaveLength(1);
  return reports[0]!;
}

const scaleOf = (report: FormReport) => report.questions.find((question) => question.kind === "scale")!;
const textsOf = (report: FormReport) =>
  report.questions
    .find((question) => question.kind === "text")!
    .texts.map((text) => text.text)
    .sort();
const barCounts = (report: FormReport) =>
  Object.fromEntries(scaleOf(report).bars!.map((bar) => [bar.value, bar.count]));

/** What the owner's builder posts for a form as it is saved; overrides replace single fields. */
function saveBuilder(form: Form, overrides: Record<string, string>) {
  const fields: Record<string, string> = {
    title: form.title,
    intro: form.intro,
    anonymous: form.anonymous ? "yes" : "no",
    opensOn: form.opensOn,
  };
  form.questions.forEach((question, index) => {
    const name = (field: string) => `questions[${index}].${field}`;
    fields[name("id")] = String(question.id);
    fields[name("kind")] = question.kind;
    fields[name("text")] = question.text;
    if (question.required) fields[name("required")] = "on";
    if (question.lowLabel) fields[name("lowLabel")] = question.lowLabel;
    if (question.highLabel) fields[name("highLabel")] = question.highLabel;
    if (question.choices) fields[name("choices")] = parseChoices(question.choices)!.join("\n");
  });
  const audience = form.audience === "staff" ? "medarbejdere" : "ledere";
  return settle(async () =>
    builderRoute.action(
      routeArgs(
        formRequest(
          `/ejer/studie/kurser/${form.courseId}/feedback/${audience}`,
          { ...fields, ...overrides },
          await sessionCookieFor(demoEmails.owner),
        ),
        {
          courseId: String(form.courseId),
          audience,
        },
      ),
    ),
  );
}

describe("groups under five", () => {
  it("leave an anonymous form's figures, free text and filters before anything is counted, so no two views give a person away", async () => {
    const form = seededForm(COURSES[3], "leader");
    expect(form.anonymous).toBe(true);
    const psychologist = `Psykologens eget svar ${randomUUID()}`;
    const lonePedagogue = `Den eneste pædagog i Nabo Kommune ${randomUUID()}`;
    for (let i = 1; i <= 5; i += 1) given(form, 1, "pedagogue", { score: 3, choice: 0, text: `Pædagog i Demo ${i}` });
    given(form, 1, "psychologist", { score: 5, choice: 1, text: psychologist });
    for (let i = 1; i <= 5; i += 1) given(form, 2, "teacher", { score: 4, choice: 0, text: `Lærer i Nabo ${i}` });
    given(form, 2, "pedagogue", { score: 1, choice: 2, text: lonePedagogue });

    const base = `?kursus=${form.courseId}&rolle=ledere`;
    const all = await reportOf("owner", base);
    expect(all).toMatchObject({ status: "shown", responseCount: 10 });
    expect(barCounts(all)).toEqual({ "5": 0, "4": 5, "3": 5, "2": 0, "1": 0 });
    expect(scaleOf(all).mean).toBe(3.5);
    expect(scaleOf(all).trend).toEqual([expect.objectContaining({ count: 10, mean: 3.5 })]);
    // No row for the psychologist, not even one saying "too few".
    expect(scaleOf(all).breakdown.sort((a, b) => a.profession!.localeCompare(b.profession!))).toEqual([
      { profession: "pedagogue", count: 5, mean: 3 },
      { profession: "teacher", count: 5, mean: 4 },
    ]);
    expect(all.questions.find((q) => q.kind === "choice")!.bars!.map((bar) => bar.count)).toEqual([10, 0, 0, 0]);
    expect(textsOf(all)).toHaveLength(10);

    // The pedagogues' filter holds exactly the Demo Kommune pedagogues' texts, so "all" minus it is the teachers, no one else.
    const pedagogues = await reportOf("owner", `${base}&faggruppe=pedagogue`);
    expect(textsOf(pedagogues)).toEqual([1, 2, 3, 4, 5].map((i) => `Pædagog i Demo ${i}`));
    const teachers = await reportOf("owner", `${base}&faggruppe=teacher`);
    expect(await reportOf("owner", `${base}&faggruppe=psychologist`)).toMatchObject({
      status: "tooFew",
      responseCount: null,
      questions: [],
    });
    // Each municipality is whole groups too: all minus one municipality is the other, with no one left over.
    const demo = await reportOf("owner", `${base}&kommune=1`);
    const nabo = await reportOf("owner", `${base}&kommune=2`);
    for (const [one, other] of [
      [demo, nabo],
      [pedagogues, teachers],
    ] as const) {
      expect(one.responseCount! + other.responseCount!).toBe(all.responseCount);
      for (const value of ["1", "2", "3", "4", "5"])
        expect(barCounts(one)[value]! + barCounts(other)[value]!, value).toBe(barCounts(all)[value]);
      expect([...textsOf(one), ...textsOf(other)].sort()).toEqual(textsOf(all));
    }
    expect(barCounts(nabo)).toEqual({ "5": 0, "4": 5, "3": 0, "2": 0, "1": 0 });

    const admin = await reportOf("admin", base);
    expect(admin).toMatchObject({ status: "shown", responseCount: 5 });
    expect(barCounts(admin)).toEqual({ "5": 0, "4": 0, "3": 5, "2": 0, "1": 0 });
    expect(scaleOf(admin).breakdown).toEqual([{ profession: "pedagogue", count: 5, mean: 3 }]);

    const csv = await settle(async () =>
      csvRoute.loader(
        routeArgs(request(`/ejer/feedback/svar.csv${base}`, { cookie: await sessionCookieFor(demoEmails.owner) })),
      ),
    );
    // A refused export would contain nothing, and so pass the checks below without showing anything.
    expect(csv.status).toBe(200);
    const everything =
      [all, pedagogues, teachers, demo, nabo, admin].map((report) => JSON.stringify(report)).join("") +
      (await csv.text());
    expect(everything).not.toContain(psychologist);
    expect(everything).not.toContain(lonePedagogue);
  });

  it("leave a named form's figures for an admin, while the owner sees every response with its name", async () => {
    const form = seededForm(COURSES[2], "leader");
    // Switched before anyone answered, as the builder allows.
    expect((await saveBuilder(form, { anonymous: "no" })).status).toBe(200);
    const [psychologistId, ...pedagogueIds] = addDemoPeople(6, "leader");
    const psychologist = `Psykologens navngivne svar ${randomUUID()}`;
    for (const id of pedagogueIds) given(form, 1, "pedagogue", { score: 3, choice: 0, text: "Pædagogens svar" }, id);
    given(form, 1, "psychologist", { score: 5, choice: 1, text: psychologist }, psychologistId);

    const base = `?kursus=${form.courseId}&rolle=ledere`;
    const owner = await reportOf("owner", base);
    expect(owner).toMatchObject({ anonymous: false, restricted: false, responseCount: 6 });
    const name = db.select({ name: users.name }).from(users).where(eq(users.id, psychologistId!)).get()!.name;
    expect(owner.questions.find((q) => q.kind === "text")!.texts).toContainEqual({ text: psychologist, name });

    const admin = await reportOf("admin", base);
    expect(admin).toMatchObject({ anonymous: false, restricted: true, status: "shown", responseCount: 5 });
    expect(barCounts(admin)).toEqual({ "5": 0, "4": 0, "3": 5, "2": 0, "1": 0 });
    expect(scaleOf(admin).breakdown).toEqual([{ profession: "pedagogue", count: 5, mean: 3 }]);
    expect(JSON.stringify(admin)).not.toContain(psychologist);
  });
});

describe("a form's anonymity", () => {
  it("cannot be changed once the form has responses: a 409 beside the field, and nothing saved", async () => {
    const form = seededForm(COURSES[0], "staff");
    expect(form.anonymous).toBe(true);
    const refused = await saveBuilder(form, { anonymous: "no", title: "Nyt navn" });
    expect(refused.status).toBe(409);
    expect(
      ((await refused.json()) as { result: { error?: Record<string, string[]> } }).result.error?.anonymous,
    ).toEqual(["feedback.builder.anonymityLocked"]);
    expect(seededForm(COURSES[0], "staff")).toEqual(form);
    // The rest of the form can still be changed.
    expect((await saveBuilder(form, { title: "Nyt navn" })).status).toBe(200);
    expect(seededForm(COURSES[0], "staff")).toMatchObject({ title: "Nyt navn", anonymous: true });
  });

  it("is kept as the person saw it: an answer given on a page that said anonymous is refused once the form is named", async () => {
    const slug = COURSES[3];
    const email = demoEmails.learner;
    const userId = userIdByEmail(email);
    const cookie = await sessionCookieFor(email);
    const page = await settle(() =>
      pageRoute.loader(routeArgs(request(`/kurser/${slug}/feedback`, { cookie }), { courseSlug: slug })),
    );
    expect(page.status).toBe(200);
    const opened = ((await page.json()) as { page: { form: { anonymous: boolean } } }).page.form;
    expect(opened.anonymous).toBe(true);
    const form = seededForm(slug, "staff");
    const profession = () =>
      db.select({ profession: users.profession }).from(users).where(eq(users.id, userId)).get()!.profession;
    const before = profession();
    const stored = () => ({
      responses: db.select({ n: count() }).from(feedbackResponses).where(eq(feedbackResponses.formId, form.id)).get()!
        .n,
      submissions: db
        .select({ n: count() })
        .from(feedbackSubmissions)
        .where(eq(feedbackSubmissions.formId, form.id))
        .get()!.n,
    });

    // No one has answered yet, so the owner may make the form named.
    expect((await saveBuilder(form, { anonymous: "no" })).status).toBe(200);
    const shownAnonymous = answerFields(
      { anonymous: opened.anonymous, questions: form.questions },
      { profession: "psychologist" },
    );
    const { anonymous: _, ...fromOldPage } = shownAnonymous;
    for (const fields of [shownAnonymous, fromOldPage]) {
      const refused = await respond(email, slug, fields, cookie);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { result: { error?: Record<string, string[]> } }).result.error?.[""]).toEqual([
        "feedback.refused.anonymityChanged",
      ]);
      expect(stored()).toEqual({ responses: 0, submissions: 0 });
      expect(profession()).toBe(before);
    }
    expect(submitFeedback({ id: userId }, form.courseId, [], null, true)).toBe("anonymityChanged");

    // After reloading, the page says the answers are named, and so they are saved.
    const reloaded = seededForm(slug, "staff");
    expect(reloaded.anonymous).toBe(false);
    expect((await respond(email, slug, answerFields(reloaded, { profession: "psychologist" }), cookie)).status).toBe(
      200,
    );
    expect(
      db
        .select({ userId: feedbackResponses.userId })
        .from(feedbackResponses)
        .where(eq(feedbackResponses.formId, form.id))
        .all(),
    ).toEqual([{ userId }]);
  });
});
