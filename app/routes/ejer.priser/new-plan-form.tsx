import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { createPlanSchema } from "~/billing/plan-forms";
import { FormMessage } from "~/components/form-message";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import { PlanFields } from "./plan-fields";
import type { Course } from "./route";

/** A new plan, with every course ticked, or only the one the studio sent the owner here to sell. */
export function NewPlanForm({ courses, preselected }: { courses: Course[]; preselected: Course | null }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm("createPlan", createPlanSchema, {
    defaultValue: {
      periodMonths: "12",
      courseIds: preselected ? [preselected.id] : courses.map((course) => course.id),
    },
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormMessage reply={reply} id={form.errorId} />
      {preselected ? <p className="notice">{t("plans.preselected", { title: preselected.title })}</p> : null}
      <p>{t("plans.slugNote")}</p>
      <input type="hidden" name="intent" value="createPlan" />
      <PlanFields fields={fields} courses={courses} />
      <div>
        <button type="submit" className="button">
          {t("plans.create")}
        </button>
      </div>
    </Form>
  );
}
