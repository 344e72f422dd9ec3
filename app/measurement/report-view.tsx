import type { MeasurementItemKind } from "#db/schema";
import { MIN_GROUP } from "~/feedback/forms";
import type { MessageKey } from "~/i18n/da";
import { audienceLabels } from "~/feedback/report-view";
import { intlLocale, useLanguage, useT } from "~/i18n/i18n";
import { comparisonLabels, comparisons } from "./report-labels";
import type { ItemFigures, MeasurementReport } from "./report.server";
import type { Estimate } from "./statistics";

type Formatter = (value: number) => string;

/** Statements on their scale with one decimal; knowledge items as percentages (or percentage points, signed). */
function useFormats() {
  const language = useLanguage();
  const locale = intlLocale(language);
  const decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const signedDecimal = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: "exceptZero",
  });
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const signedWhole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, signDisplay: "exceptZero" });
  return (kind: MeasurementItemKind) =>
    kind === "knowledge"
      ? {
          level: ((value) => `${whole.format(value * 100)} %`) as Formatter,
          change: ((value) => signedWhole.format(value * 100)) as Formatter,
        }
      : {
          level: ((value) => decimal.format(value)) as Formatter,
          change: ((value) => signedDecimal.format(value)) as Formatter,
        };
}

/** Where a value sits on an axis from `from` to `to`, as a percentage of the track. */
const position = (value: number, from: number, to: number) =>
  `${(Math.min(Math.max((value - from) / (to - from), 0), 1) * 100).toFixed(2)}%`;

/** A dot at the estimate and a whisker over its interval on a track, with zero (or the scale) marked. */
function IntervalTrack({ estimate, from, to, zero }: { estimate: Estimate; from: number; to: number; zero?: number }) {
  const low = estimate.low ?? estimate.mean;
  const high = estimate.high ?? estimate.mean;
  const direction =
    zero === undefined
      ? ""
      : estimate.low != null && estimate.low > 0
        ? " is-up"
        : estimate.high != null && estimate.high < 0
          ? " is-down"
          : "";
  return (
    <span className={`measurement-track${direction}`} aria-hidden="true">
      {zero === undefined ? null : (
        <span className="measurement-track__zero" style={{ left: position(zero, from, to) }} />
      )}
      <span
        className="measurement-track__whisker"
        style={{
          left: position(low, from, to),
          width: `calc(${position(high, from, to)} - ${position(low, from, to)})`,
        }}
      />
      <span className="measurement-track__dot" style={{ left: position(estimate.mean, from, to) }} />
    </span>
  );
}

/** Half the width of the change axis: the widest interval shown of the kind, at least one step, so items compare on one scale. */
function changeExtent(items: ItemFigures[], kind: MeasurementItemKind) {
  const step = kind === "knowledge" ? 0.25 : 0.5;
  const widest = Math.max(
    step,
    ...items
      .filter((item) => item.kind === kind)
      .flatMap((item) => Object.values(item.changes))
      .flatMap((change) => (change ? [Math.abs(change.change.low ?? 0), Math.abs(change.change.high ?? 0)] : [])),
  );
  return Math.ceil(widest / step) * step;
}

function StaffItem({ item, extent }: { item: ItemFigures; extent: number }) {
  const t = useT();
  const format = useFormats()(item.kind);
  return (
    <li className="measurement-item">
      <p className="measurement-item__text">
        {item.text}
        {item.kind === "knowledge" ? (
          <span className="course-card__meta"> · {t("measurementReport.knowledge")}</span>
        ) : null}
      </p>
      <dl className="measurement-rows">
        {comparisons.map((comparison) => {
          const figure = item.changes[comparison];
          return (
            <div key={comparison} className="measurement-row">
              <dt>{t(comparisonLabels[comparison])}</dt>
              {figure ? (
                <>
                  <dd className="measurement-row__chart">
                    <IntervalTrack estimate={figure.change} from={-extent} to={extent} zero={0} />
                  </dd>
                  <dd className="measurement-row__figures">
                    <strong>
                      {t(item.kind === "knowledge" ? "measurementReport.changePoints" : "measurementReport.change", {
                        change: format.change(figure.change.mean),
                      })}
                    </strong>{" "}
                    {t("measurementReport.interval", {
                      low: format.change(figure.change.low ?? figure.change.mean),
                      high: format.change(figure.change.high ?? figure.change.mean),
                    })}
                    <br />
                    {t("measurementReport.beforeAfter", {
                      before: format.level(figure.meanBefore),
                      after: format.level(figure.meanAfter),
                      pairs: figure.pairs,
                    })}
                  </dd>
                </>
              ) : (
                <dd className="feedback-too-few">{t("measurementReport.tooFewPairs", { min: MIN_GROUP })}</dd>
              )}
            </div>
          );
        })}
      </dl>
    </li>
  );
}

