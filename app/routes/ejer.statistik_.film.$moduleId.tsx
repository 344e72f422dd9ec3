import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { MIN_GROUP } from "~/feedback/forms";
import { ProfessionFilter } from "~/feedback/profession-filter";
import { pageTitle, useT } from "~/i18n/i18n";
import { RetentionReport } from "~/learning/retention-view";
import { filmRetention, parseRetentionFilters, retentionFilm, retentionFilms } from "~/learning/retention.server";
import { statisticsOrganisations } from "~/learning/statistics.server";
import { idFromPath } from "~/utils/form-schema";
import { invariantResponse, requirePathId } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "retention.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOwner(request);
  const moduleId = requirePathId(params.moduleId, "notFound.film");
  const search = new URL(request.url).searchParams;
  const filters = parseRetentionFilters(search);
  // The picker is a plain GET form, so another film arrives as ?film=; its own address is the film's.
  const picked = search.get("film");
  if (picked !== null && picked !== String(moduleId)) {
    const pickedId = idFromPath(picked);
    invariantResponse(pickedId !== null, "retention.filterUnreadable");
    // The other choices go along, the empty ones ("all") left out of the address.
    const kept = [...search].filter(([name, value]) => name !== "film" && value !== "");
    const query = new URLSearchParams(kept).toString();
    throw redirect(`/ejer/statistik/film/${pickedId}${query ? `?${query}` : ""}`);
  }
  const film = retentionFilm(moduleId);
  invariantResponse(film, "notFound.film", { status: 404 });
  const organisations = statisticsOrganisations();
  invariantResponse(
    filters.organisationId == null || organisations.some((o) => o.id === filters.organisationId),
    "notFound.organisation",
    { status: 404 },
  );
  return json(
    { films: retentionFilms(), organisations, filters, film, retention: filmRetention(film, filters) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function FilmRetention() {
  const t = useT();
  const { films, organisations, filters, film, retention } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to="/ejer/statistik">{t("retention.back")}</Link>
      </p>
      <h1>{t("retention.title")}</h1>
      <p className="lead">{t("retention.intro", { min: MIN_GROUP })}</p>
      <Form method="get" className="card feedback-filters" aria-label={t("retention.filters")}>
        <div className="field">
          <label htmlFor="retention-film">{t("retention.film")}</label>
          <select id="retention-film" name="film" defaultValue={film.id}>
            {films.map((option) => (
              <option key={option.id} value={option.id}>
                {`${option.courseTitle}: ${option.title}`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="retention-organisation">{t("stats.organisation")}</label>
          <select id="retention-organisation" name="kommune" defaultValue={filters.organisationId ?? ""}>
            <option value="">{t("stats.allOrganisations")}</option>
            {organisations.map((organisation) => (
              <option key={organisation.id} value={organisation.id}>
                {organisation.name}
              </option>
            ))}
          </select>
        </div>
        <ProfessionFilter id="retention-profession" value={filters.profession} />
        <div>
          <button type="submit" className="button">
            {t("stats.show")}
          </button>
        </div>
      </Form>
      <section className="card" aria-labelledby="retention-film-title">
        <h2 id="retention-film-title">{film.title}</h2>
        {retention.status === "shown" ? (
          <RetentionReport counts={retention.counts} people={retention.people} />
        ) : (
          <p className="feedback-too-few">
            {retention.status === "noFilm" ? t("retention.noFilm") : t("retention.tooFew", { min: MIN_GROUP })}
          </p>
        )}
      </section>
    </div>
  );
}
