import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { myCourses } from "~/catalog/catalog.server";
import { ProgressBar } from "~/components/progress-bar";
import { formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { stateKey } from "~/training/states";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "courses.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json(myCourses(user), { headers: { "Cache-Control": "private, no-store" } });
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
type Course = PageData["optional"][number];
type Obligation = PageData["mandatory"][number]["obligation"];

/** When a mandatory course is due and where the person stands, in plain words under its title. */
function ObligationText({ obligation }: { obligation: Obligation }) {
  const t = useT();
  const language = useLanguage();
  const date = formatDay(language, obligation.dueOn);
  const overdue = obligation.state === "overdue";
  return (
    <div className={overdue ? "course-card__due course-card__due--overdue" : "course-card__due"}>
      <p>
        <strong>{t("courses.mandatory")}</strong> ·{" "}
        {overdue ? t("courses.overdueSince", { date }) : t("courses.dueBy", { date })}
      </p>
      <p>{t(stateKey(obligation.state))}</p>
    </div>
  );
}

/** A course's card; its title is a level below the section it stands in, when courses are split in two. */
function CourseCard({ course, obligation, nested }: { course: Course; obligation?: Obligation; nested: boolean }) {
  const t = useT();
  const Title = nested ? "h3" : "h2";
  const started = course.modules.some((m) => m.state !== "notStarted");
  const quizzesPending = course.modules.filter((m) => m.state === "watched").length;
  const target =
    course.nextModuleSlug && started ? `/kurser/${course.slug}/${course.nextModuleSlug}` : `/kurser/${course.slug}`;
  return (
    <li>
      <article className="card course-card" aria-labelledby={`course-${course.id}`}>
        <Title id={`course-${course.id}`}>
          <Link to={`/kurser/${course.slug}`}>{course.title}</Link>
        </Title>
        {obligation ? <ObligationText obligation={obligation} /> : null}
        <p>{course.summary}</p>
        <p className="course-card__meta">
          {t("courses.modules", { count: course.modules.length })} ·{" "}
          {t("courses.minutes", { minutes: Math.max(1, Math.round(course.totalSeconds / 60)) })}
        </p>
        <ProgressBar
          label={t("courses.progressLabel", { title: course.title })}
          value={course.completedCount}
          max={course.modules.length}
          text={t("quiz.courseProgress", { completed: course.completedCount, total: course.modules.length })}
        />
        {quizzesPending > 0 ? (
          <p className="course-card__meta">{t("quiz.pendingInCourse", { count: quizzesPending })}</p>
        ) : null}
        <div className="course-card__actions">
          <Link
            to={target}
            className="button button--secondary"
            aria-label={`${started ? t("courses.continue") : t("courses.open")}: ${course.title}`}
          >
            {started ? t("courses.continue") : t("courses.open")}
          </Link>
        </div>
      </article>
    </li>
  );
}

export default function MyCourses() {
  const t = useT();
  const { mandatory, optional } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("courses.title")}</h1>
      <p className="lead">{t("courses.intro")}</p>
      {mandatory.length === 0 && optional.length === 0 ? <p className="notice">{t("courses.none")}</p> : null}
      {mandatory.length > 0 ? (
        <section aria-labelledby="mandatory-courses">
          <h2 id="mandatory-courses">{t("courses.mandatoryHeading")}</h2>
          <p>
            {/* A file download, not a page: the browser hands it to the calendar. */}
            <a href="/kurser/frister.ics" download>
              {t("courses.calendar")}
            </a>
          </p>
          <ul className="course-grid">
            {mandatory.map(({ obligation, ...course }) => (
              <CourseCard key={course.id} course={course} obligation={obligation} nested />
            ))}
          </ul>
        </section>
      ) : null}
      {optional.length > 0 && mandatory.length > 0 ? (
        <section aria-labelledby="optional-courses" className="page-part">
          <h2 id="optional-courses">{t("courses.optional")}</h2>
          <ul className="course-grid">
            {optional.map((course) => (
              <CourseCard key={course.id} course={course} nested />
            ))}
          </ul>
        </section>
      ) : null}
      {optional.length > 0 && mandatory.length === 0 ? (
        <ul className="course-grid">
          {optional.map((course) => (
            <CourseCard key={course.id} course={course} nested={false} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
