import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { findCourseForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { ProgressBar } from "~/components/progress-bar";
import { feedbackOfferFor } from "~/feedback/responses.server";
import { measurementOfferFor } from "~/measurement/answers.server";
import { MeasurementCallout } from "~/measurement/callout";
import { formatClock, formatPercent, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { attemptsExhausted } from "~/learning/attempt-limit";
import { certificateOfferFor, certificateRefusalIn } from "~/learning/certificates.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, { text: data.course.title }) : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** Reads only: the certificate is issued when the course is completed, or when its PDF is fetched. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { course } = ensureFound(findCourseForViewer(user, params.courseSlug ?? ""));
  const certificate = certificateOfferFor(user.id, course);
  return json(
    {
      course,
      certificate,
      // Sent here by a refused certificate download (see kursusbevis.pdf); said only while it still holds.
      certificateRefusal: certificate ? null : certificateRefusalIn(new URL(request.url)),
      feedback: feedbackOfferFor(user, course.id),
      measurement: measurementOfferFor(user, course.id),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

type Module = ReturnType<typeof useLoaderData<typeof loader>>["course"]["modules"][number];

/** The film's state, the quiz's if there is one, and whether the module is complete. */
function ModuleStates({ module }: { module: Module }) {
  const t = useT();
  const language = useLanguage();
  const watched = module.state === "watched" || module.state === "complete";
  const quiz = module.quiz;
  const quizState = !quiz
    ? null
    : quiz.passed
      ? "passed"
      : !watched
        ? "afterFilm"
        : attemptsExhausted(quiz)
          ? "failed"
          : "pending";
  return (
    <>
      <span className={`state state--${watched ? "watched" : module.state}`}>
        {watched
          ? t("course.state.watched")
          : module.state === "started"
            ? t("course.state.started", { percent: formatPercent(language, module.playedFraction) })
            : t("course.state.notStarted")}
      </span>
      {quizState ? (
        <>
          {" "}
          <span className={`state state--quiz-${quizState}`}>
            {quizState === "passed"
              ? t("quiz.state.passed", { percent: quiz?.bestScorePercent ?? 0 })
              : t(`quiz.state.${quizState}`)}
          </span>
        </>
      ) : null}
      {module.state === "complete" ? (
        <>
          {" "}
          <span className="state state--complete">{t("quiz.state.complete")}</span>
        </>
      ) : null}
    </>
  );
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The certificate once the course is complete, and the feedback form: asked for at the end, open before. */
function AfterTheCourse({ certificate, feedback }: Pick<PageData, "certificate" | "feedback">) {
  const t = useT();
  const feedbackText =
    feedback?.state === "open"
      ? feedback.courseComplete
        ? t("course.feedback.invite")
        : t("course.feedback.early")
      : feedback?.state === "answered"
        ? t("course.feedback.answered")
        : null;
  if (!certificate && !feedbackText) return null;
  return (
    <section className="card after-course" aria-labelledby="after-course-heading">
      <h2 id="after-course-heading">{certificate ? t("course.after.completeHeading") : t("course.after.heading")}</h2>
      {certificate ? (
        <p>
          {t("certificate.offerText")}{" "}
          <a href={certificate.href} download className="button">
            {t("certificate.download")}
          </a>{" "}
          {certificate.code ? (
            <span className="after-course__code">
              {t("certificate.code")}: <code>{certificate.code}</code>
            </span>
          ) : null}
        </p>
      ) : null}
      {feedback && feedbackText ? (
        <p>
          {feedbackText}{" "}
          {feedback.state === "open" ? (
            <Link to={feedback.href} className={feedback.courseComplete ? "button" : undefined}>
              {feedback.audience === "leader" ? t("course.feedback.linkLeader") : t("course.feedback.link")}
            </Link>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}

export default function CoursePage() {
  const t = useT();
  const { course, certificate, certificateRefusal, feedback, measurement } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/kurser">{t("course.back")}</Link>
      </p>
      <h1>{course.title}</h1>
      {certificateRefusal ? (
        <p className="notice notice--error" role="alert">
          {t(certificateRefusal)}
        </p>
      ) : null}
      <p className="lead">{course.summary}</p>
      <div className="card">
        <ProgressBar
          label={t("courses.progressLabel", { title: course.title })}
          value={course.completedCount}
          max={course.modules.length}
          text={t("quiz.courseProgress", { completed: course.completedCount, total: course.modules.length })}
        />
      </div>
      <AfterTheCourse certificate={certificate} feedback={feedback} />
      {measurement ? <MeasurementCallout offer={measurement} /> : null}
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
              <ModuleStates module={module} />
              {module.durationSeconds
                ? ` · ${t("course.duration", { duration: formatClock(module.durationSeconds) })}`
                : null}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
