import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatDateTime, useLanguage, useT } from "~/i18n/i18n";
import { personStatuses, type PersonStatus } from "~/licensing/person-status";
import { OneButtonForm } from "~/components/one-button-form";
import { ScrollingTable } from "~/components/scrolling-table";

type Person = {
  userId: number;
  name: string;
  email: string;
  unitName: string | null;
  hasSeat: boolean;
  filmsWatched: number;
  filmsTotal: number;
  coursesCompleted: number;
  coursesTotal: number;
  lastActivity: string | null;
  status: PersonStatus;
  lockedQuizzes: { quizId: number; filmTitle: string }[];
};

type Props = {
  organisationId: number;
  heading: string;
  people: Person[];
  /** The units an admin may filter by; a leader sees one unit and gets no choice. */
  units: { id: number; name: string }[];
  status: string | null;
  unitId: number | null;
  /** The admin viewing the page gets a button per locked quiz, except on their own row; leaders see the locks only. */
  grantRetakesAs?: number;
  /** An admin's names lead to each person's page of their data; a leader has no such page. */
  linkPersonPages?: boolean;
  children?: ReactNode;
};

/** Who has a seat and how far each has come: the admin's whole municipality, or a leader's unit. */
export function PeopleOverview({
  organisationId,
  heading,
  people,
  units,
  status,
  unitId,
  grantRetakesAs,
  linkPersonPages = false,
  children,
}: Props) {
  const t = useT();
  const language = useLanguage();
  const headingId = `people-${organisationId}`;
  const query = new URLSearchParams({ organisation: String(organisationId) });
  if (status) query.set("status", status);
  if (unitId) query.set("unit", String(unitId));
  return (
    <section className="card admin-licence" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      <Form method="get" className="filter-form">
        <label htmlFor={`status-${organisationId}`}>{t("admin.filterStatus")}</label>
        <select id={`status-${organisationId}`} name="status" defaultValue={status ?? ""}>
          <option value="">{t("admin.status.all")}</option>
          {personStatuses.map((value) => (
            <option key={value} value={value}>
              {t(`admin.status.${value}`)}
            </option>
          ))}
        </select>
        {units.length > 0 ? (
          <>
            <label htmlFor={`unit-${organisationId}`}>{t("admin.filterUnit")}</label>
            <select id={`unit-${organisationId}`} name="unit" defaultValue={unitId ? String(unitId) : ""}>
              <option value="">{t("admin.unit.all")}</option>
              {units.map((unit) => (
                <option key={unit.id} value={unit.id}>
                  {unit.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <button type="submit" className="button button--secondary">
          {t("admin.filter")}
        </button>
        <a href={`/administration/personer.csv?${query}`} className="button button--secondary" download>
          {t("admin.exportCsv")}
        </a>
      </Form>
      {children}
      <ScrollingTable labelledBy={headingId}>
        <thead>
          <tr>
            <th scope="col">{t("admin.column.person")}</th>
            <th scope="col">{t("admin.column.unit")}</th>
            <th scope="col">{t("admin.column.seat")}</th>
            <th scope="col">{t("admin.column.films")}</th>
            <th scope="col">{t("admin.column.courses")}</th>
            <th scope="col">{t("admin.column.lastActivity")}</th>
            <th scope="col">{t("admin.column.status")}</th>
            <th scope="col">{t("admin.retake.column")}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr key={person.userId}>
              <td>
                {linkPersonPages ? (
                  <Link to={`/administration/personer/${person.userId}`}>{person.name}</Link>
                ) : (
                  person.name
                )}
                <br />
                <span className="course-card__meta email">{person.email}</span>
              </td>
              <td>{person.unitName ?? "–"}</td>
              <td>{person.hasSeat ? t("admin.seat.yes") : t("admin.seat.no")}</td>
              <td>
                {person.filmsWatched} / {person.filmsTotal}
              </td>
              <td>
                {person.coursesCompleted} / {person.coursesTotal}
              </td>
              <td>{person.lastActivity ? formatDateTime(language, new Date(person.lastActivity)) : "–"}</td>
              <td>{t(`admin.status.${person.status}`)}</td>
              <td>
                {person.lockedQuizzes.length === 0 ? (
                  "–"
                ) : (
                  <ul className="locked-quizzes">
                    {person.lockedQuizzes.map((quiz) => (
                      <li key={quiz.quizId}>
                        {quiz.filmTitle}
                        {grantRetakesAs != null && grantRetakesAs !== person.userId ? (
                          <OneButtonForm
                            fields={{
                              intent: "grantRetake",
                              organisationId,
                              userId: person.userId,
                              quizId: quiz.quizId,
                            }}
                            label={t("admin.retake.grantFor", { name: person.name, film: quiz.filmTitle })}
                          >
                            {t("admin.retake.grant")}
                          </OneButtonForm>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollingTable>
    </section>
  );
}
