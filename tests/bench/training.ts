import { performance } from "node:perf_hooks";
import { asc, eq, sql } from "drizzle-orm";
import {
  courses,
  memberships,
  modules,
  organisations,
  organisationUnits,
  professions,
  trainingAssignments,
  trainingCycles,
  users,
} from "#db/schema";
import { db, sqlite } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { translator } from "~/i18n/i18n";
import { createLicence } from "~/licensing/licences.server";
import { complianceCsv, complianceSummary, overdueRounds, type ComplianceScope } from "~/training/compliance.server";
import { addBenchLearners } from "./database";
import { fixed, printTable, summarise, whole } from "./report";

export type TrainingOptions = {
  people: number;
  units: number;
  /** Each an "everyone" assignment of its own course, so every person gets one round per course. */
  assignments: number;
  runs: number;
};

// Far above the other benches' learners, so the addresses never meet theirs.
const FIRST_LEARNER = 1_000_000;

/** Courses enough for the assignments: the seed's, and a one-film bench course for each one short. */
function benchCourses(count: number): number[] {
  const existing = db.select({ id: courses.id }).from(courses).orderBy(asc(courses.id)).all();
  for (let index = existing.length; index < count; index++) {
    const course = db
      .insert(courses)
      .values({
        slug: `bench-kursus-${index}`,
        position: 100 + index,
        title: `Bench-kursus ${index}`,
        summary: "Bench",
      })
      .returning({ id: courses.id })
      .get();
    db.insert(modules)
      .values({ courseId: course.id, slug: `bench-film-${index}`, position: 1, title: "Bench-film", description: "" })
      .run();
    existing.push(course);
  }
  return existing.slice(0, count).map((course) => course.id);
}

/**
 * A municipality of its own, apart from Demo Kommune (whose people overview the learning bench
 * measures): units, people with a seat and a profession, one "everyone" assignment per course and
 * a current round for each person and course, written in bulk and shaped into every state by SQL.
 */
function createBenchMunicipality(options: TrainingOptions, today: string): ComplianceScope {
  const organisation = db
    .insert(organisations)
    .values({ slug: "bench-kommune", name: "Bench Kommune", cvr: "40404040" })
    .returning({ id: organisations.id, name: organisations.name })
    .get();
  const courseIds = benchCourses(options.assignments);
  const licenceId = createLicence(db, {
    organisationId: organisation.id,
    planId: null,
    seatCount: 1,
    startsOn: shiftDays(today, -200),
    endsOn: shiftDays(today, 165),
    courseIds,
  });
  addBenchLearners(db, licenceId, FIRST_LEARNER, options.people);
  db.transaction((tx) => {
    for (let index = 0; index < options.units; index++)
      tx.insert(organisationUnits)
        .values({ organisationId: organisation.id, name: `Bench-enhed ${index + 1}`, kind: "institution" })
        .run();
    // Spread people over the units, and over the professions with every eighth not having said what they do.
    tx.run(sql`update ${memberships} set unit_id = (
        select numbered.id from (
          select id, row_number() over (order by id) - 1 as n from ${organisationUnits} where organisation_id = ${organisation.id}
        ) numbered where numbered.n = ${memberships}.user_id % ${options.units})
      where ${memberships.organisationId} = ${organisation.id}`);
    const professionList = sql.raw(`'${professions.join("','")}'`);
    tx.run(sql`update ${users} set profession = case when id % 8 = 0 then null
        else json_extract(json_array(${professionList}), '$[' || cast(id % ${professions.length} as integer) || ']') end
      where id in (select user_id from ${memberships} where organisation_id = ${organisation.id})`);
    courseIds.forEach((courseId, index) => {
      const assignment = tx
        .insert(trainingAssignments)
        .values({
          organisationId: organisation.id,
          courseId,
          scope: "everyone",
          dueMode: "date",
          dueOn: shiftDays(today, 30 + index),
          recurrenceMonths: index === 0 ? 12 : null,
        })
        .returning({ id: trainingAssignments.id })
        .get();
      tx.run(sql`insert into ${trainingCycles}
          (organisation_id, user_id, course_id, number, assignment_id, opened_on, due_on)
        select organisation_id, user_id, ${courseId}, 1, ${assignment.id}, ${shiftDays(today, -60)}, ${shiftDays(today, 30 + index)}
        from ${memberships} where organisation_id = ${organisation.id}`);
    });
    // A fixed spread by id: a third on time, a tenth late, a fifth started, 15 % overdue, some due for a refresher.
    const started = new Date(`${shiftDays(today, -20)}T10:00:00Z`).getTime();
    tx.run(sql`update ${trainingCycles} set
        completed_on = case when (id * 7919) % 100 < 33 then ${shiftDays(today, -10)}
                            when (id * 7919) % 100 < 43 then ${shiftDays(today, -2)} end,
        completed_at = case when (id * 7919) % 100 < 43 then ${started} end,
        due_on = case when (id * 7919) % 100 between 33 and 42 then ${shiftDays(today, -5)}
                      when (id * 7919) % 100 between 63 and 77 then date(${today}, '-' || (1 + id % 60) || ' days')
                      else due_on end,
        started_at = case when (id * 7919) % 100 < 78 then ${started} end,
        refresher = (id * 7919) % 100 >= 95
      where organisation_id = ${organisation.id}`);
  });
  sqlite().pragma("optimize");
  return { organisationId: organisation.id, organisationName: organisation.name, unitId: null };
}

