import { randomInt } from "node:crypto";
import { sql } from "drizzle-orm";
import type { MeasurementItemKind, Profession } from "#db/schema";
import { db } from "~/db.server";
import type { ReportFilters } from "~/feedback/forms";
import { professionLabels } from "~/feedback/professions";
import type { Translate } from "~/i18n/i18n";
import { toCsv } from "~/utils/csv.server";
import { comparisonLabels, comparisons } from "./report-labels";
import {
  eligibleGroups,
  laterResponse,
  measurementItemList,
  responseScope,
  type ItemFigures,
  type MeasurementReport,
} from "./report.server";
import type { Estimate } from "./statistics";

/** Knowledge items are shares right, written as percentages; statements stay on their scale. */
const inUnit = (kind: MeasurementItemKind, value: number) =>
  Math.round((kind === "knowledge" ? value * 100 : value) * 100) / 100;

const professionName = (t: Translate, profession: Profession | null) =>
  profession ? t(professionLabels[profession]) : t("feedback.report.professionUnknown");

function figureRow(
  t: Translate,
  item: ItemFigures,
  comparison: string,
  estimate: Estimate,
  before?: number,
  after?: number,
) {
  const value = (number: number | null | undefined) => (number == null ? "" : inUnit(item.kind, number));
  return [
    item.text,
    t(item.audience === "leader" ? "feedback.audience.leader" : "feedback.audience.staff"),
    t(item.kind === "knowledge" ? "measurementReport.unit.percent" : "measurementReport.unit.scale"),
    comparison,
    estimate.count,
    value(before),
    value(after),
    value(estimate.mean),
    value(estimate.low),
    value(estimate.high),
  ];
}

/**
 * The report's figures as a CSV file, one row per figure shown: the same figures as the page,
 * so a figure drawn from too few answers is absent here too.
 */
export function figuresCsv(report: MeasurementReport, t: Translate): string {
  const rows = report.items.flatMap((item) => {
    if (item.audience === "leader")
      return item.level ? [figureRow(t, item, t("measurementReport.comparison.leaderFollowUp"), item.level)] : [];
    return comparisons.flatMap((comparison) => {
      const change = item.changes[comparison];
      return change
        ? [figureRow(t, item, t(comparisonLabels[comparison]), change.change, change.meanBefore, change.meanAfter)]
        : [];
    });
  });
  return toCsv(
    [
      t("measurementReport.column.item"),
      t("feedback.report.audience"),
      t("measurementReport.column.unit"),
      t("measurementReport.column.comparison"),
      t("measurementReport.column.count"),
      t("measurementReport.column.before"),
      t("measurementReport.column.after"),
      t("measurementReport.column.estimate"),
      t("measurementReport.column.low"),
      t("measurementReport.column.high"),
    ],
    rows,
  );
}

type PairedRow = {
  pseudonym: string;
  organisationName: string;
  profession: Profession | null;
  itemId: number;
  baseline: number;
  completion: number | null;
  followUp: number | null;
};

/** A fresh random order of the people in one export, numbered from 1, so no number means anything in the next. */
function freshNumbers(pseudonyms: string[]) {
  const shuffled = [...new Set(pseudonyms)];
  for (let index = shuffled.length - 1; index > 0; index--) {
    const other = randomInt(index + 1);
    [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
  }
  return new Map(shuffled.map((pseudonym, index) => [pseudonym, index + 1]));
}

/**
 * The owner's paired rows for their own analysis: per person and staff item, the answer at
 * baseline and at completion and follow-up where the same person answered in the same group. Only
 * from groups of at least MIN_GROUP; the person is a number drawn afresh for each export, never the
 * pseudonym, so two exports cannot be laid side by side person by person.
 */
export function pairedRowsCsv(measurementId: number, filters: ReportFilters, t: Translate): string {
  const rows = db.all<PairedRow>(sql`
    with ${eligibleGroups(measurementId, sql`('baseline', 'completion', 'followUp')`)}
    select b.pseudonym as pseudonym, o.name as organisationName, b.profession as profession, ba.item_id as itemId,
      ba.value as baseline, ca.value as completion, fa.value as followUp
    from measurement_responses b
    join eligible g on g.organisation_id = b.organisation_id and g.profession is b.profession
    join organisations o on o.id = b.organisation_id
    join measurement_answers ba on ba.response_id = b.id
    left join measurement_responses c on ${laterResponse(sql`c`, sql`('completion')`)}
    left join measurement_answers ca on ca.response_id = c.id and ca.item_id = ba.item_id
    left join measurement_responses f on ${laterResponse(sql`f`, sql`('followUp')`)}
    left join measurement_answers fa on fa.response_id = f.id and fa.item_id = ba.item_id
    where b.measurement_id = ${measurementId} and b.moment = 'baseline' ${responseScope(sql`b`, filters)}
      and (ca.value is not null or fa.value is not null)`);
  const items = measurementItemList(measurementId, "staff");
  const itemOrder = new Map(items.map((item, index) => [item.id, index]));
  const itemById = new Map(items.map((item) => [item.id, item]));
  const numbers = freshNumbers(rows.map((row) => row.pseudonym));
  const numbered = rows
    .map((row) => ({ ...row, person: numbers.get(row.pseudonym)! }))
    .sort((a, b) => a.person - b.person || itemOrder.get(a.itemId)! - itemOrder.get(b.itemId)!);
  return toCsv(
    [
      t("measurementReport.column.person"),
      t("feedback.report.organisation"),
      t("feedback.report.profession"),
      t("measurementReport.column.item"),
      t("measurementReport.column.unit"),
      t("measurementReport.moment.baseline"),
      t("measurementReport.moment.completion"),
      t("measurementReport.moment.followUp"),
    ],
    numbered.map((row) => {
      const item = itemById.get(row.itemId)!;
      return [
        row.person,
        row.organisationName,
        professionName(t, row.profession),
        item.text,
        t(item.kind === "knowledge" ? "measurementReport.unit.rightWrong" : "measurementReport.unit.scale"),
        row.baseline,
        row.completion,
        row.followUp,
      ];
    }),
  );
}
