import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { PeopleOverview } from "~/components/people-overview";
import { useT } from "~/i18n/i18n";
import type { PeopleData } from "./route";

/** One municipality's people, with the reminder to those who have not started and what it was told. */
export function PeopleSection({
  organisation,
  status,
  adminId,
}: {
  organisation: PeopleData;
  status: string | null;
  adminId: number;
}) {
  const t = useT();
  return (
    <PeopleOverview
      organisationId={organisation.id}
      heading={t("admin.peopleHeading", { organisation: organisation.name })}
      people={organisation.people}
      units={organisation.units}
      status={status}
      unitId={organisation.unitId}
      grantRetakesAs={adminId}
      linkPersonPages
    >
      <FormMessage formId={`people-${organisation.id}`} />
      <OneButtonForm fields={{ intent: "remind", organisationId: organisation.id }} look="button">
        {t("admin.remind")}
      </OneButtonForm>
    </PeopleOverview>
  );
}
