import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { createPlanSchema } from "~/billing/plan-forms";
import { FormMessage } from "~/components/form-message";
import { useT } from "~/i18n/i18n";
import { useFormReply } from "~/utils/form-reply";
import { validateForm } from "~/utils/form-schema";
import { PlanFields } from "./plan-fields";
import type { action, Course } from "./route";

/** A new plan, with every course ticked, or only the one the studio sent the owner here to sell. */
export function NewPlanForm({ courses, preselected }: { courses: Course[]; preselected: Course | null }) {
  const t = useT();
  const reply = useFormReply<typeof action>("createPlan");
  const [form, fields] = useForm({
    id: "createPlan",
    lastResult: reply?.result,
    defaultValue: {
      periodMonths: "12",
      courseIds: preselected ? [preselected.id] : courses.map((course) => course.id),
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, createPlanSchema),
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
