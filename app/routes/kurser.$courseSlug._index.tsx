import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { findCourseForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { ProgressBar } from "~/components/progress-bar";
import { formatClock, formatPercent, pageTitle, useLanguage, useT } from "~/i18n/i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, { text: data.course.title }) : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { course } = ensureFound(findCourseForViewer(user, params.courseSlug ?? ""));
  return json({ course }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function CoursePage() {
  const t = useT();
  const language = useLanguage();
  const { course } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/kurser">{t("course.back")}</Link>
      </p>
      <h1>{course.title}</h1>
      <p className="lead">{course.summary}</p>
      <div className="card">
        <ProgressBar
          label={t("courses.progressLabel", { title: course.title })}
          value={course.watchedCount}
          max={course.modules.length}
          text={t("courses.progress", { watched: course.watchedCount, total: course.modules.length })}
        />
      </div>
      <h2 style={{ marginTop: "1.5rem" }}>{t("course.modulesHeading")}</h2>
      <ol className="module-list">
        {course.modules.map((module, index) => (
          <li key={module.id} className="card module-item" data-state={module.state}>
            <span className="module-item__number" aria-hidden="true">
              {index + 1}
            </span>
            <Link to={`/kurser/${course.slug}/${module.slug}`} className="module-item__title">
              <span className="visually-hidden">{t("course.filmNumber", { number: index + 1 })}: </span>
              {module.title}
            </Link>
            <span className="module-item__meta">
              <span className={`state state--${module.state}`}>
                {module.state === "watched"
                  ? t("course.state.watched")
                  : module.state === "started"
                    ? t("course.state.started", { percent: formatPercent(language, module.playedFraction) })
                    : t("course.state.notStarted")}
              </span>
              {module.durationSeconds ? ` · ${t("course.duration", { duration: formatClock(module.durationSeconds) })}` : null}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
