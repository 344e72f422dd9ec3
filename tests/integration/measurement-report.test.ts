import { asc, eq, sql } from "drizzle-orm";
import { courses, modules, quizQuestions, quizzes } from "#db/schema";
import { db } from "~/db.server";
import type { ReportFilters } from "~/feedback/forms";
import { measurementReportPage, type MeasurementReport, type MeasurementViewer } from "~/measurement/report.server";
import { demoEmails } from "~/cli/seed/accounts";
import * as adminCsvRoute from "~/routes/administration.maaling.tal[.]csv";
import * as adminRoute from "~/routes/administration.maaling._index";
import * as ownerRoute from "~/routes/ejer.maaling._index";
import * as pairsCsvRoute from "~/routes/ejer.maaling.par[.]csv";
import * as figuresCsvRoute from "~/routes/ejer.maaling.tal[.]csv";
import { courseIdOf, csvRows } from "../utils/feedback";
import { request, routeArgs, sessionCookieFor, settle } from "../utils/requests";
import { seedMeasurement, givenPerson, type SeededMeasurement } from "../utils/measurement-seed";
import { organisationIdBySlug } from "../utils/training";

const COURSE = "unges-egne-fortaellinger";
const owner: MeasurementViewer = { kind: "owner" };
let demo: number;
let nabo: number;
let nextUser = 800_000;

beforeEach(() => {
  demo = organisationIdBySlug("demo-kommune");
  nabo = organisationIdBySlug("nabo-kommune");
});

function seeded(items = 2): SeededMeasurement {
  return seedMeasurement(
    courseIdOf(COURSE),
    Array.from({ length: items }, (_, index) => ({ text: `Udsagn ${index + 1}` })),
  );
}

/** People of one group, each answering every item with the given values at baseline and completion. */
function givenGroup(
  measurement: SeededMeasurement,
  group: { organisationId: number; profession: "pedagogue" | "teacher" | null },
  baseline: number[],
  completion: (number | null)[],
) {
  baseline.forEach((before, index) => {
    const after = completion[index];
    const all = (value: number) => Object.fromEntries(measurement.itemIds.map((id) => [id, value]));
    givenPerson(
      measurement.id,
      { userId: nextUser++, ...group },
      {
        baseline: all(before),
        ...(after == null ? {} : { completion: all(after) }),
      },
    );
  });
}

function report(viewer: MeasurementViewer, given: Partial<ReportFilters> = {}) {
  const filters: ReportFilters = {
    courseId: undefined,
    organisationId: undefined,
    audience: undefined,
    profession: undefined,
    ...given,
  };
  return measurementReportPage(viewer, filters).report!;
}

