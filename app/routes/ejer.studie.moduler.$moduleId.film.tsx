import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requireOwner } from "~/auth/session.server";
import { DescribedUploadForm, FilmUploadForm, SubtitlesUploadForm } from "~/components/film-upload";
import { ProgressBar } from "~/components/progress-bar";
import { getEnv } from "~/env.server";
import type { MessageKey } from "~/i18n/da";
import { formatClock, formatDateTime, formatPercent, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { moduleFilmOverview, type MediaJobView } from "~/media/film-overview.server";
import { receiveUpload, requireUploadTarget } from "~/media/upload.server";
import { idFromPath } from "~/utils/form-schema";
import { invariantResponse } from "~/utils/http.server";
import { useFormReply } from "~/utils/form-reply";
import type { RouteHandle } from "~/utils/route-handle";

// Without JavaScript the page posts the whole film in one request.
export const handle: RouteHandle = { requestBody: "film" };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, "upload.title", { text: data.module.title }) : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const NO_STORE = { "Cache-Control": "private, no-store" };
// While a job runs, the page asks again this often; progress is written about once a second.
const REFRESH_MS = 2_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOwner(request);
  const moduleId = idFromPath(params.moduleId);
  const overview = moduleId === null ? null : await moduleFilmOverview(moduleId);
  invariantResponse(overview, "notFound.module", { status: 404 });
  return json({ ...overview, maxUploadBytes: getEnv().MAX_UPLOAD_BYTES }, { headers: NO_STORE });
}

/**
 * A film or subtitles, as the form posts them without JavaScript. With it, a film goes in pieces
 * to ./film/dele, and subtitles to this same action through ./film/overfoersel, so the page can
 * show their progress.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { owner, target } = await requireUploadTarget(request, params);
  const { status, reply } = await receiveUpload(request, target, owner.id);
  return json(reply, { status, headers: NO_STORE });
}

const kindKeys: Record<MediaJobView["kind"], MessageKey> = {
  film: "mediaJob.kind.film",
  subtitles: "mediaJob.kind.subtitles",
  described: "mediaJob.kind.described",
};

const statusKeys: Record<MediaJobView["status"], MessageKey> = {
  queued: "mediaJob.status.queued",
  running: "mediaJob.status.running",
  done: "mediaJob.status.done",
  failed: "mediaJob.status.failed",
};

function JobList({ jobs }: { jobs: ReturnType<typeof useLoaderData<typeof loader>>["jobs"] }) {
  const t = useT();
  const language = useLanguage();
  if (jobs.length === 0) return <p>{t("mediaJob.none")}</p>;
  return (
    <ul className="media-jobs">
      {jobs.map((job) => (
        <li key={job.id} className="media-jobs__item">
          <h3>
            {t(kindKeys[job.kind])}: {job.originalName}
          </h3>
          <p className="course-card__meta">
            {t("mediaJob.uploadedAt", { time: formatDateTime(language, new Date(job.createdAt)) })} ·{" "}
            {t(statusKeys[job.status])}
          </p>
          {job.status === "queued" || job.status === "running" ? (
            <ProgressBar
              label={t("mediaJob.progressLabel", { name: job.originalName })}
              value={job.progressPermille}
              max={1000}
              text={t("mediaJob.progress", { percent: formatPercent(language, job.progressPermille / 1000) })}
            />
          ) : null}
          {job.error ? <p className="field__error">{job.error}</p> : null}
        </li>
      ))}
    </ul>
  );
}

export default function ModuleFilm() {
  const t = useT();
  const { module, film, jobs, maxUploadBytes } = useLoaderData<typeof loader>();
  const filmReply = useFormReply<typeof action>("film");
  const subtitlesReply = useFormReply<typeof action>("subtitles");
  const describedReply = useFormReply<typeof action>("described");
  const revalidator = useRevalidator();
  const latest = jobs[0];
  const working = jobs.some((job) => job.status === "queued" || job.status === "running");

  useEffect(() => {
    if (!working) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [working, revalidator]);

  const filmUrl = `/ejer/studie/moduler/${module.id}/film`;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={`/ejer/studie/moduler/${module.id}`}>{t("upload.back", { module: module.title })}</Link>
      </p>
      <h1>{t("upload.heading", { module: module.title })}</h1>
      <p className="lead">{t("upload.intro", { course: module.courseTitle })}</p>

      <section className="card media-section" aria-labelledby="current-film-heading">
        <h2 id="current-film-heading">{t("upload.currentHeading")}</h2>
        {film ? (
          <dl className="media-facts">
            <dt>{t("upload.duration")}</dt>
            <dd>{formatClock(film.durationSeconds)}</dd>
            <dt>{t("upload.subtitles")}</dt>
            <dd>{t(film.subtitles ? "upload.subtitlesYes" : "upload.subtitlesNo")}</dd>
            <dt>{t("upload.describedFact")}</dt>
            <dd>{t(film.describedAudio ? "upload.describedYes" : "upload.subtitlesNo")}</dd>
            <dt>{t("upload.source")}</dt>
            <dd>{t(film.source === "upload" ? "upload.sourceUpload" : "upload.sourceSynthetic")}</dd>
          </dl>
        ) : (
          <p>{t("upload.noFilm")}</p>
        )}
      </section>

      <section className="card media-section" aria-labelledby="film-form-heading">
        <h2 id="film-form-heading">{t("upload.filmHeading")}</h2>
        <FilmUploadForm
          uploadUrl={`${filmUrl}/dele`}
          maxBytes={maxUploadBytes}
          reply={filmReply}
          jobs={jobs}
          onUploaded={() => revalidator.revalidate()}
        />
      </section>

      <section className="card media-section" aria-labelledby="subtitles-form-heading">
        <h2 id="subtitles-form-heading">{t("upload.subtitlesHeading")}</h2>
        {film ? (
          <SubtitlesUploadForm
            uploadUrl={`${filmUrl}/overfoersel`}
            reply={subtitlesReply}
            jobs={jobs}
            onUploaded={() => revalidator.revalidate()}
          />
        ) : (
          <p>{t("upload.subtitlesNeedFilm")}</p>
        )}
      </section>

      <section className="card media-section" aria-labelledby="described-form-heading">
        <h2 id="described-form-heading">{t("upload.describedHeading")}</h2>
        {film ? (
          <DescribedUploadForm reply={describedReply} maxBytes={maxUploadBytes} />
        ) : (
          <p>{t("upload.describedNeedsFilm")}</p>
        )}
      </section>

      <section className="card media-section" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">{t("mediaJob.heading")}</h2>
        {/* The newest job's status only: read out when it changes, not at every refresh of its percentage. */}
        <p className="visually-hidden" role="status">
          {latest ? `${latest.originalName}: ${t(statusKeys[latest.status])}` : ""}
        </p>
        <JobList jobs={jobs} />
      </section>
    </div>
  );
}
