import { asc, eq, sql, type SQL } from "drizzle-orm";
import {
  courses,
  measurementItems,
  measurements,
  quizQuestions,
  type MeasurementAudience,
  type MeasurementItemKind,
} from "#db/schema";
import { db } from "~/db.server";
import { invariantResponse } from "~/utils/http.server";
import { MIN_GROUP, type ReportFilters } from "~/feedback/forms";
import type { Comparison } from "./report-labels";
import { meanWithInterval, pairedChange, type Estimate, type PairedChange, type PairedSums } from "./statistics";

/** The owner sees every municipality; an admin only the one they chose of their own. */
export type MeasurementViewer = { kind: "owner" } | { kind: "admin"; organisationId: number };

export type ItemFigures = {
  id: number;
  audience: MeasurementAudience;
  kind: MeasurementItemKind;
  text: string;
  lowLabel: string | null;
  highLabel: string | null;
  /** Staff items: the paired change to each later moment; null where fewer than MIN_GROUP pairs. */
  changes: Record<Comparison, PairedChange | null>;
  /** Leader items: the level at the leaders' follow-up; null where fewer than MIN_GROUP answers. */
  level: Estimate | null;
};

export type MeasurementReport = {
  measurementId: number;
  courseId: number;
  courseTitle: string;
  /** none: nobody in the selection has answered; tooFew: answers, but no figure reaches MIN_GROUP. */
  status: "none" | "tooFew" | "shown";
  items: ItemFigures[];
};

/** The courses that have a measurement, in catalogue order: the report's course picker. */
function measuredCourses() {
  return db
    .select({ id: courses.id, title: courses.title, measurementId: measurements.id })
    .from(measurements)
    .innerJoin(courses, eq(courses.id, measurements.courseId))
    .orderBy(asc(courses.position))
    .all();
}

/** The admin's municipality replaces whatever the address said; the owner's filters stand. */
function scopedFilters(viewer: MeasurementViewer, filters: ReportFilters): ReportFilters {
  return viewer.kind === "admin" ? { ...filters, organisationId: viewer.organisationId } : filters;
}

const staffMoments = sql`('baseline', 'completion', 'followUp')`;
const leaderMoments = sql`('leaderFollowUp')`;

/**
 * The municipality × profession groups of a measurement with at least MIN_GROUP persons at the
 * given moments, counted over the whole measurement whatever the filters (as the feedback report
 * counts its groups), so setting one filtered view against another never singles out fewer.
 */
export function eligibleGroups(measurementId: number, moments: SQL) {
  return sql`eligible as (
    select organisation_id, profession from measurement_responses
    where measurement_id = ${measurementId} and moment in ${moments}
    group by organisation_id, profession
    having count(distinct pseudonym) >= ${MIN_GROUP})`;
}

/** The viewer's and the filters' limits on a response, written against the given table alias. */
export function responseScope(alias: SQL, filters: ReportFilters) {
  return sql`${filters.organisationId ? sql`and ${alias}.organisation_id = ${filters.organisationId}` : sql``}
    ${filters.profession ? sql`and ${alias}.profession = ${filters.profession}` : sql``}`;
}

/**
 * The same person at a later moment, counted only where that response carries the same
 * municipality and profession as the baseline: a pair belongs to one group or to none.
 */
export function laterResponse(later: SQL, moments: SQL) {
  return sql`${later}.measurement_id = b.measurement_id and ${later}.pseudonym = b.pseudonym
    and ${later}.moment in ${moments} and ${later}.organisation_id = b.organisation_id
    and ${later}.profession is b.profession`;
}

type PairedRow = PairedSums & { itemId: number; moment: Comparison };
type LevelRow = { itemId: number; count: number; sum: number; sumOfSquares: number };

/** Per staff item and later moment, the sums of the pairs; the pairing and adding up happen in SQLite. */
function pairedSums(measurementId: number, filters: ReportFilters): PairedRow[] {
  return db.all<PairedRow>(sql`
    with ${eligibleGroups(measurementId, staffMoments)}
    select ba.item_id as itemId, a.moment as moment, count(*) as pairs,
      sum(ba.value) as sumBefore, sum(aa.value) as sumAfter, sum(aa.value - ba.value) as sumChange,
      sum((aa.value - ba.value) * (aa.value - ba.value)) as sumChangeSquared
    from measurement_responses b
    join eligible g on g.organisation_id = b.organisation_id and g.profession is b.profession
    join measurement_responses a on ${laterResponse(sql`a`, sql`('completion', 'followUp')`)}
    join measurement_answers ba on ba.response_id = b.id
    join measurement_answers aa on aa.response_id = a.id and aa.item_id = ba.item_id
    where b.measurement_id = ${measurementId} and b.moment = 'baseline' ${responseScope(sql`b`, filters)}
    group by ba.item_id, a.moment`);
}

