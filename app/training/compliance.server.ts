import { and, asc, count, eq, isNull, lt, sql, type SQL } from "drizzle-orm";
import { courses, memberships, organisationUnits, trainingCycles, users, type Profession } from "#db/schema";
import { db } from "~/db.server";
import { professionLabels } from "~/feedback/professions";
import { danishDate } from "~/i18n/dates";
import type { Translate } from "~/i18n/i18n";
import type { peopleScope } from "~/licensing/people.server";
import { toCsv } from "~/utils/csv.server";
import { idFromPath } from "~/utils/form-schema";
import { stateKey, trainingStates, type TrainingState } from "./states";

/**
 * Whose rounds an overview may count: the whole municipality for its admin, one unit for its
 * leader. Only `peopleScope` makes one, from who asks, so every query below is bounded by it.
 */
export type ComplianceScope = NonNullable<ReturnType<typeof peopleScope>>;
export type ComplianceFilter = { courseId?: number | null };

/**
 * cycleState as SQL, so a count over fifty thousand rounds never loads them to judge each one. The
 * branches are cycleState's, in its order; a test holds the two together.
 */
export function stateSql(today: string) {
  const c = trainingCycles;
  return sql<TrainingState>`case
    when ${c.completedOn} is not null then
      case when ${c.completedOn} <= ${c.dueOn} then 'completedOnTime' else 'completedLate' end
    when ${c.dueOn} < ${today} then 'overdue'
    when ${c.startedAt} is not null then 'inProgress'
    when ${c.refresher} then 'refresh'
    else 'notStarted' end`;
}

/**
 * Current rounds of the scope's people: a round counts only while its person is still a member of
 * the municipality, and for a leader only while they are in the leader's unit.
 */
function inScope(scope: ComplianceScope, filter: ComplianceFilter = {}): SQL | undefined {
  return and(
    eq(trainingCycles.organisationId, scope.organisationId),
    isNull(trainingCycles.endedAt),
    // Someone no longer listed as staff (their seat was taken back long ago) is nobody's task.
    isNull(memberships.unlistedAt),
    scope.unitId === null ? undefined : eq(memberships.unitId, scope.unitId),
    filter.courseId ? eq(trainingCycles.courseId, filter.courseId) : undefined,
  );
}

const memberOfRound = and(
  eq(memberships.userId, trainingCycles.userId),
  eq(memberships.organisationId, trainingCycles.organisationId),
);

export type StateCounts = Record<TrainingState, number> & { assigned: number };

const noCounts = (): StateCounts => ({
  assigned: 0,
  ...(Object.fromEntries(trainingStates.map((state) => [state, 0])) as Record<TrainingState, number>),
});

function addTo<Key>(groups: Map<Key, StateCounts>, key: Key, state: TrainingState, rounds: number) {
  const counts = groups.get(key) ?? noCounts();
  counts[state] += rounds;
  counts.assigned += rounds;
  groups.set(key, counts);
}

export type ComplianceSummary = {
  /** Every course with current rounds in the scope, with its counts: the course filter's choices too. */
  courses: { id: number; title: string; counts: StateCounts }[];
  units: { id: number | null; name: string | null; counts: StateCounts }[];
  professions: { profession: Profession | null; counts: StateCounts }[];
  total: StateCounts;
};

/**
 * How far the scope's people are with their mandatory courses, per course, per unit and per
 * profession, from one grouped query. The course filter narrows the units, professions and total;
 * the per-course counts always cover every course, so the filter can offer them all.
 */
export function complianceSummary(
  scope: ComplianceScope,
  filter: ComplianceFilter = {},
  now = new Date(),
): ComplianceSummary {
  const state = stateSql(danishDate(now)).as("round_state");
  const rows = db
    .select({
      unitId: memberships.unitId,
      unitName: organisationUnits.name,
      profession: users.profession,
      courseId: trainingCycles.courseId,
      courseTitle: courses.title,
      state,
      rounds: count(),
    })
    .from(trainingCycles)
    .innerJoin(memberships, memberOfRound)
    .innerJoin(users, eq(users.id, trainingCycles.userId))
    .innerJoin(courses, eq(courses.id, trainingCycles.courseId))
    .leftJoin(organisationUnits, eq(organisationUnits.id, memberships.unitId))
    .where(inScope(scope))
    // By the alias: the expression written out again would bind today a second time, as another parameter.
    .groupBy(memberships.unitId, users.profession, trainingCycles.courseId, sql`round_state`)
    .all();

  const perCourse = new Map<number, StateCounts>();
  const perUnit = new Map<number | null, StateCounts>();
  const perProfession = new Map<Profession | null, StateCounts>();
  const total = noCounts();
  const courseTitles = new Map<number, string>();
  const unitNames = new Map<number | null, string | null>();
  for (const row of rows) {
    courseTitles.set(row.courseId, row.courseTitle);
    addTo(perCourse, row.courseId, row.state, row.rounds);
    if (filter.courseId && row.courseId !== filter.courseId) continue;
    unitNames.set(row.unitId, row.unitName);
    addTo(perUnit, row.unitId, row.state, row.rounds);
    addTo(perProfession, row.profession, row.state, row.rounds);
    total[row.state] += row.rounds;
    total.assigned += row.rounds;
  }
  // People without a unit or a profession come last, after the named ones in alphabetical order.
  const byName = (a: string | null, b: string | null) =>
    a === null ? (b === null ? 0 : 1) : b === null ? -1 : a.localeCompare(b, "da");
  return {
    courses: [...perCourse]
      .map(([id, counts]) => ({ id, title: courseTitles.get(id) ?? "", counts }))
      .sort((a, b) => a.title.localeCompare(b.title, "da")),
    units: [...perUnit]
      .map(([id, counts]) => ({ id, name: unitNames.get(id) ?? null, counts }))
      .sort((a, b) => byName(a.name, b.name)),
    professions: [...perProfession]
      .map(([profession, counts]) => ({ profession, counts }))
      .sort((a, b) => byName(a.profession, b.profession)),
    total,
  };
}

