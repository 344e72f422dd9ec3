import { ScrollingTable } from "~/components/scrolling-table";
import { useT } from "~/i18n/i18n";
import type { DataSection } from "./personal-data-sections.server";

/** Rows a table shows on the page; a longer list is counted, and the downloads hold every row. */
const ROWS_ON_PAGE = 50;

/**
 * A person's data, section by section, as "Mine data" and the admin's person page show it. The
 * downloads are offered by the page, above this.
 */
export function PersonalDataView({ sections }: { sections: DataSection[] }) {
  const t = useT();
  return (
    <div className="personal-data">
      <nav aria-label={t("personalData.contents")} className="card">
        <h2 id="personal-data-contents">{t("personalData.contents")}</h2>
        <ul>
          {sections.map((section) => (
            <li key={section.id}>
              <a href={`#data-${section.id}`}>{section.heading}</a>
            </li>
          ))}
        </ul>
      </nav>
      {sections.map((section) => (
        <section key={section.id} className="card" aria-labelledby={`data-${section.id}`}>
          <h2 id={`data-${section.id}`} tabIndex={-1}>
            {section.heading}
          </h2>
          {section.note ? <p>{section.note}</p> : null}
          {section.tables.map((table, index) => {
            const headingId = `data-${section.id}-${index}`;
            return (
              <div key={headingId}>
                {table.heading ? <h3 id={headingId}>{table.heading}</h3> : null}
                {table.rows.length === 0 ? (
                  <p className="course-card__meta">{t("personalData.none")}</p>
                ) : (
                  <>
                    <ScrollingTable {...(table.heading ? { labelledBy: headingId } : { label: section.heading })}>
                      <thead>
                        <tr>
                          {table.columns.map((column) => (
                            <th key={column} scope="col">
                              {column}
                            </th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {table.rows.slice(0, ROWS_ON_PAGE).map((row, rowIndex) => (
                          <tr key={rowIndex}>
                            {row.map((cell, cellIndex) => (
                              <td key={cellIndex}>{cell}</td>
                            ))}
                          </tr>
                        ))}
                      </tbody>
                    </ScrollingTable>
                    {table.rows.length > ROWS_ON_PAGE ? (
                      <p className="course-card__meta">
                        {t("personalData.moreRows", { shown: ROWS_ON_PAGE, total: table.rows.length })}
                      </p>
                    ) : null}
                  </>
                )}
              </div>
            );
          })}
        </section>
      ))}
    </div>
  );
}