/**
 * The compliance overview over a municipality of ten thousand people: the counts for the whole
 * municipality (the admin's page) and for one unit (a leader's), the overdue list and the CSV file.
 * A fixed reference query over the same members is timed in the same loop, alternating with each
 * target, so a figure taken while the machine is busy can still be compared as "× reference".
 */
export async function benchTraining(options: TrainingOptions) {
  const now = new Date();
  const today = danishDate(now);
  const scope = createBenchMunicipality(options, today);
  const rounds = db
    .select({ rounds: sql<number>`count(*)` })
    .from(trainingCycles)
    .where(eq(trainingCycles.organisationId, scope.organisationId))
    .get()!.rounds;
  const unit = db
    .select({ id: organisationUnits.id })
    .from(organisationUnits)
    .where(eq(organisationUnits.organisationId, scope.organisationId))
    .orderBy(asc(organisationUnits.id))
    .get()!;
  const unitScope = { ...scope, unitId: unit.id };
  const t = translator("da");
  const reference = sqlite().prepare(
    `select count(*), sum(m.role = 'learner') from memberships m join users u on u.id = m.user_id where m.organisation_id = ?`,
  );
  const targets: [string, () => unknown][] = [
    ["complianceSummary, municipality", () => complianceSummary(scope, {}, now)],
    ["complianceSummary, one unit", () => complianceSummary(unitScope, {}, now)],
    ["overdueRounds, 100 oldest", () => overdueRounds(scope, now, 100)],
    ["complianceCsv, municipality", () => complianceCsv(scope, t, now)],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, run] of targets) {
    run();
    const samples: number[] = [];
    const referenceSamples: number[] = [];
    for (let index = 0; index < options.runs; index++) {
      let started = performance.now();
      run();
      samples.push(performance.now() - started);
      started = performance.now();
      reference.get(scope.organisationId);
      referenceSamples.push(performance.now() - started);
    }
    const target = summarise(samples);
    const baseline = summarise(referenceSamples);
    rows.push([
      name,
      fixed(target.p50),
      fixed(target.p95),
      fixed(baseline.p50),
      `${fixed(target.p50 / baseline.p50, 1)} ×`,
    ]);
  }
  printTable(
    `Mandatory training: ${whole(options.people)} people, ${options.units} units, ${whole(rounds)} current rounds (${options.runs} runs each)`,
    ["what", "p50 ms", "p95 ms", "reference p50 ms", "× reference"],
    rows,
    [
      "Reference: count of the municipality's members joined to users, timed alternately in the same loop.",
      "Target: the municipality's overview (complianceSummary) under 200 ms p50.",
    ],
  );
}