/** Per leader item, the count, sum and sum of squares of the answers at the leaders' follow-up. */
function levelSums(measurementId: number, filters: ReportFilters): LevelRow[] {
  return db.all<LevelRow>(sql`
    with ${eligibleGroups(measurementId, leaderMoments)}
    select la.item_id as itemId, count(*) as count, sum(la.value) as sum, sum(la.value * la.value) as sumOfSquares
    from measurement_responses r
    join eligible g on g.organisation_id = r.organisation_id and g.profession is r.profession
    join measurement_answers la on la.response_id = r.id
    where r.measurement_id = ${measurementId} and r.moment = 'leaderFollowUp' ${responseScope(sql`r`, filters)}
    group by la.item_id`);
}

/** Whether anyone in the selection has answered at all, before any group is left out. */
function anyResponse(measurementId: number, filters: ReportFilters) {
  return (
    db.get<{ found: number }>(sql`
      select exists (select 1 from measurement_responses r
        where r.measurement_id = ${measurementId} ${responseScope(sql`r`, filters)}) as found`)?.found === 1
  );
}

/** The measurement's items in order, staff first; a knowledge item reads its text from the quiz question. */
export function measurementItemList(measurementId: number, audience?: MeasurementAudience) {
  return db
    .select({
      id: measurementItems.id,
      audience: measurementItems.audience,
      kind: measurementItems.kind,
      text: sql<string>`coalesce(${quizQuestions.text}, ${measurementItems.text})`,
      lowLabel: measurementItems.lowLabel,
      highLabel: measurementItems.highLabel,
    })
    .from(measurementItems)
    .leftJoin(quizQuestions, eq(quizQuestions.id, measurementItems.quizQuestionId))
    .where(eq(measurementItems.measurementId, measurementId))
    .orderBy(sql`${measurementItems.audience} = 'leader'`, asc(measurementItems.position))
    .all()
    .filter((item) => !audience || item.audience === audience);
}

/**
 * The before-and-after figures of one course's measurement as the viewer may see them. Groups
 * under MIN_GROUP persons are left out before anything is added up, and any figure drawn from
 * fewer than MIN_GROUP pairs or answers is left out of the data altogether, not merely hidden.
 */
function measurementReport(
  viewer: MeasurementViewer,
  measured: { id: number; title: string; measurementId: number },
  requested: ReportFilters,
): MeasurementReport {
  const filters = scopedFilters(viewer, requested);
  const { measurementId } = measured;
  const base = { measurementId, courseId: measured.id, courseTitle: measured.title };
  if (!anyResponse(measurementId, filters)) return { ...base, status: "none", items: [] };

  const paired = new Map(pairedSums(measurementId, filters).map((row) => [`${row.itemId}:${row.moment}`, row]));
  const levels = new Map(levelSums(measurementId, filters).map((row) => [row.itemId, row]));
  const shown = <T extends { pairs: number } | { count: number }>(row: T | undefined) =>
    row && ("pairs" in row ? row.pairs : row.count) >= MIN_GROUP ? row : undefined;

  const items = measurementItemList(measurementId, filters.audience).map((item): ItemFigures => {
    const changeTo = (moment: Comparison) => {
      const row = shown(paired.get(`${item.id}:${moment}`));
      return row ? pairedChange(row) : null;
    };
    const level = shown(levels.get(item.id));
    return {
      ...item,
      changes: { completion: changeTo("completion"), followUp: changeTo("followUp") },
      level: level ? meanWithInterval(level) : null,
    };
  });
  const anyFigure = items.some((item) => item.level || item.changes.completion || item.changes.followUp);
  return { ...base, status: anyFigure ? "shown" : "tooFew", items: anyFigure ? items : [] };
}

/**
 * What a report page shows: the measured courses for its picker, the course the filters name (the
 * first measured one when they name none; a course without a measurement is a 404) and its figures.
 */
export function measurementReportPage(viewer: MeasurementViewer, requested: ReportFilters) {
  const measured = measuredCourses();
  const chosen = requested.courseId ? measured.find((course) => course.id === requested.courseId) : measured[0];
  invariantResponse(!requested.courseId || chosen, "measurementReport.courseWithout", { status: 404 });
  return {
    courses: measured.map(({ id, title }) => ({ id, title })),
    filters: { ...requested, courseId: chosen?.id },
    report: chosen ? measurementReport(viewer, chosen, requested) : null,
  };
}
