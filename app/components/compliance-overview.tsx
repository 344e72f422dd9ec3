import { Form } from "@remix-run/react";
import { ComplianceTable } from "~/components/compliance-table";
import { OverdueList } from "~/components/overdue-list";
import { professionLabels } from "~/feedback/professions";
import { useT } from "~/i18n/i18n";
import type { ComplianceSummary, OverdueRound } from "~/training/compliance.server";

type Props = {
  organisationId: number;
  heading: string;
  summary: ComplianceSummary;
  overdue: OverdueRound[];
  courseId: number | null;
  /** The admin sees a row per unit; a leader's overview is one unit, so it has none. */
  perUnit: boolean;
};

/**
 * One municipality's or one unit's mandatory courses: the course filter, the download, the counts
 * per unit and per profession, and who is overdue. The admin's and the leader's pages show the same.
 */
export function ComplianceOverview({ organisationId, heading, summary, overdue, courseId, perUnit }: Props) {
  const t = useT();
  const headingId = `compliance-${organisationId}`;
  const query = new URLSearchParams({ organisation: String(organisationId) });
  if (courseId) query.set("kursus", String(courseId));
  return (
    <section className="card admin-licence" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      {summary.courses.length === 0 ? (
        <p>{t("compliance.empty")}</p>
      ) : (
        <>
          <Form method="get" className="filter-form">
            <input type="hidden" name="organisation" value={organisationId} />
            <label htmlFor={`course-${organisationId}`}>{t("compliance.filterCourse")}</label>
            <select id={`course-${organisationId}`} name="kursus" defaultValue={courseId ? String(courseId) : ""}>
              <option value="">{t("compliance.allCourses")}</option>
              {summary.courses.map((course) => (
                <option key={course.id} value={course.id}>
                  {course.title}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--secondary">
              {t("admin.filter")}
            </button>
            <a
              href={`/administration/obligatorisk/overblik.csv?${query}`}
              className="button button--secondary"
              download
            >
              {t("compliance.exportCsv")}
            </a>
          </Form>
          {courseId ? null : (
            <ComplianceTable
              id={`courses-${organisationId}`}
              heading={t("compliance.perCourse")}
              groupLabel={t("compliance.column.course")}
              rows={summary.courses.map((course) => ({
                key: String(course.id),
                label: course.title,
                counts: course.counts,
              }))}
              total={summary.total}
            />
          )}
          {perUnit ? (
            <ComplianceTable
              id={`units-${organisationId}`}
              heading={t("compliance.perUnit")}
              groupLabel={t("admin.column.unit")}
              rows={summary.units.map((unit) => ({
                key: String(unit.id),
                label: unit.name ?? t("compliance.noUnit"),
                counts: unit.counts,
              }))}
              total={summary.total}
            />
          ) : null}
          <ComplianceTable
            id={`professions-${organisationId}`}
            heading={t("compliance.perProfession")}
            groupLabel={t("feedback.profession.label")}
            rows={summary.professions.map((row) => ({
              key: row.profession ?? "none",
              label: row.profession ? t(professionLabels[row.profession]) : t("feedback.report.professionUnknown"),
              counts: row.counts,
            }))}
            total={summary.total}
          />
          <OverdueList organisationId={organisationId} rounds={overdue} total={summary.total.overdue} />
        </>
      )}
    </section>
  );
}
