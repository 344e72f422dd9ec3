import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { SelectField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { useT } from "~/i18n/i18n";
import { groupFormId, groupUnitSchema } from "~/scim/forms";
import { useReplyForm } from "~/utils/form-reply";
import type { DirectoryPage } from "./route";

type Group = DirectoryPage["groups"][number];

function GroupUnitForm({ group, page }: { group: Group; page: DirectoryPage }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(groupFormId(group.id), groupUnitSchema, {
    defaultValue: {
      intent: "groupUnit",
      organisationId: String(page.organisation.id),
      groupId: group.id,
      unitId: group.unitId === null ? "none" : String(group.unitId),
    },
    shouldValidate: "onSubmit",
  });
  const options = [
    { value: "none", label: t("scim.admin.noUnit") },
    ...page.units.map((unit) => ({ value: String(unit.id), label: unit.name })),
  ];
  return (
    <div className="card">
      <h3>{group.displayName}</h3>
      <p>{t("scim.admin.groupMembers", { count: group.members })}</p>
      <FormMessage reply={reply} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="form">
        <input type="hidden" name="intent" value="groupUnit" />
        <input type="hidden" name="organisationId" value={page.organisation.id} />
        <input type="hidden" name="groupId" value={group.id} />
        <SelectField
          field={fields.unitId}
          label={t("scim.admin.groupUnit", { group: group.displayName })}
          options={options}
        />
        <div>
          <button type="submit" className="button button--secondary">
            {t("scim.admin.saveGroup")}
          </button>
        </div>
      </Form>
    </div>
  );
}

/** The groups the directory has sent, each with the unit its members are placed in. */
export function GroupUnits({ page }: { page: DirectoryPage }) {
  const t = useT();
  return (
    <section className="card">
      <h2>{t("scim.admin.groupsHeading")}</h2>
      <p>{t("scim.admin.groupsIntro")}</p>
      {page.groups.length > 0 ? (
        <div>
          {page.groups.map((group) => (
            <GroupUnitForm key={group.id} group={group} page={page} />
          ))}
        </div>
      ) : (
        <p className="notice">{t("scim.admin.groupsNone")}</p>
      )}
    </section>
  );
}