export type OverdueRound = {
  cycleId: number;
  name: string;
  unitName: string | null;
  courseTitle: string;
  dueOn: string;
};

/** Who in the scope is past their due date and not done, the longest overdue first. */
export function overdueRounds(
  scope: ComplianceScope,
  now = new Date(),
  limit = 100,
  filter: ComplianceFilter = {},
): OverdueRound[] {
  return db
    .select({
      cycleId: trainingCycles.id,
      name: users.name,
      unitName: organisationUnits.name,
      courseTitle: courses.title,
      dueOn: trainingCycles.dueOn,
    })
    .from(trainingCycles)
    .innerJoin(memberships, memberOfRound)
    .innerJoin(users, eq(users.id, trainingCycles.userId))
    .innerJoin(courses, eq(courses.id, trainingCycles.courseId))
    .leftJoin(organisationUnits, eq(organisationUnits.id, memberships.unitId))
    .where(and(inScope(scope, filter), isNull(trainingCycles.completedOn), lt(trainingCycles.dueOn, danishDate(now))))
    .orderBy(asc(trainingCycles.dueOn), asc(users.name), asc(trainingCycles.id))
    .limit(limit)
    .all();
}

/** One line per person and course in the scope, for the CSV file. */
export function complianceRows(scope: ComplianceScope, now = new Date(), filter: ComplianceFilter = {}) {
  return db
    .select({
      name: users.name,
      email: users.email,
      unitName: organisationUnits.name,
      profession: users.profession,
      courseTitle: courses.title,
      dueOn: trainingCycles.dueOn,
      state: stateSql(danishDate(now)),
      completedOn: trainingCycles.completedOn,
    })
    .from(trainingCycles)
    .innerJoin(memberships, memberOfRound)
    .innerJoin(users, eq(users.id, trainingCycles.userId))
    .innerJoin(courses, eq(courses.id, trainingCycles.courseId))
    .leftJoin(organisationUnits, eq(organisationUnits.id, memberships.unitId))
    .where(inScope(scope, filter))
    .orderBy(asc(organisationUnits.name), asc(users.name), asc(courses.title), asc(trainingCycles.id))
    .all();
}

/** The overview as a spreadsheet: dates stay YYYY-MM-DD so they sort, states are the page's words. */
export function complianceCsv(scope: ComplianceScope, t: Translate, now = new Date(), filter: ComplianceFilter = {}) {
  const rows = complianceRows(scope, now, filter).map((row) => [
    row.name,
    row.email,
    row.unitName ?? "",
    row.profession ? t(professionLabels[row.profession]) : t("feedback.report.professionUnknown"),
    row.courseTitle,
    row.dueOn,
    t(stateKey(row.state)),
    row.completedOn ?? "",
  ]);
  return toCsv(
    [
      t("admin.column.person"),
      t("signIn.email"),
      t("admin.column.unit"),
      t("feedback.profession.label"),
      t("compliance.column.course"),
      t("compliance.column.dueOn"),
      t("admin.column.status"),
      t("compliance.column.completedOn"),
    ],
    rows,
  );
}

/** How many overdue people an overview lists; the counts above it give the whole number. */
export const OVERDUE_LISTED = 100;

/**
 * What an overview page shows of its scope: the counts, filtered by course when `requestedCourse`
 * names one of the scope's courses (anything else shows them all), and the longest overdue.
 */
export function complianceOverview(scope: ComplianceScope, requestedCourse: string | null, now = new Date()) {
  let courseId = idFromPath(requestedCourse);
  let summary = complianceSummary(scope, { courseId }, now);
  if (courseId && !summary.courses.some((course) => course.id === courseId)) {
    courseId = null;
    summary = complianceSummary(scope, {}, now);
  }
  return { scope, summary, courseId, overdue: overdueRounds(scope, now, OVERDUE_LISTED, { courseId }) };
}
