import { Link } from "@remix-run/react";
import { formatClock, useT } from "~/i18n/i18n";
import type { ModulePageData } from "./route";

/** What the module holds, its film and its quiz, each with the way to the page that changes it. */
export function ModuleContent({ module }: { module: ModulePageData["module"] }) {
  const t = useT();
  return (
    <section className="card admin-licence" aria-labelledby="content-heading">
      <h2 id="content-heading">{t("studio.contentHeading")}</h2>
      <ul>
        <li>
          {module.hasFilm
            ? t("studio.filmLength", { duration: formatClock(module.durationSeconds ?? 0) })
            : t("studio.filmMissing")}{" "}
          <Link to={`/ejer/studie/moduler/${module.id}/film`}>{t("studio.filmLink")}</Link>
        </li>
        <li>
          {module.quizQuestionCount === null
            ? t("studio.quizMissing")
            : t("studio.quizQuestions", { count: module.quizQuestionCount })}{" "}
          <Link to={`/ejer/studie/moduler/${module.id}/quiz`}>{t("studio.quizLink")}</Link>
        </li>
      </ul>
    </section>
  );
}
