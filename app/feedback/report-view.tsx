import { Form } from "@remix-run/react";
import type { FeedbackAudience } from "#db/schema";
import type { MessageKey } from "~/i18n/da";
import { intlLocale, useLanguage, useT, type Language, type Translate } from "~/i18n/i18n";
import { audienceSlugs, MIN_GROUP, scoreRange, type ReportFilters } from "./forms";
import { ProfessionFilter } from "./profession-filter";
import { professionLabels } from "./professions";
import type { Bar, BreakdownRow, FormReport, QuestionReport, TrendPoint } from "./reports.server";
import { ScrollingTable } from "~/components/scrolling-table";

export const audienceLabels: Record<FeedbackAudience, MessageKey> = {
  staff: "feedback.audience.staff",
  leader: "feedback.audience.leader",
};

function useNumber() {
  const language = useLanguage();
  return new Intl.NumberFormat(intlLocale(language), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function monthLabel(language: Language, month: string) {
  return new Intl.DateTimeFormat(intlLocale(language), { month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${month}-01T12:00:00Z`),
  );
}

type FilterOptions = { courses: { id: number; title: string }[]; organisations: { id: number; name: string }[] };

/** The report filters as an ordinary GET form, so a filtered view is a link that can be shared or bookmarked. */
export function ReportFilterForm({
  options,
  filters,
  organisationId,
  courseRequired = false,
}: {
  options: FilterOptions;
  filters: Partial<ReportFilters>;
  organisationId?: number;
  /** A report about one course at a time offers no "all courses". */
  courseRequired?: boolean;
}) {
  const t = useT();
  return (
    <Form method="get" className="card feedback-filters" aria-label={t("feedback.report.filters")}>
      {organisationId ? <input type="hidden" name="organisation" value={organisationId} /> : null}
      <div className="field">
        <label htmlFor="filter-course">{t("feedback.report.course")}</label>
        <select id="filter-course" name="kursus" defaultValue={filters.courseId ?? ""}>
          {courseRequired ? null : <option value="">{t("feedback.report.allCourses")}</option>}
          {options.courses.map((course) => (
            <option key={course.id} value={course.id}>
              {course.title}
            </option>
          ))}
        </select>
      </div>
      {options.organisations.length > 0 ? (
        <div className="field">
          <label htmlFor="filter-organisation">{t("feedback.report.organisation")}</label>
          <select id="filter-organisation" name="kommune" defaultValue={filters.organisationId ?? ""}>
            <option value="">{t("feedback.report.allOrganisations")}</option>
            {options.organisations.map((organisation) => (
              <option key={organisation.id} value={organisation.id}>
                {organisation.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="filter-audience">{t("feedback.report.audience")}</label>
        <select
          id="filter-audience"
          name="rolle"
          defaultValue={filters.audience ? audienceSlugs[filters.audience] : ""}
        >
          <option value="">{t("feedback.report.allAudiences")}</option>
          <option value={audienceSlugs.staff}>{t("feedback.audience.staff")}</option>
          <option value={audienceSlugs.leader}>{t("feedback.audience.leader")}</option>
        </select>
      </div>
      <ProfessionFilter id="filter-profession" value={filters.profession} />
      <div>
        <button type="submit" className="button">
          {t("feedback.report.apply")}
        </button>
      </div>
    </Form>
  );
}

function TooFew() {
  const t = useT();
  return <p className="feedback-too-few">{t("feedback.report.tooFew", { min: MIN_GROUP })}</p>;
}

function scoreLabel(t: Translate, question: QuestionReport, value: string) {
  if (question.kind === "scale") {
    if (value === "1" && question.lowLabel) return `1 – ${question.lowLabel}`;
    if (value === "5" && question.highLabel) return `5 – ${question.highLabel}`;
  }
  if (question.kind === "recommend") {
    if (value === "0") return `0 – ${t("feedback.recommend.low")}`;
    if (value === "10") return `10 – ${t("feedback.recommend.high")}`;
  }
  return value;
}

/** A horizontal bar per value, with the count and share written out so the bars are never the only carrier. */
function Bars({ question, bars }: { question: QuestionReport; bars: Bar[] }) {
  const t = useT();
  const language = useLanguage();
  const total = bars.reduce((sum, bar) => sum + bar.count, 0);
  const percent = new Intl.NumberFormat(intlLocale(language), { style: "percent", maximumFractionDigits: 0 });
  return (
    <ul className="feedback-bars" aria-label={t("feedback.report.distributionFor", { question: question.text })}>
      {bars.map((bar) => {
        const share = total > 0 ? bar.count / total : 0;
        return (
          <li key={bar.value} className="feedback-bars__row">
            <span className="feedback-bars__label">
              {question.kind === "choice" ? bar.value : scoreLabel(t, question, bar.value)}
            </span>
            <span className="feedback-bars__track" aria-hidden="true">
              <span className="feedback-bars__fill" style={{ width: `${Math.round(share * 100)}%` }} />
            </span>
            <span className="feedback-bars__count">
              {t("feedback.report.barCount", { count: bar.count, percent: percent.format(share) })}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

const TREND_WIDTH = 320;
const TREND_HEIGHT = 140;
const PAD = { left: 28, right: 12, top: 12, bottom: 28 };

/** The mean month by month as a small line chart, with the same figures in a table for screen readers. */
function Trend({
  question,
  points,
}: {
  question: QuestionReport & { kind: "scale" | "recommend" };
  points: TrendPoint[];
}) {
  const t = useT();
  const language = useLanguage();
  const number = useNumber();
  if (points.length < 2) return <p className="field__hint">{t("feedback.report.trendOneMonth")}</p>;
  const { min, max } = scoreRange[question.kind];
  const innerWidth = TREND_WIDTH - PAD.left - PAD.right;
  const innerHeight = TREND_HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) => PAD.left + (index / (points.length - 1)) * innerWidth;
  const y = (mean: number) => PAD.top + innerHeight - ((mean - min) / (max - min)) * innerHeight;
  // A month with too few answers breaks the line rather than being bridged.
  const segments: { index: number; mean: number }[][] = [[]];
  points.forEach((point, index) => {
    if (point.mean == null) segments.push([]);
    else segments[segments.length - 1]!.push({ index, mean: point.mean });
  });
  return (
    <figure className="feedback-trend">
      <figcaption>{t("feedback.report.trend")}</figcaption>
      <svg
        viewBox={`0 0 ${TREND_WIDTH} ${TREND_HEIGHT}`}
        className="feedback-trend__chart"
        aria-hidden="true"
        focusable="false"
      >
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + innerHeight} className="feedback-trend__axis" />
        <line
          x1={PAD.left}
          y1={PAD.top + innerHeight}
          x2={TREND_WIDTH - PAD.right}
          y2={PAD.top + innerHeight}
          className="feedback-trend__axis"
        />
        <text x={PAD.left - 6} y={y(max) + 4} textAnchor="end" className="feedback-trend__label">
          {max}
        </text>
        <text x={PAD.left - 6} y={y(min) + 4} textAnchor="end" className="feedback-trend__label">
          {min}
        </text>
        {segments
          .filter((segment) => segment.length > 1)
          .map((segment) => (
            <polyline
              key={segment[0]!.index}
              points={segment.map((p) => `${x(p.index)},${y(p.mean)}`).join(" ")}
              className="feedback-trend__line"
            />
          ))}
        {segments.flat().map((p) => (
          <circle key={p.index} cx={x(p.index)} cy={y(p.mean)} r={3.5} className="feedback-trend__point" />
        ))}
        {points.map((point, index) => (
          <text
            key={point.month}
            x={x(index)}
            y={TREND_HEIGHT - 8}
            textAnchor="middle"
            className="feedback-trend__label"
          >
            {monthLabel(language, point.month)}
          </text>
        ))}
      </svg>
      <table className="visually-hidden">
        <caption>{t("feedback.report.trendFor", { question: question.text })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("feedback.report.month")}</th>
            <th scope="col">{t("feedback.report.mean")}</th>
            <th scope="col">{t("feedback.report.answers")}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.month}>
              <th scope="row">{monthLabel(language, point.month)}</th>
              {point.mean == null ? (
                <td colSpan={2}>{t("feedback.report.tooFew", { min: MIN_GROUP })}</td>
              ) : (
                <td>{number.format(point.mean)}</td>
              )}
              {point.mean == null ? null : <td>{point.count}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function Breakdown({ question, rows }: { question: QuestionReport; rows: BreakdownRow[] }) {
  const t = useT();
  const number = useNumber();
  return (
    <ScrollingTable label={t("feedback.report.byProfessionFor", { question: question.text })}>
      <caption className="feedback-caption">{t("feedback.report.byProfession")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("feedback.report.profession")}</th>
          <th scope="col">{t("feedback.report.answers")}</th>
          <th scope="col">{t("feedback.report.mean")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.profession ?? "none"}>
            <th scope="row">
              {row.profession ? t(professionLabels[row.profession]) : t("feedback.report.professionUnknown")}
            </th>
            {row.mean == null ? (
              <td colSpan={2}>{t("feedback.report.tooFew", { min: MIN_GROUP })}</td>
            ) : (
              <>
                <td className="amount">{row.count}</td>
                <td className="amount">{number.format(row.mean)}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </ScrollingTable>
  );
}

function QuestionResult({ question }: { question: QuestionReport }) {
  const t = useT();
  const number = useNumber();
  const headingId = `feedback-question-${question.id}`;
  let body: JSX.Element;
  if (question.kind === "text") {
    body =
      question.texts.length === 0 ? (
        <p>{t("feedback.report.noTexts")}</p>
      ) : (
        <ul className="feedback-texts">
          {question.texts.map((text, index) => (
            <li key={index}>
              <p>{text.text}</p>
              {text.name ? <p className="course-card__meta">{text.name}</p> : null}
            </li>
          ))}
        </ul>
      );
  } else if (question.answered == null) {
    body = <TooFew />;
  } else {
    const scored =
      question.kind === "scale" || question.kind === "recommend" ? { ...question, kind: question.kind } : null;
    body = (
      <>
        <p>{t("feedback.report.answeredCount", { count: question.answered })}</p>
        {question.bars ? <Bars question={question} bars={question.bars} /> : null}
        {scored && question.mean != null ? (
          <p className="feedback-mean">
            {t("feedback.report.meanOf", { mean: number.format(question.mean), max: scoreRange[scored.kind].max })}
          </p>
        ) : null}
        {scored ? <Trend question={scored} points={question.trend} /> : null}
        {scored && question.breakdown.length > 0 ? <Breakdown question={question} rows={question.breakdown} /> : null}
      </>
    );
  }
  return (
    <section className="feedback-result" aria-labelledby={headingId}>
      <h3 id={headingId}>{question.text}</h3>
      {body}
    </section>
  );
}

/** One section per form; figures the rule holds back are absent from the data, so only the message is shown. */
export function FeedbackReports({ reports }: { reports: FormReport[] }) {
  const t = useT();
  if (reports.length === 0) return <p className="notice">{t("feedback.report.noForms")}</p>;
  return (
    <>
      {reports.map((report) => (
        <section
          key={report.formId}
          className="card feedback-report"
          aria-labelledby={`feedback-form-${report.formId}`}
        >
          <h2 id={`feedback-form-${report.formId}`}>
            {report.courseTitle} – {t(audienceLabels[report.audience])}
          </h2>
          <p className="course-card__meta">
            {report.title} · {t(report.anonymous ? "feedback.report.anonymous" : "feedback.report.named")}
            {report.responseCount ? ` · ${t("feedback.report.responseCount", { count: report.responseCount })}` : null}
          </p>
          {report.status === "none" ? <p>{t("feedback.report.none")}</p> : null}
          {report.status === "tooFew" ? <TooFew /> : null}
          {report.questions.map((question) => (
            <QuestionResult key={question.id} question={question} />
          ))}
        </section>
      ))}
    </>
  );
}
