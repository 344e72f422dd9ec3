import { useT } from "~/i18n/i18n";
import type { StateCounts } from "~/training/compliance.server";
import { stateKey, type TrainingState } from "~/training/states";
import { ScrollingTable } from "~/components/scrolling-table";

// Left to right as a round goes: done first, then those still on their way, then those behind.
const columns: TrainingState[] = ["completedOnTime", "completedLate", "inProgress", "notStarted", "refresh", "overdue"];

/**
 * Counts of current rounds in each state, one row per group (a unit, a profession), with a total
 * row; used on the admin's and the leader's overview alike.
 */
export function ComplianceTable({
  id,
  heading,
  groupLabel,
  rows,
  total,
}: {
  id: string;
  heading: string;
  groupLabel: string;
  rows: { key: string; label: string; counts: StateCounts }[];
  total: StateCounts;
}) {
  const t = useT();
  return (
    <>
      <h3 id={id}>{heading}</h3>
      <ScrollingTable labelledBy={id}>
        <thead>
          <tr>
            <th scope="col">{groupLabel}</th>
            <th scope="col">{t("compliance.column.assigned")}</th>
            {columns.map((state) => (
              <th scope="col" key={state}>
                {t(stateKey(state))}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td>{row.counts.assigned}</td>
              {columns.map((state) => (
                <td key={state}>{row.counts[state]}</td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("compliance.total")}</th>
            <td>{total.assigned}</td>
            {columns.map((state) => (
              <td key={state}>{total[state]}</td>
            ))}
          </tr>
        </tfoot>
      </ScrollingTable>
    </>
  );
}
