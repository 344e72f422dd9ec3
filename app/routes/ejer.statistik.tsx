import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { idFromPath } from "~/utils/form-schema";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { formatPercent, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import {
  courseStatistics,
  FLAG_BELOW_SHARE,
  FLAG_MIN_ANSWERS,
  statisticsOrganisations,
  type ModuleStatistics,
} from "~/learning/statistics.server";
import { invariantResponse } from "~/utils/http.server";
import { ScrollingTable } from "~/components/scrolling-table";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "stats.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  const raw = new URL(request.url).searchParams.get("organisation") ?? "";
  const organisations = statisticsOrganisations();
  const organisationId = raw === "" ? null : idFromPath(raw);
  invariantResponse(raw === "" || organisationId !== null, "refusal.chooseOrganisation");
  invariantResponse(
    organisationId == null || organisations.some((o) => o.id === organisationId),
    "notFound.organisation",
    { status: 404 },
  );
  return json(
    {
      organisations,
      organisationId,
      courses: courseStatistics(organisationId),
      flag: { minAnswers: FLAG_MIN_ANSWERS, belowShare: FLAG_BELOW_SHARE },
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

function QuestionTable({ module, flag }: { module: ModuleStatistics; flag: PageData["flag"] }) {
  const t = useT();
  const language = useLanguage();
  if (!module.quiz) return null;
  const headingId = `questions-${module.id}`;
  return (
    <>
      <h3 id={headingId}>{t("stats.questionsHeading", { title: module.title })}</h3>
      <ScrollingTable labelledBy={headingId}>
        <thead>
          <tr>
            <th scope="col">{t("stats.column.question")}</th>
            <th scope="col" className="amount">
              {t("stats.column.answered")}
            </th>
            <th scope="col" className="amount">
              {t("stats.column.right")}
            </th>
            <th scope="col" className="amount">
              {t("stats.column.rightShare")}
            </th>
          </tr>
        </thead>
        <tbody>
          {module.quiz.questions.map((question) => (
            <tr key={question.id} className={question.flagged ? "stats-flagged" : undefined}>
              <th scope="row">
                {question.text}
                {question.flagged ? (
                  <>
                    <br />
                    <strong className="stats-flag">
                      {t("stats.flagged", { percent: formatPercent(language, flag.belowShare) })}
                    </strong>
                  </>
                ) : null}
              </th>
              <td className="amount">{question.answered}</td>
              <td className="amount">{question.right}</td>
              <td className="amount">
                {question.rightShare == null ? t("stats.none") : formatPercent(language, question.rightShare)}
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollingTable>
    </>
  );
}

export default function OwnerStatistics() {
  const t = useT();
  const { organisations, organisationId, courses, flag } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("stats.title")}</h1>
      <p className="lead">{t("stats.intro", { minAnswers: flag.minAnswers })}</p>
      <Form method="get" className="filter-form">
        <label htmlFor="stats-organisation">{t("stats.organisation")}</label>
        <select
          id="stats-organisation"
          name="organisation"
          defaultValue={organisationId == null ? "" : String(organisationId)}
        >
          <option value="">{t("stats.allOrganisations")}</option>
          {organisations.map((organisation) => (
            <option key={organisation.id} value={organisation.id}>
              {organisation.name}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--secondary">
          {t("stats.show")}
        </button>
      </Form>
      {courses.map((course) => (
        <section key={course.id} className="card admin-licence" aria-labelledby={`course-${course.id}`}>
          <h2 id={`course-${course.id}`}>
            {course.title}
            {course.published ? null : ` (${t("stats.unpublished")})`}
          </h2>
          <h3 id={`modules-${course.id}`}>{t("stats.modulesHeading")}</h3>
          <ScrollingTable labelledBy={`modules-${course.id}`}>
            <thead>
              <tr>
                <th scope="col">{t("stats.column.module")}</th>
                <th scope="col" className="amount">
                  {t("stats.column.started")}
                </th>
                <th scope="col" className="amount">
                  {t("stats.column.watched")}
                </th>
                <th scope="col" className="amount">
                  {t("stats.column.took")}
                </th>
                <th scope="col" className="amount">
                  {t("stats.column.passed")}
                </th>
                <th scope="col">{t("retention.statsColumn")}</th>
              </tr>
            </thead>
            <tbody>
              {course.modules.map((module) => (
                <tr key={module.id}>
                  <th scope="row">
                    <Link to={`/ejer/studie/moduler/${module.id}/quiz`}>{module.title}</Link>
                    {module.published ? null : ` (${t("stats.unpublished")})`}
                  </th>
                  <td className="amount">{module.started}</td>
                  <td className="amount">{module.watched}</td>
                  <td className="amount">{module.quiz ? module.quiz.took : t("stats.noQuiz")}</td>
                  <td className="amount">{module.quiz ? module.quiz.passed : t("stats.noQuiz")}</td>
                  <td>
                    <Link
                      to={`/ejer/statistik/film/${module.id}${organisationId == null ? "" : `?kommune=${organisationId}`}`}
                      aria-label={t("retention.statsLinkLabel", { title: module.title })}
                    >
                      {t("retention.statsLink")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollingTable>
          {course.modules.map((module) => (
            <QuestionTable key={module.id} module={module} flag={flag} />
          ))}
        </section>
      ))}
    </div>
  );
}