describe("the before-and-after report", () => {
  it("shows the paired change with its interval from five pairs", () => {
    const measurement = seeded();
    givenGroup(measurement, { organisationId: demo, profession: "pedagogue" }, [2, 3, 3, 4, 2], [3, 5, 3, 5, 3]);

    const result = report(owner);
    expect(result.status).toBe("shown");
    expect(result.items).toHaveLength(2);
    const change = result.items[0]!.changes.completion!;
    expect(change.pairs).toBe(5);
    expect(change.meanBefore).toBeCloseTo(2.8, 10);
    expect(change.meanAfter).toBeCloseTo(3.8, 10);
    expect(change.change.mean).toBe(1);
    expect(change.change.low).toBeCloseTo(0.122, 3);
    expect(change.change.high).toBeCloseTo(1.878, 3);
    expect(result.items[0]!.changes.followUp).toBeNull();
  });

  it("shows no figure at all from four pairs", () => {
    const measurement = seeded();
    // Five people in the group, but only four came back at completion.
    givenGroup(measurement, { organisationId: demo, profession: "pedagogue" }, [2, 3, 3, 4, 2], [3, 5, 3, 5, null]);

    const result = report(owner);
    expect(result.status).toBe("tooFew");
    expect(result.items).toEqual([]);
  });

  it("leaves out groups of fewer than five people before anything is added up", () => {
    const measurement = seeded();
    givenGroup(measurement, { organisationId: demo, profession: "pedagogue" }, [2, 3, 3, 4, 2], [3, 5, 3, 5, 3]);
    // Four teachers who all rose by four points would pull the mean up, were they counted.
    givenGroup(measurement, { organisationId: demo, profession: "teacher" }, [1, 1, 1, 1], [5, 5, 5, 5]);

    const all = report(owner);
    expect(all.items[0]!.changes.completion!.pairs).toBe(5);
    expect(all.items[0]!.changes.completion!.change.mean).toBe(1);
    expect(report(owner, { profession: "teacher" }).status).toBe("tooFew");
  });

  it("pairs two answers only when both carry the same municipality and profession", () => {
    const measurement = seeded(1);
    givenGroup(measurement, { organisationId: demo, profession: "pedagogue" }, [2, 3, 3, 4, 2], [3, 5, 3, 5, 3]);
    const [item] = measurement.itemIds;
    // Someone who changed profession between the moments belongs to neither group's pairs.
    const moved = nextUser++;
    givenPerson(
      measurement.id,
      { userId: moved, organisationId: demo, profession: "pedagogue" },
      {
        baseline: { [item!]: 1 },
      },
    );
    givenPerson(
      measurement.id,
      { userId: moved, organisationId: demo, profession: "teacher" },
      {
        completion: { [item!]: 5 },
      },
    );

    expect(report(owner).items[0]!.changes.completion!.pairs).toBe(5);
  });

  it("shows an admin their own municipality only, whatever the address asks for", () => {
    const measurement = seeded(1);
    givenGroup(measurement, { organisationId: demo, profession: "pedagogue" }, [2, 3, 3, 4, 2], [3, 5, 3, 5, 3]);
    givenGroup(measurement, { organisationId: nabo, profession: "pedagogue" }, [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]);

    expect(report(owner).items[0]!.changes.completion!.pairs).toBe(10);
    expect(report(owner, { organisationId: nabo }).items[0]!.changes.completion!.change.mean).toBe(0);
    const demoAdmin = report({ kind: "admin", organisationId: demo }, { organisationId: nabo });
    expect(demoAdmin.items[0]!.changes.completion!.pairs).toBe(5);
    expect(demoAdmin.items[0]!.changes.completion!.change.mean).toBe(1);
  });

  it("never shows Nabo Kommune's admin anything of Demo Kommune's answers", () => {
    const measurement = seeded(1);
    givenGroup(measurement, { organisationId: demo, profession: "pedagogue" }, [2, 3, 3, 4, 2], [3, 5, 3, 5, 3]);

    const naboAdmin = report({ kind: "admin", organisationId: nabo }, { organisationId: demo });
    expect(naboAdmin.status).toBe("none");
    expect(naboAdmin.items).toEqual([]);
  });

  it("needs five answers to a figure itself, even in a group of five", () => {
    const measurement = seeded(2);
    const [first, second] = measurement.itemIds as [number, number];
    [2, 3, 3, 4, 2].forEach((before, index) => {
      givenPerson(
        measurement.id,
        { userId: nextUser++, organisationId: demo, profession: "pedagogue" },
        {
          baseline: { [first]: before, [second]: before },
          // The last person skipped the second statement at completion.
          completion: index === 4 ? { [first]: before + 1 } : { [first]: before + 1, [second]: before + 1 },
        },
      );
    });

    const result = report(owner);
    expect(result.status).toBe("shown");
    expect(result.items[0]!.changes.completion!.pairs).toBe(5);
    expect(result.items[1]!.changes.completion).toBeNull();
  });

  it("reads knowledge items as shares right and leader items as a level with its interval", () => {
    const courseId = courseIdOf(COURSE);
    const question = db
      .select({ id: quizQuestions.id, text: quizQuestions.text })
      .from(quizQuestions)
      .innerJoin(quizzes, eq(quizzes.id, quizQuestions.quizId))
      .innerJoin(modules, eq(modules.id, quizzes.moduleId))
      .innerJoin(courses, eq(courses.id, modules.courseId))
      .where(eq(courses.id, courseId))
      .orderBy(asc(quizQuestions.id))
      .get()!;
    const measurement = seedMeasurement(courseId, [
      { quizQuestionId: question.id },
      { audience: "leader", text: "Kollegerne taler tidligere om en bekymring" },
    ]);
    const [knowledge, leaderItem] = measurement.itemIds as [number, number];
    [0, 0, 1, 0, 1].forEach((before, index) => {
      givenPerson(
        measurement.id,
        { userId: nextUser++, organisationId: demo, profession: "pedagogue" },
        {
          baseline: { [knowledge]: before },
          followUp: { [knowledge]: index === 0 ? 0 : 1 },
        },
      );
    });
    [3, 4, 4, 5, 4].forEach((value) => {
      givenPerson(
        measurement.id,
        { userId: nextUser++, organisationId: demo, profession: null },
        {
          leaderFollowUp: { [leaderItem]: value },
        },
      );
    });

    const result = report(owner);
    const [knowledgeFigures, leaderFigures] = result.items as [
      (typeof result.items)[number],
      (typeof result.items)[number],
    ];
    expect(knowledgeFigures.kind).toBe("knowledge");
    expect(knowledgeFigures.text).toBe(question.text);
    expect(knowledgeFigures.changes.followUp!.meanBefore).toBeCloseTo(0.4, 10);
    expect(knowledgeFigures.changes.followUp!.meanAfter).toBeCloseTo(0.8, 10);
    expect(knowledgeFigures.changes.completion).toBeNull();
    // Leader answers: mean 4, sample variance 0.5, so the same half-width as the hand-worked case.
    expect(leaderFigures.level!.count).toBe(5);
    expect(leaderFigures.level!.mean).toBe(4);
    expect(leaderFigures.level!.low).toBeCloseTo(3.122, 3);
    expect(report(owner, { audience: "staff" }).items.map((item) => item.kind)).toEqual(["knowledge"]);
  });
});

type Loader = (args: ReturnType<typeof routeArgs>) => Promise<Response>;