function LeaderItem({ item }: { item: ItemFigures }) {
  const t = useT();
  const format = useFormats()(item.kind);
  const level = item.level;
  return (
    <li className="measurement-item">
      <p className="measurement-item__text">{item.text}</p>
      {level ? (
        <div className="measurement-row measurement-row--level">
          <span className="measurement-row__chart">
            <IntervalTrack estimate={level} from={1} to={5} />
            <span className="measurement-scale" aria-hidden="true">
              <span>1{item.lowLabel ? ` – ${item.lowLabel}` : ""}</span>
              <span>5{item.highLabel ? ` – ${item.highLabel}` : ""}</span>
            </span>
          </span>
          <p className="measurement-row__figures">
            <strong>{t("measurementReport.mean", { mean: format.level(level.mean) })}</strong>{" "}
            {t("measurementReport.interval", {
              low: format.level(level.low ?? level.mean),
              high: format.level(level.high ?? level.mean),
            })}{" "}
            · {t("measurementReport.answers", { count: level.count })}
          </p>
        </div>
      ) : (
        <p className="feedback-too-few">{t("measurementReport.tooFewAnswers", { min: MIN_GROUP })}</p>
      )}
    </li>
  );
}

type TableRow = { key: string; item: string; tooFew: MessageKey; comparison: string; cells: string[] | null };

/** The same figures as a table, for screen readers and anyone who would rather read rows. */
function FiguresTable({ items }: { items: ItemFigures[] }) {
  const t = useT();
  const formats = useFormats();
  const rows = items.flatMap((item): TableRow[] => {
    const format = formats(item.kind);
    if (item.audience === "leader") {
      const level = item.level;
      return [
        {
          key: `${item.id}`,
          item: item.text,
          tooFew: "measurementReport.tooFewAnswers",
          comparison: t("measurementReport.comparison.leaderFollowUp"),
          cells: level
            ? [
                String(level.count),
                "",
                format.level(level.mean),
                `${format.level(level.low ?? level.mean)} – ${format.level(level.high ?? level.mean)}`,
              ]
            : null,
        },
      ];
    }
    return comparisons.map((comparison) => {
      const figure = item.changes[comparison];
      return {
        key: `${item.id}-${comparison}`,
        item: item.text,
        tooFew: "measurementReport.tooFewPairs",
        comparison: t(comparisonLabels[comparison]),
        cells: figure
          ? [
              String(figure.pairs),
              `${format.level(figure.meanBefore)} → ${format.level(figure.meanAfter)}`,
              format.change(figure.change.mean),
              `${format.change(figure.change.low ?? figure.change.mean)} – ${format.change(figure.change.high ?? figure.change.mean)}`,
            ]
          : null,
      };
    });
  });
  return (
    // A table with the class itself would still be as wide as its cells and widen the page; its box is not.
    <div className="visually-hidden">
      <table>
        <caption>{t("measurementReport.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("measurementReport.column.item")}</th>
            <th scope="col">{t("measurementReport.column.comparison")}</th>
            <th scope="col">{t("measurementReport.column.count")}</th>
            <th scope="col">{t("measurementReport.column.beforeAfter")}</th>
            <th scope="col">{t("measurementReport.column.estimate")}</th>
            <th scope="col">{t("measurementReport.column.interval")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.item}</th>
              <td>{row.comparison}</td>
              {row.cells ? (
                row.cells.map((cell, index) => <td key={index}>{cell}</td>)
              ) : (
                <td colSpan={4}>{t(row.tooFew, { min: MIN_GROUP })}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One course's report: the staff's paired changes, then the leaders' follow-up, or why there are no figures. */
export function MeasurementReportView({ report }: { report: MeasurementReport }) {
  const t = useT();
  const staff = report.items.filter((item) => item.audience === "staff");
  const leaders = report.items.filter((item) => item.audience === "leader");
  return (
    <section className="card measurement-report" aria-labelledby="measurement-course">
      <h2 id="measurement-course">{report.courseTitle}</h2>
      {report.status === "none" ? <p>{t("measurementReport.none")}</p> : null}
      {report.status === "tooFew" ? (
        <p className="feedback-too-few">{t("measurementReport.tooFew", { min: MIN_GROUP })}</p>
      ) : null}
      {report.status === "shown" ? (
        <>
          <p className="measurement-explainer">{t("measurementReport.explainer")}</p>
          {staff.length > 0 ? (
            <section aria-labelledby="measurement-staff">
              <h3 id="measurement-staff">{t(audienceLabels.staff)}</h3>
              <ul className="measurement-items">
                {staff.map((item) => (
                  <StaffItem key={item.id} item={item} extent={changeExtent(staff, item.kind)} />
                ))}
              </ul>
            </section>
          ) : null}
          {leaders.length > 0 ? (
            <section aria-labelledby="measurement-leaders">
              <h3 id="measurement-leaders">{t("measurementReport.leaders")}</h3>
              <ul className="measurement-items">
                {leaders.map((item) => (
                  <LeaderItem key={item.id} item={item} />
                ))}
              </ul>
            </section>
          ) : null}
          <FiguresTable items={report.items} />
        </>
      ) : null}
    </section>
  );
}
