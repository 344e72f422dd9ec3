import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { feedbackAnswers, feedbackResponses, users } from "#db/schema";
import { db, sqlite } from "~/db.server";
import type { FormReport } from "~/feedback/reports.server";
import { submitFeedback } from "~/feedback/responses.server";
import * as adminRoute from "~/routes/administration.feedback";
import * as dashboardRoute from "~/routes/ejer.feedback._index";
import * as csvRoute from "~/routes/ejer.feedback.svar[.]csv";
import { addDemoPeople, answerFields, COURSES, courseIdOf, respond, seededForm } from "../utils/feedback";
import { request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

type Row = Record<string, unknown>;

function everyRow(): { table: string; row: Row }[] {
  const tables = sqlite()
    .prepare("select name from sqlite_master where type = 'table'")
    .all() as { name: string }[];
  return tables.flatMap(({ name }) => (sqlite().prepare(`select * from "${name}"`).all() as Row[]).map((row) => ({ table: name, row })));
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
      text: question.kind === "choice" ? (JSON.parse(question.choices!) as string[])[1]! : question.kind === "text" ? `Svar fra en kollega ${randomUUID()}` : null,
    }));
    expect(submitFeedback({ id }, form.courseId, answers, profession)).toBe("saved");
  }
  return form;
}

describe("anonymity", () => {
  it("an anonymous response cannot be tied back to its person", async () => {
    const email = "medarbejder@demo-kommune.dk";
    const person = db.select().from(users).where(eq(users.email, email)).get()!;
    const cookie = await sessionCookieFor(email);
    const form = othersAnswer(COURSES[1], 5, "teacher");
    expect(form.anonymous).toBe(true);
    const text = form.questions.find((q) => q.kind === "text")!;
    const secret = `Min egen hemmelighed ${randomUUID()}`;

    const before = Date.now();
    const response = await respond(email, COURSES[1], answerFields(form.questions, { profession: "teacher", [`q${text.id}`]: secret }), cookie);
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
    expect(responseRows.map((r) => r.table).sort()).toEqual([...Array(myAnswers.length).fill("feedback_answers"), "feedback_responses"]);
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
    const personRows = rows.filter(({ table, row }) => personColumns(table, row).some((column) => row[column] === person.id));
    expect(new Set(personRows.map((r) => r.table))).toContain("feedback_submissions");
    for (const { table, row } of personRows) {
      for (const value of Object.values(row)) {
        if (typeof value === "string") {
          expect(value, table).not.toContain(saved.id);
          expect(value, table).not.toContain(secret);
        }
        if (typeof value === "number") {
          const inWindow = (value >= before && value <= after) || (value >= Math.floor(before / 1000) && value <= Math.ceil(after / 1000));
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
    const owner = await sessionCookieFor("ejer@rettidig.dk");
    const admin = await sessionCookieFor("admin@demo-kommune.dk");
    const dashboard = await loaderText(() => dashboardRoute.loader(routeArgs(request(`/ejer/feedback${query}`, { cookie: owner }))));
    const adminView = await loaderText(() => adminRoute.loader(routeArgs(request(`/administration/feedback${query}`, { cookie: admin }))));
    const csv = await loaderText(() => csvRoute.loader(routeArgs(request(`/ejer/feedback/svar.csv${query}`, { cookie: owner }))));
    for (const [name, text] of [["dashboard", dashboard], ["admin", adminView], ["csv", csv]] as const) {
      expect(text, name).toContain(secret);
      expect(text, name).not.toContain(person.email);
      expect(text, name).not.toContain(person.name);
      expect(text, name).not.toMatch(/user_?id/i);
    }
    // Name and e-mail are empty, and no column holds an id of the person.
    const [header, ...csvLines] = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(header).toBe("Kursus;Rolle;Kommune;Faggruppe;Måned;Navn;E-mail;Svar nr.;Spørgsmål;Svar");
    expect(csvLines.find((line) => line.endsWith(secret))!.split(";").slice(5, 7)).toEqual(["", ""]);
    const report = (JSON.parse(dashboard) as { reports: FormReport[] }).reports[0]!;
    expect(report.questions.find((q) => q.id === text.id)!.texts).toContainEqual({ text: secret, name: null });
  });

  it("a group of 4 responses is not shown", async () => {
    const slug = COURSES[2];
    const query = `?kursus=${courseIdOf(slug)}&rolle=medarbejdere`;
    const owner = await sessionCookieFor("ejer@rettidig.dk");
    const admin = await sessionCookieFor("admin@demo-kommune.dk");
    const reports = async () => {
      const dashboard = JSON.parse(await loaderText(() => dashboardRoute.loader(routeArgs(request(`/ejer/feedback${query}`, { cookie: owner }))))) as { reports: FormReport[] };
      const adminView = JSON.parse(await loaderText(() => adminRoute.loader(routeArgs(request(`/administration/feedback${query}`, { cookie: admin }))))) as { reports: FormReport[] };
      return [dashboard.reports[0]!, adminView.reports[0]!];
    };

    const form = othersAnswer(slug, 4, "pedagogue");
    const texts = db.select({ text: feedbackAnswers.text }).from(feedbackAnswers).innerJoin(feedbackResponses, eq(feedbackResponses.id, feedbackAnswers.responseId)).where(eq(feedbackResponses.formId, form.id)).all();
    for (const report of await reports()) {
      expect(report).toMatchObject({ status: "tooFew", responseCount: null, questions: [] });
      const json = JSON.stringify(report);
      for (const { text } of texts) if (text) expect(json).not.toContain(text);
    }
    const csv = await loaderText(() => csvRoute.loader(routeArgs(request(`/ejer/feedback/svar.csv${query}`, { cookie: owner }))));
    expect(csv.replace(/^\uFEFF/, "").trimEnd().split("\r\n")).toHaveLength(1);

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
    expect((await loaderText(() => csvRoute.loader(routeArgs(request(`/ejer/feedback/svar.csv${query}`, { cookie: owner }))))).trimEnd().split("\r\n")).toHaveLength(1 + 5 * form.questions.length);
  });
});
