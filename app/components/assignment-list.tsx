import type { SerializeFrom } from "@remix-run/node";
import { ActionsColumnHeader } from "~/components/actions-column-header";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { ScrollingTable } from "~/components/scrolling-table";
import { professionLabels } from "~/feedback/professions";
import { formatDay, useLanguage, useT } from "~/i18n/i18n";
import type { AssignmentRow } from "~/training/assignments.server";

export const assignmentListId = (organisationId: number) => `assignments-${organisationId}`;

type Assignment = SerializeFrom<AssignmentRow>;

/** Who an assignment is for, in words: everyone, a unit, a profession, or the people named. */
function ScopeText({ assignment }: { assignment: Assignment }) {
  const t = useT();
  switch (assignment.scope) {
    case "unit":
      return <>{t("training.list.unit", { unit: assignment.unitName ?? "" })}</>;
    case "profession":
      return <>{t("training.list.profession", { profession: t(professionLabels[assignment.profession!]) })}</>;
    case "people":
      return <>{assignment.people}</>;
    default:
      return <>{t("training.scope.everyone")}</>;
  }
}

/**
 * The active assignments with a button to remove each one the viewer may remove. What happened to a
 * removed one is said above the list, since its row is gone once the page reloads.
 */
export function AssignmentList({ organisationId, assignments }: { organisationId: number; assignments: Assignment[] }) {
  const t = useT();
  const language = useLanguage();
  const listId = assignmentListId(organisationId);
  return (
    <section aria-labelledby={`${listId}-heading`} className="page-part">
      <h2 id={`${listId}-heading`}>{t("training.list.heading")}</h2>
      <FormMessage formId={listId} />
      {assignments.length === 0 ? (
        <p>{t("training.list.none")}</p>
      ) : (
        <ScrollingTable labelledBy={`${listId}-heading`}>
          <caption className="visually-hidden">{t("training.list.heading")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("training.list.course")}</th>
              <th scope="col">{t("training.list.who")}</th>
              <th scope="col">{t("training.list.due")}</th>
              <th scope="col">{t("training.list.recurrence")}</th>
              <th scope="col">{t("training.list.covered")}</th>
              <ActionsColumnHeader />
            </tr>
          </thead>
          <tbody>
            {assignments.map((assignment) => (
              <tr key={assignment.id}>
                <td>{assignment.courseTitle}</td>
                <td>
                  <ScopeText assignment={assignment} />
                </td>
                <td>
                  {assignment.dueMode === "date"
                    ? formatDay(language, assignment.dueOn!)
                    : t("training.list.afterSeat", { days: assignment.dueDays! })}
                </td>
                <td>
                  {assignment.recurrenceMonths == null
                    ? t("training.list.once")
                    : t("training.list.every", { months: assignment.recurrenceMonths })}
                </td>
                <td>{assignment.covered}</td>
                <td>
                  {assignment.canRemove ? (
                    <OneButtonForm
                      fields={{ intent: "remove", organisationId, assignmentId: assignment.id }}
                      label={t("training.list.removeFor", { course: assignment.courseTitle })}
                    >
                      {t("training.list.remove")}
                    </OneButtonForm>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      )}
    </section>
  );
}
