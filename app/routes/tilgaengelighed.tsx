import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { accessibilityStatement } from "~/accessibility/statement.server";
import type { MessageKey } from "~/i18n/da";
import { formatDate, pageTitle, useLanguage, useT } from "~/i18n/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "a11yStatement.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** Open to all, as the law requires: a municipality links to it from its own statement. */
export async function loader(_: LoaderFunctionArgs) {
  return json(accessibilityStatement(), { headers: { "Cache-Control": "private, max-age=300" } });
}

const TESTING: MessageKey[] = [
  "a11yStatement.testedAxe",
  "a11yStatement.testedKeyboard",
  "a11yStatement.testedCharts",
  "a11yStatement.testedPlayer",
];

const GAPS: MessageKey[] = [
  "a11yStatement.gapDescription",
  "a11yStatement.gapSubtitleLanguages",
  "a11yStatement.gapPdf",
  "a11yStatement.gapScreenReaders",
  "a11yStatement.gapSafari",
  "a11yStatement.gapMunicipalLogin",
];

export default function AccessibilityStatement() {
  const t = useT();
  const language = useLanguage();
  const { contactEmail, reviewedOn } = useLoaderData<typeof loader>();
  return (
    <div className="page page--prose">
      <h1>{t("a11yStatement.title")}</h1>
      <p className="lead">{t("a11yStatement.intro")}</p>

      <h2>{t("a11yStatement.standardHeading")}</h2>
      <p>{t("a11yStatement.standard")}</p>
      <p>{t("a11yStatement.status")}</p>

      <h2>{t("a11yStatement.testingHeading")}</h2>
      <ul>
        {TESTING.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>

      <h2>{t("a11yStatement.filmsHeading")}</h2>
      <p>{t("a11yStatement.films")}</p>
      <p>{t("a11yStatement.filmsDescription")}</p>

      <h2>{t("a11yStatement.gapsHeading")}</h2>
      <ul>
        {GAPS.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>

      <h2>{t("a11yStatement.contactHeading")}</h2>
      <p>
        {t("a11yStatement.contact")} <a href={`mailto:${contactEmail}`}>{contactEmail}</a>
      </p>
      <p>{t("a11yStatement.complaint")}</p>

      <p className="course-card__meta">
        {t("a11yStatement.reviewed", { date: formatDate(language, new Date(`${reviewedOn}T12:00:00Z`)) })}
      </p>
    </div>
  );
}
