import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { asc, eq } from "drizzle-orm";
import { courses, modules, organisations, professions, quizQuestions, quizzes, type Profession } from "#db/schema";
import { db, sqlite } from "~/db.server";
import type { ReportFilters } from "~/feedback/forms";
import { translator } from "~/i18n/i18n";
import { measurementPseudonym } from "~/measurement/pseudonym.server";
import { figuresCsv, pairedRowsCsv } from "~/measurement/report-export.server";
import { measurementReportPage, type MeasurementViewer } from "~/measurement/report.server";
import { seedMeasurement } from "../utils/measurement-seed";
import { fixed, printTable, summarise, whole } from "./report";

export type MeasurementOptions = {
  /** Staff who answered the baseline; four in five come back at completion, three in five at follow-up. */
  staff: number;
  /** Leaders who answered their follow-up. */
  leaders: number;
  municipalities: number;
  runs: number;
};

/** A spread that is the same on every run, so two bench runs time the same data. */
const spread = (seed: number, modulo: number) => ((seed * 2_654_435_761) % 4_294_967_296) % modulo;

/** Municipalities of their own for the measurement, apart from the other benches' ones. */
function benchMunicipalities(count: number): number[] {
  return Array.from(
    { length: count },
    (_, index) =>
      db
        .insert(organisations)
        .values({ slug: `bench-maaling-${index}`, name: `Målekommune ${index + 1}`, cvr: String(50_500_000 + index) })
        .returning({ id: organisations.id })
        .get().id,
  );
}

/**
 * A measurement of the first course with four statements and one knowledge question for staff and
 * five statements for leaders, and answers from every municipality and profession at every moment,
 * written in one transaction with the same pseudonyms and random ids the answer path uses.
 */
function createAnswers(options: MeasurementOptions) {
  const course = db.select({ id: courses.id }).from(courses).orderBy(asc(courses.position)).get()!;
  const question = db
    .select({ id: quizQuestions.id })
    .from(quizQuestions)
    .innerJoin(quizzes, eq(quizzes.id, quizQuestions.quizId))
    .innerJoin(modules, eq(modules.id, quizzes.moduleId))
    .where(eq(modules.courseId, course.id))
    .get();
  const measurement = seedMeasurement(course.id, [
    ...Array.from({ length: 4 }, (_, index) => ({ text: `Udsagn ${index + 1}` })),
    question ? { quizQuestionId: question.id } : { text: "Udsagn 5" },
    ...Array.from({ length: 5 }, (_, index) => ({ audience: "leader" as const, text: `Praksis ${index + 1}` })),
  ]);
  const staffItems = measurement.itemIds.slice(0, 5);
  const leaderItems = measurement.itemIds.slice(5);
  const municipalityIds = benchMunicipalities(options.municipalities);
  const insertResponse = sqlite().prepare(
    `insert into measurement_responses (id, measurement_id, pseudonym, moment, organisation_id, profession, submitted_week)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAnswer = sqlite().prepare(
    `insert into measurement_answers (response_id, item_id, value) values (?, ?, ?)`,
  );
  let responses = 0;
  const respond = (person: number, moment: string, items: number[], value: (item: number) => number) => {
    const id = randomUUID();
    // Every ninth person has not said what they do; the last municipality's few make groups under five.
    const profession: Profession | null = person % 9 === 0 ? null : professions[person % professions.length]!;
    insertResponse.run(
      id,
      measurement.id,
      measurementPseudonym(measurement.id, person),
      moment,
      municipalityIds[spread(person, municipalityIds.length)]!,
      profession,
      "2026-11-30",
    );
    for (const item of items) insertAnswer.run(id, item, value(item));
    responses += 1;
  };
  const statement = (person: number, item: number, lift: number) =>
    Math.min(5, 1 + spread(person + item, 4) + (spread(person * item, 3) < lift ? 1 : 0));
  sqlite().transaction(() => {
    for (let person = 1; person <= options.staff; person++) {
      const answer = (lift: number) => (item: number) =>
        item === staffItems[4] ? (spread(person + item, 10) < 4 + lift * 2 ? 1 : 0) : statement(person, item, lift);
      respond(person, "baseline", staffItems, answer(0));
      if (spread(person, 5) < 4) respond(person, "completion", staffItems, answer(2));
      if (spread(person, 5) < 3) respond(person, "followUp", staffItems, answer(1));
    }
    for (let leader = 1; leader <= options.leaders; leader++)
      respond(options.staff + leader, "leaderFollowUp", leaderItems, (item) => statement(leader, item, 1));
  })();
  sqlite().pragma("optimize");
  return { courseId: course.id, municipalityIds, responses, answers: responses * 5 };
}

/**
 * The owner's before-and-after report over some twenty thousand responses (about a hundred
 * thousand answers): the whole page unfiltered and filtered by municipality and profession, and
 * the two CSV files, each timed over the same data.
 */
export async function benchMeasurement(options: MeasurementOptions) {
  const data = createAnswers(options);
  const owner: MeasurementViewer = { kind: "owner" };
  const all: ReportFilters = {
    courseId: data.courseId,
    organisationId: undefined,
    audience: undefined,
    profession: undefined,
  };
  const filtered: ReportFilters = { ...all, organisationId: data.municipalityIds[0], profession: "pedagogue" };
  const t = translator("da");
  const targets: [string, () => unknown][] = [
    ["owner's report, unfiltered", () => measurementReportPage(owner, all)],
    ["owner's report, one municipality and profession", () => measurementReportPage(owner, filtered)],
    [
      "admin's report, own municipality",
      () => measurementReportPage({ kind: "admin", organisationId: data.municipalityIds[0]! }, all),
    ],
    ["figures CSV, unfiltered", () => figuresCsv(measurementReportPage(owner, all).report!, t)],
    [
      "paired rows CSV, unfiltered",
      () => pairedRowsCsv(measurementReportPage(owner, all).report!.measurementId, all, t),
    ],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, run] of targets) {
    run();
    const samples: number[] = [];
    for (let index = 0; index < options.runs; index++) {
      const started = performance.now();
      run();
      samples.push(performance.now() - started);
    }
    const summary = summarise(samples);
    rows.push([name, fixed(summary.p50), fixed(summary.p95)]);
  }
  printTable(
    `Before-and-after measurement: ${whole(data.responses)} responses, ${whole(data.answers)} answers, ${options.municipalities} municipalities (${options.runs} runs each)`,
    ["what", "p50 ms", "p95 ms"],
    rows,
    ["Target: the owner's report under 200 ms p50."],
  );
}
