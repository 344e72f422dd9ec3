import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { unitKinds } from "#db/schema";
import { Field, SelectField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { ScrollingTable } from "~/components/scrolling-table";
import { useT } from "~/i18n/i18n";
import { addUnitSchema } from "~/licensing/organisation-forms";
import { useReplyForm } from "~/utils/form-reply";
import type { Organisation } from "./route";

function AddUnitForm({ organisationId }: { organisationId: number }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm("add-unit", addUnitSchema, {
    defaultValue: { kind: "institution" },
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <h3>{t("org.addUnit")}</h3>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="addUnit" />
      <input type="hidden" name="organisationId" value={organisationId} />
      <Field field={fields.name} label={t("org.unitName")} type="text" />
      <SelectField
        field={fields.kind}
        label={t("org.unitKind")}
        options={unitKinds.map((kind) => ({ value: kind, label: t(`org.kind.${kind}`) }))}
      />
      <div>
        <button type="submit" className="button button--secondary">
          {t("org.addUnitSubmit")}
        </button>
      </div>
    </Form>
  );
}

/** One person's unit: a select and a save button in their row, and what the last save was told. */
function MemberUnitForm({
  organisation,
  member,
}: {
  organisation: Organisation;
  member: Organisation["members"][number];
}) {
  const t = useT();
  return (
    <>
      <FormMessage formId={`member-${member.userId}`} />
      <Form method="post" className="filter-form">
        <input type="hidden" name="intent" value="setUnit" />
        <input type="hidden" name="organisationId" value={organisation.id} />
        <input type="hidden" name="userId" value={member.userId} />
        <label htmlFor={`member-unit-${member.userId}`} className="visually-hidden">
          {t("org.unitFor", { name: member.name })}
        </label>
        <select
          id={`member-unit-${member.userId}`}
          name="unitId"
          defaultValue={member.unitId ? String(member.unitId) : ""}
        >
          <option value="">{t("org.noUnit")}</option>
          {organisation.units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {unit.name}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="button button--secondary"
          aria-label={t("org.saveUnitFor", { name: member.name })}
        >
          {t("org.save")}
        </button>
      </Form>
    </>
  );
}

/** The municipality's units (institutions, departments) and which unit each member belongs to. */
export function Units({ organisation }: { organisation: Organisation }) {
  const t = useT();
  return (
    <section className="card admin-licence" aria-labelledby="units-heading">
      <h2 id="units-heading">{t("org.unitsHeading")}</h2>
      <p>{t("org.unitsIntro")}</p>
      <FormMessage formId="units" />
      {organisation.units.length === 0 ? <p>{t("org.unitsNone")}</p> : null}
      <ul>
        {organisation.units.map((unit) => (
          <li key={unit.id}>
            {unit.name} ({t(`org.kind.${unit.kind}`)}){" "}
            <OneButtonForm
              fields={{ intent: "removeUnit", organisationId: organisation.id, unitId: unit.id }}
              label={t("org.removeUnitFor", { unit: unit.name })}
            >
              {t("org.remove")}
            </OneButtonForm>
          </li>
        ))}
      </ul>
      <AddUnitForm organisationId={organisation.id} />

      <h3>{t("org.membersHeading")}</h3>
      <ScrollingTable label={t("org.membersHeading")}>
        <thead>
          <tr>
            <th scope="col">{t("admin.column.person")}</th>
            <th scope="col">{t("admin.column.unit")}</th>
          </tr>
        </thead>
        <tbody>
          {organisation.members.map((member) => (
            <tr key={member.userId}>
              <td>
                {member.name}
                <br />
                <span className="course-card__meta email">{member.email}</span>
              </td>
              <td>
                <MemberUnitForm organisation={organisation} member={member} />
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollingTable>
    </section>
  );
}
