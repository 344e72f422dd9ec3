import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { ScrollingTable } from "~/components/scrolling-table";
import { formatDay, useLanguage, useT } from "~/i18n/i18n";
import type { OverdueRound } from "~/training/compliance.server";

/** Where a reminder's answer is shown: above the overdue list of the municipality the round is in. */
export const overdueFormId = (organisationId: number) => `overdue-${organisationId}`;

/**
 * Who is past their due date, the longest overdue first, each with a one-click reminder. What a
 * reminder did is said above the list, by name, since the rows stay as they were.
 */
export function OverdueList({
  organisationId,
  rounds,
  total,
}: {
  organisationId: number;
  rounds: OverdueRound[];
  total: number;
}) {
  const t = useT();
  const language = useLanguage();
  const headingId = `overdue-${organisationId}-heading`;
  return (
    <>
      <h3 id={headingId}>{t("compliance.overdue.heading")}</h3>
      <FormMessage formId={overdueFormId(organisationId)} />
      {rounds.length === 0 ? (
        <p>{t("compliance.overdue.none")}</p>
      ) : (
        <>
          {total > rounds.length ? <p>{t("compliance.overdue.oldest", { shown: rounds.length, total })}</p> : null}
          <ScrollingTable labelledBy={headingId}>
            <thead>
              <tr>
                <th scope="col">{t("admin.column.person")}</th>
                <th scope="col">{t("admin.column.unit")}</th>
                <th scope="col">{t("compliance.column.course")}</th>
                <th scope="col">{t("compliance.column.dueOn")}</th>
                <th scope="col">{t("admin.column.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((round) => (
                <tr key={round.cycleId}>
                  <td>{round.name}</td>
                  <td>{round.unitName ?? "–"}</td>
                  <td>{round.courseTitle}</td>
                  <td>{formatDay(language, round.dueOn)}</td>
                  <td>
                    <OneButtonForm
                      fields={{ intent: "remind", cycleId: round.cycleId }}
                      label={t("compliance.remind.label", { name: round.name, course: round.courseTitle })}
                    >
                      {t("compliance.remind.button")}
                    </OneButtonForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollingTable>
        </>
      )}
    </>
  );
}
