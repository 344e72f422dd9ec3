import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import { requireUser } from "~/auth/session.server";
import { findModuleForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { VideoPlayer } from "~/components/video-player/video-player";
import { formatClock, formatPercent, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import type { QuizStanding } from "~/learning/completion.server";
import { getModuleProgress, openPlaybackView } from "~/learning/progress.server";
import { baselineDue } from "~/measurement/answers.server";
import { measurementHref } from "~/measurement/forms";
import { mediaBaseUrl } from "~/media/access.server";
import { FilmMeetingPanel } from "~/meetings/film-meeting-panel";
import { filmMeetingNotes } from "~/meetings/film-notes.server";
import playerStyles from "~/styles/player.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: playerStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: data
      ? pageTitle(matches, { text: data.module.title }, { text: data.course.title })
      : pageTitle(matches, "error.title"),
  },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** Reads only: the film's address and its playback view are signed, not stored (see openPlaybackView). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { detail } = ensureFound(findModuleForViewer(user, params.courseSlug ?? "", params.moduleSlug ?? ""));
  const { course, module, summary, previous, next } = detail;
  // The "before" of a course's measurement is asked before the first film; afterwards the film asked for opens.
  if (baselineDue(user, course.id))
    throw redirect(measurementHref(course.slug, "baseline", new URL(request.url).pathname));
  const progress = getModuleProgress(user.id, module.id, module.durationSeconds);
  const media = module.mediaVersion
    ? {
        base: mediaBaseUrl(user.id, module.id, module.mediaVersion),
        viewId: openPlaybackView(user.id, module.id),
      }
    : null;
  return json(
    {
      course: { slug: course.slug, title: course.title },
      module,
      previous: previous && { slug: previous.slug, title: previous.title },
      next: next && { slug: next.slug, title: next.title },
      progress,
      quiz: summary.quiz,
      media,
      meetings: filmMeetingNotes(user.id, module.id),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/** Where the module's quiz stands, with the way to it once the film is watched. */
function QuizCallout({ quiz, watched, href }: { quiz: QuizStanding; watched: boolean; href: string }) {
  const t = useT();
  const left = quiz.maxAttempts == null ? null : Math.max(0, quiz.maxAttempts - quiz.attemptsUsed);
  const status = quiz.passed
    ? t("quiz.module.passed", { percent: quiz.bestScorePercent ?? 0 })
    : !watched
      ? t("quiz.module.locked")
      : left === 0
        ? t("quiz.module.exhausted")
        : left == null
          ? t("quiz.module.open")
          : `${t("quiz.module.open")} ${t("quiz.attemptsLeft", { left, max: quiz.maxAttempts ?? 0 })}`;
  return (
    <section className="card quiz-callout" aria-labelledby="quiz-heading">
      <h2 id="quiz-heading">{t("quiz.module.heading")}</h2>
      <p>{status}</p>
      {watched && left !== 0 ? (
        <Link to={href} className={quiz.passed ? "button button--secondary" : "button"}>
          {t(quiz.passed ? "quiz.module.retake" : "quiz.module.take")}
        </Link>
      ) : null}
    </section>
  );
}

export default function ModulePage() {
  const data = useLoaderData<typeof loader>();
  // Moving to the next film keeps this route mounted; a new key starts its state afresh.
  return <ModuleView key={data.module.id} data={data} />;
}

function ModuleView({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const t = useT();
  const language = useLanguage();
  const { course, module, previous, next, media, quiz } = data;
  const [progress, setProgress] = useState(data.progress);
  const revalidator = useRevalidator();

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={`/kurser/${course.slug}`}>{t("module.backToCourse", { title: course.title })}</Link>
      </p>
      <h1>{module.title}</h1>
      <div
        className={module.reflectionQuestions.length > 0 ? "module-layout" : "module-layout module-layout--film-only"}
      >
        <div>
          {media ? (
            <VideoPlayer
              key={media.viewId}
              src={`${media.base}/master.m3u8`}
              poster={`${media.base}/poster.jpg`}
              title={module.title}
              startAtSeconds={progress.lastPositionSeconds}
              durationSeconds={module.durationSeconds}
              progress={{ endpoint: "/api/progress", viewId: media.viewId }}
              onProgressSaved={setProgress}
              onAccessExpired={revalidator.revalidate}
            />
          ) : (
            <p className="notice">{t("module.noMedia")}</p>
          )}
          {/* Announced once, when the film becomes watched; the running percentage would talk over the film. */}
          <p className="visually-hidden" role="status">
            {progress.watched && !data.progress.watched ? t("module.statusWatched") : ""}
          </p>
          <p className="notice" data-testid="watch-status">
            {progress.watched
              ? t("module.statusWatched")
              : t("module.statusProgress", { percent: formatPercent(language, progress.playedFraction) })}
            {!progress.watched && progress.lastPositionSeconds > 0
              ? ` ${t("module.resumeFrom", { time: formatClock(progress.lastPositionSeconds) })}`
              : null}
          </p>
          {quiz ? (
            <QuizCallout quiz={quiz} watched={progress.watched} href={`/kurser/${course.slug}/${module.slug}/quiz`} />
          ) : null}
          <FilmMeetingPanel moduleId={module.id} notes={data.meetings} />
          <section aria-labelledby="about-heading">
            <h2 id="about-heading">{t("module.aboutHeading")}</h2>
            <p>{module.description}</p>
          </section>
        </div>
        {/* A box with only its introduction would promise questions that are not there. */}
        {module.reflectionQuestions.length > 0 ? (
          <section className="card" aria-labelledby="reflection-heading">
            <h2 id="reflection-heading">{t("module.reflectionHeading")}</h2>
            <p>{t("module.reflectionIntro")}</p>
            <ol className="reflection-list">
              {module.reflectionQuestions.map((question) => (
                <li key={question}>{question}</li>
              ))}
            </ol>
          </section>
        ) : null}
      </div>
      <nav className="pager" aria-label={t("course.modulesHeading")}>
        {previous ? (
          <Link to={`/kurser/${course.slug}/${previous.slug}`} rel="prev">
            ← {t("module.previous", { title: previous.title })}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`/kurser/${course.slug}/${next.slug}`} rel="next" className="button">
            {t("module.next", { title: next.title })} →
          </Link>
        ) : (
          <span>{t("module.lastInCourse")}</span>
        )}
      </nav>
    </div>
  );
}