async function get(loader: Loader, path: string, email: string) {
  const cookie = await sessionCookieFor(email);
  return settle(() => loader(routeArgs(request(path, { cookie }))));
}

async function pageData(loader: Loader, path: string, email: string) {
  const response = await get(loader, path, email);
  expect(response.status).toBe(200);
  return (await response.json()) as { report: MeasurementReport | null };
}

describe("the report pages and CSV files", () => {
  let measurement: SeededMeasurement;
  beforeEach(() => {
    measurement = seeded(1);
    givenGroup(measurement, { organisationId: demo, profession: "pedagogue" }, [2, 3, 3, 4, 2], [3, 5, 3, 5, 3]);
    givenGroup(measurement, { organisationId: nabo, profession: "teacher" }, [1, 1, 1, 1, 1], [2, 2, 2, 2, 2]);
  });

  it("gives the owner every municipality, and one when filtered", async () => {
    const all = await pageData(ownerRoute.loader, "/ejer/maaling", demoEmails.owner);
    expect(all.report!.items[0]!.changes.completion!.pairs).toBe(10);
    const filtered = await pageData(
      ownerRoute.loader,
      `/ejer/maaling?kommune=${nabo}&faggruppe=teacher`,
      demoEmails.owner,
    );
    expect(filtered.report!.items[0]!.changes.completion!.change.mean).toBe(1);
    expect(filtered.report!.items[0]!.changes.completion!.pairs).toBe(5);
  });

  it("gives each admin their own municipality's figures only", async () => {
    const demoAdmin = await pageData(adminRoute.loader, `/administration/maaling?kommune=${nabo}`, demoEmails.admin);
    expect(demoAdmin.report!.items[0]!.changes.completion!.pairs).toBe(5);
    expect(demoAdmin.report!.items[0]!.changes.completion!.meanBefore).toBeCloseTo(2.8, 10);
    const naboAdmin = await pageData(adminRoute.loader, "/administration/maaling", demoEmails.neighbourAdmin);
    expect(naboAdmin.report!.items[0]!.changes.completion!.meanBefore).toBe(1);
    const refused = await get(
      adminRoute.loader,
      `/administration/maaling?organisation=${demo}`,
      demoEmails.neighbourAdmin,
    );
    expect(refused.status).toBe(404);
  });

  it("refuses an unreadable filter and a course without a measurement, with a 4xx", async () => {
    expect((await get(ownerRoute.loader, "/ejer/maaling?kursus=abc", demoEmails.owner)).status).toBe(400);
    const other = courseIdOf("i-skolen-og-fritiden");
    expect((await get(ownerRoute.loader, `/ejer/maaling?kursus=${other}`, demoEmails.owner)).status).toBe(404);
  });

  it("writes the owner's figures as CSV with a byte-order mark, one row per figure shown", async () => {
    const response = await get(figuresCsvRoute.loader, "/ejer/maaling/tal.csv", demoEmails.owner);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = csvRows(bytes.toString("utf8"));
    expect(header).toContain("Sammenligning");
    // Completion only: nobody has answered the follow-up yet.
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(3, 7)).toEqual(["Før kurset → ved afslutning", "10", "1.9", "2.9"]);
  });

  it("writes an admin's figures from their own municipality only", async () => {
    const response = await get(adminCsvRoute.loader, "/administration/maaling/tal.csv", demoEmails.admin);
    expect(response.status).toBe(200);
    const [, ...rows] = csvRows(await response.text());
    expect(rows.map((row) => row[4])).toEqual(["5"]);
    expect(rows[0]![5]).toBe("2.8");
  });

  it("writes the owner's paired rows without pseudonyms, numbered afresh for each export", async () => {
    const [item] = measurement.itemIds;
    // A group of four is left out of the rows as well as the figures.
    givenGroup(measurement, { organisationId: demo, profession: "teacher" }, [1, 1, 1, 1], [5, 5, 5, 5]);
    const response = await get(pairsCsvRoute.loader, "/ejer/maaling/par.csv", demoEmails.owner);
    expect(response.status).toBe(200);
    const text = await response.text();
    const [header, ...rows] = csvRows(text);
    expect(header).toHaveLength(8);
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => String(i + 1))));
    expect(rows.filter((row) => row[1] === "Demo Kommune").map((row) => [row[2], row[5], row[6], row[7]])).toEqual(
      expect.arrayContaining([["Pædagog", "2", "3", ""]]),
    );
    expect(rows.some((row) => row[2] === "Lærer" && row[1] === "Demo Kommune")).toBe(false);
    const pseudonyms = db.all<{ pseudonym: string }>(
      sql`select pseudonym from measurement_responses where measurement_id = ${measurement.id}`,
    );
    for (const { pseudonym } of pseudonyms) expect(text).not.toContain(pseudonym);
    expect(item).toBeDefined();
  });

  it("keeps the paired rows from admins", async () => {
    expect((await get(pairsCsvRoute.loader, "/ejer/maaling/par.csv", demoEmails.admin)).status).toBe(404);
  });
});
