import { getCollectionProps, type FieldMetadata } from "@conform-to/react";
import { Field, FieldErrors } from "~/components/field";
import { useT } from "~/i18n/i18n";
import type { Course } from "./route";

export type PlanFieldSet = Record<
  "name" | "summary" | "seatCount" | "periodMonths" | "seatPrice",
  FieldMetadata<string | undefined>
> & {
  courseIds: FieldMetadata<number[]>;
};

/** What a plan is: its name, seats, period, price per seat and courses, on the new plan's form and each plan's own. */
export function PlanFields({ fields, courses }: { fields: PlanFieldSet; courses: Course[] }) {
  const t = useT();
  const checkboxes = getCollectionProps(fields.courseIds, {
    type: "checkbox",
    options: courses.map((course) => String(course.id)),
    ariaAttributes: false,
  });
  return (
    <>
      <Field field={fields.name} label={t("plans.name")} hint={t("plans.nameHint")} type="text" autoComplete="off" />
      <Field field={fields.summary} label={t("plans.summary")} type="text" autoComplete="off" />
      <Field field={fields.seatCount} label={t("plans.seatCount")} type="text" autoComplete="off" />
      <Field field={fields.periodMonths} label={t("plans.periodMonths")} type="text" autoComplete="off" />
      <Field
        field={fields.seatPrice}
        label={t("plans.seatPrice")}
        hint={t("plans.seatPriceHint")}
        type="text"
        autoComplete="off"
      />
      <fieldset className="field" aria-describedby={fields.courseIds.errors ? fields.courseIds.errorId : undefined}>
        <legend>{t("plans.courses")}</legend>
        {checkboxes.map(({ key, ...props }, index) => (
          <div className="checkbox" key={key}>
            <input {...props} />
            <label htmlFor={props.id}>{courses[index]?.title}</label>
          </div>
        ))}
        <FieldErrors field={fields.courseIds} />
      </fieldset>
    </>
  );
}
