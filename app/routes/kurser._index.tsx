import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { listCoursesForViewer } from "~/catalog/catalog.server";
import { ProgressBar } from "~/components/progress-bar";
import { pageTitle, useT } from "~/i18n/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "courses.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ courses: listCoursesForViewer(user) }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function MyCourses() {
  const t = useT();
  const { courses } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("courses.title")}</h1>
      <p className="lead">{t("courses.intro")}</p>
      {courses.length === 0 ? (
        <p className="notice">{t("courses.none")}</p>
      ) : (
        <ul className="course-grid">
          {courses.map((course) => {
            const started = course.modules.some((m) => m.state !== "notStarted");
            const quizzesPending = course.modules.filter((m) => m.state === "watched").length;
            const target =
              course.nextModuleSlug && started
                ? `/kurser/${course.slug}/${course.nextModuleSlug}`
                : `/kurser/${course.slug}`;
            return (
              <li key={course.id}>
                <article className="card course-card" aria-labelledby={`course-${course.id}`}>
                  <h2 id={`course-${course.id}`}>
                    <Link to={`/kurser/${course.slug}`}>{course.title}</Link>
                  </h2>
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
          })}
        </ul>
      )}
    </div>
  );
}
