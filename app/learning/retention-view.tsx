import { formatClock, formatPercent, intlLocale, useLanguage, useT } from "~/i18n/i18n";
import {
  biggestDropOffs,
  retentionBuckets,
  tenthsOfFilm,
  type RetentionBucket,
  type RetentionCounts,
} from "./retention";

// The chart is drawn in its own units and scaled to the page; the text is large enough to stay
// legible when a 360 px screen shrinks the drawing to two thirds.
const WIDTH = 480;
const PAD = { left: 62, right: 16 };
const CURVE = { top: 12, bottom: 172 };
const AXIS_LABEL_Y = 198;
const BARS = { top: 218, bottom: 274 };
const HEIGHT = 286;

const span = (bucket: RetentionBucket) => `${formatClock(bucket.start)}–${formatClock(bucket.end)}`;

/** The curve of the share still watching, with bars for where viewings stopped or skipped ahead below it. */
function RetentionChart({ counts, buckets }: { counts: RetentionCounts; buckets: RetentionBucket[] }) {
  const language = useLanguage();
  const { durationSeconds, viewings, watching } = counts;
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const x = (second: number) => PAD.left + (second / durationSeconds) * innerWidth;
  const y = (share: number) => CURVE.bottom - share * (CURVE.bottom - CURVE.top);
  const curve = [
    `${x(0)},${y(watching[0]! / viewings)}`,
    ...watching.map((count, second) => `${x(second + 0.5)},${y(count / viewings)}`),
    `${x(durationSeconds)},${y(watching[durationSeconds - 1]! / viewings)}`,
  ].join(" ");
  const highestBar = Math.max(1, ...buckets.map((bucket) => Math.max(bucket.dropOffs, bucket.seekAways)));
  const barHeight = (count: number) => (count / highestBar) * (BARS.bottom - BARS.top);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => Math.round(fraction * durationSeconds));
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="retention-chart" aria-hidden="true" focusable="false">
      {[0, 0.5, 1].map((share) => (
        <g key={share}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(share)} y2={y(share)} className="retention-chart__grid" />
          <text x={PAD.left - 6} y={y(share) + 6} textAnchor="end" className="retention-chart__label">
            {formatPercent(language, share)}
          </text>
        </g>
      ))}
      <polyline points={curve} className="retention-chart__curve" />
      {ticks.map((second, index) => (
        <text
          key={second}
          x={x(second)}
          y={AXIS_LABEL_Y}
          textAnchor={index === 0 ? "start" : index === ticks.length - 1 ? "end" : "middle"}
          className="retention-chart__label"
        >
          {formatClock(second)}
        </text>
      ))}
      <line x1={PAD.left} x2={WIDTH - PAD.right} y1={BARS.bottom} y2={BARS.bottom} className="retention-chart__grid" />
      <text x={PAD.left - 6} y={BARS.top + 12} textAnchor="end" className="retention-chart__label">
        {highestBar}
      </text>
      {buckets.map((bucket) => {
        const half = (x(bucket.end) - x(bucket.start)) / 2;
        return (
          <g key={bucket.start}>
            <rect
              x={x(bucket.start)}
              y={BARS.bottom - barHeight(bucket.dropOffs)}
              width={Math.max(0, half - 0.5)}
              height={barHeight(bucket.dropOffs)}
              className="retention-chart__drop"
            />
            <rect
              x={x(bucket.start) + half}
              y={BARS.bottom - barHeight(bucket.seekAways)}
              width={Math.max(0, half - 0.5)}
              height={barHeight(bucket.seekAways)}
              className="retention-chart__seek"
            />
          </g>
        );
      })}
    </svg>
  );
}

/** The retention of a film for a group of at least the minimum: chart, figures written out and a table for screen readers. */
export function RetentionReport({ counts, people }: { counts: RetentionCounts; people: number }) {
  const t = useT();
  const language = useLanguage();
  const buckets = retentionBuckets(counts);
  const biggest = biggestDropOffs(buckets);
  const places = new Intl.ListFormat(intlLocale(language), { type: "conjunction" }).format(
    biggest.map((bucket) => t("retention.dropOffPlace", { span: span(bucket), count: bucket.dropOffs })),
  );
  const shareAt = (second: number) => formatPercent(language, counts.watching[second]! / counts.viewings);
  return (
    <>
      <p>
        {t("retention.viewers", { people })}{" "}
        {counts.viewings > people ? t("retention.rounds", { viewings: counts.viewings }) : null}
      </p>
      <figure className="retention-figure">
        <figcaption>{t("retention.chartCaption")}</figcaption>
        <RetentionChart counts={counts} buckets={buckets} />
        <ul className="retention-legend">
          <li>
            <span className="retention-legend__swatch retention-legend__swatch--curve" aria-hidden="true" />
            {t("retention.legend.watching")}
          </li>
          <li>
            <span className="retention-legend__swatch retention-legend__swatch--drop" aria-hidden="true" />
            {t("retention.legend.dropOffs")}
          </li>
          <li>
            <span className="retention-legend__swatch retention-legend__swatch--seek" aria-hidden="true" />
            {t("retention.legend.seekAways")}
          </li>
        </ul>
      </figure>
      <h3 id="retention-tenths">{t("retention.tenthsHeading")}</h3>
      <ul className="retention-tenths" aria-labelledby="retention-tenths">
        {tenthsOfFilm(counts).map((tenth) => (
          <li key={tenth.second}>
            {t("retention.tenth", { time: formatClock(tenth.second), percent: formatPercent(language, tenth.share) })}
          </li>
        ))}
      </ul>
      <p>{biggest.length > 0 ? t("retention.biggestDropOffs", { places }) : t("retention.noDropOffs")}</p>
      {/* Hidden by its wrapper: a table grows to fit its cells, whatever width it is given, and would widen a phone's page. */}
      <div className="visually-hidden">
        <table>
          <caption>{t("retention.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("retention.column.span")}</th>
              <th scope="col">{t("retention.column.watching")}</th>
              <th scope="col">{t("retention.column.dropOffs")}</th>
              <th scope="col">{t("retention.column.seekAways")}</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket) => (
              <tr key={bucket.start}>
                <th scope="row">{span(bucket)}</th>
                <td>{shareAt(bucket.start)}</td>
                <td>{bucket.dropOffs}</td>
                <td>{bucket.seekAways}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
