import { getCollectionProps, getFormProps, type FieldMetadata } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field, FieldErrors, NumberField, SelectField, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { SubmitButton } from "~/components/submit-button";
import { professionLabels, professions } from "~/feedback/professions";
import { shiftDays } from "~/i18n/dates";
import { useT } from "~/i18n/i18n";
import { createAssignmentSchema, DUE_DAYS_MAX, RECURRENCE_MAX_MONTHS } from "~/training/forms";
import { useReplyForm } from "~/utils/form-reply";
import { useHydrated } from "~/utils/use-hydrated";

export const assignmentFormId = (organisationId: number) => `assignment-${organisationId}`;

/** Radio buttons for one choice, under a legend, with the field's errors tied to the group. */
function RadioGroup({
  field,
  legend,
  options,
}: {
  field: FieldMetadata<unknown>;
  legend: string;
  options: { value: string; label: string }[];
}) {
  const radios = getCollectionProps(field as FieldMetadata<string>, {
    type: "radio",
    options: options.map((option) => option.value),
    ariaAttributes: false,
  });
  return (
    <fieldset className="field" aria-describedby={field.errors ? field.errorId : undefined}>
      <legend>{legend}</legend>
      {radios.map(({ key, ...props }, index) => (
        <div className="checkbox" key={key}>
          <input {...props} />
          <label htmlFor={props.id}>{options[index]?.label}</label>
        </div>
      ))}
      <FieldErrors field={field} />
    </fieldset>
  );
}

/**
 * "Gør et kursus obligatorisk". An admin chooses among everyone with a seat, a unit, a profession and
 * named people; a leader between their own unit and named people in it. Without JavaScript every
 * field is on the page and only those the choices use are read; with it, only those are shown.
 */
export function AssignmentForm({
  organisationId,
  courses,
  units,
  leader,
  today,
}: {
  organisationId: number;
  courses: { id: number; title: string }[];
  units: { id: number; name: string }[];
  leader: boolean;
  today: string;
}) {
  const t = useT();
  const formId = assignmentFormId(organisationId);
  const { reply, form, fields } = useReplyForm(formId, createAssignmentSchema, {
    defaultValue: {
      courseId: String(courses[0]?.id ?? ""),
      scope: leader ? "unit" : "everyone",
      unitId: String(units[0]?.id ?? ""),
      dueMode: "date",
      dueOn: shiftDays(today, 30),
    },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const hydrated = useHydrated();
  const shownFor = (field: FieldMetadata<unknown>, value: string) => !hydrated || field.value === value;
  const scopes = (leader ? (["unit", "people"] as const) : (["everyone", "unit", "profession", "people"] as const)).map(
    (scope) => ({ value: scope, label: t(`training.scope.${scope}`) }),
  );
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="form card"
      aria-describedby={form.errors ? form.errorId : undefined}
    >
      <h2>{t("training.form.heading")}</h2>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="create" />
      <input type="hidden" name="organisationId" value={organisationId} />
      <SelectField
        field={fields.courseId}
        label={t("training.form.course")}
        options={courses.map((course) => ({ value: String(course.id), label: course.title }))}
      />
      <RadioGroup field={fields.scope} legend={t("training.form.scope")} options={scopes} />
      <div hidden={!shownFor(fields.scope, "unit")}>
        <SelectField
          field={fields.unitId}
          label={t("training.form.unit")}
          options={units.map((unit) => ({ value: String(unit.id), label: unit.name }))}
        />
      </div>
      {leader ? null : (
        <div hidden={!shownFor(fields.scope, "profession")}>
          <SelectField
            field={fields.profession}
            label={t("training.form.profession")}
            options={[
              { value: "", label: t("training.form.chooseProfession") },
              ...professions.map((profession) => ({ value: profession, label: t(professionLabels[profession]) })),
            ]}
          />
        </div>
      )}
      <div hidden={!shownFor(fields.scope, "people")}>
        <TextAreaField
          field={fields.people as FieldMetadata<string>}
          label={t("training.form.people")}
          hint={t("training.form.peopleHint")}
          rows={3}
        />
      </div>
      <RadioGroup
        field={fields.dueMode}
        legend={t("training.form.dueMode")}
        options={[
          { value: "date", label: t("training.form.dueMode.date") },
          { value: "afterSeat", label: t("training.form.dueMode.afterSeat") },
        ]}
      />
      <div hidden={!shownFor(fields.dueMode, "date")}>
        <Field
          field={fields.dueOn as FieldMetadata<string>}
          label={t("training.form.dueOn")}
          hint={t("training.form.dueOnHint")}
          type="date"
        />
      </div>
      <div hidden={!shownFor(fields.dueMode, "afterSeat")}>
        <NumberField
          field={fields.dueDays}
          label={t("training.form.dueDays")}
          hint={t("training.form.dueDaysHint", { max: DUE_DAYS_MAX })}
          max={DUE_DAYS_MAX}
        />
      </div>
      <NumberField
        field={fields.recurrenceMonths}
        label={t("training.form.recurrence")}
        hint={t("training.form.recurrenceHint", { max: RECURRENCE_MAX_MONTHS })}
        max={RECURRENCE_MAX_MONTHS}
      />
      <SubmitButton>{t("training.form.submit")}</SubmitButton>
    </Form>
  );
}
