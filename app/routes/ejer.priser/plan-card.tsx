import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { formatKroner, withVat } from "~/billing/money";
import { updatePlanSchema } from "~/billing/plan-forms";
import { CheckboxField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import { PlanFields } from "./plan-fields";
import type { Course, Plan } from "./route";

function EditPlanForm({ plan, courses }: { plan: Plan; courses: Course[] }) {
  const t = useT();
  const formId = `plan-${plan.id}`;
  const { reply, form, fields } = useReplyForm(formId, updatePlanSchema, {
    defaultValue: {
      name: plan.name,
      summary: plan.summary,
      seatCount: String(plan.seatCount),
      periodMonths: String(plan.periodMonths),
      // parseKroner reads formatKroner's output back, "kr." and all.
      seatPrice: formatKroner(plan.seatPriceOre),
      courseIds: plan.courseIds,
      active: plan.active,
    },
    shouldValidate: "onBlur",
  });
  const hasErrors = Object.keys(form.allErrors).length > 0;
  return (
    <>
      {/* Outside the details, which closes once the change is saved. */}
      <FormMessage reply={reply} id={form.errorId} />
      <details open={hasErrors || undefined}>
        <summary>{t("plans.editFor", { plan: plan.name })}</summary>
        <Form method="post" {...getFormProps(form)} className="form">
          <input type="hidden" name="intent" value="updatePlan" />
          <input type="hidden" name="planId" value={plan.id} />
          <PlanFields fields={fields} courses={courses} />
          <CheckboxField field={fields.active} label={t("plans.activeLabel")} />
          <div>
            <button type="submit" className="button button--secondary">
              {t("plans.save")}
            </button>
          </div>
        </Form>
      </details>
    </>
  );
}

/** One plan as it is sold, with its courses and a form to change it. */
export function PlanCard({ plan, courses }: { plan: Plan; courses: Course[] }) {
  const t = useT();
  const totals = withVat(plan.listPriceOre);
  const titles = courses.filter((course) => plan.courseIds.includes(course.id)).map((course) => course.title);
  return (
    <li>
      <article className="card admin-licence" aria-labelledby={`plan-heading-${plan.id}`}>
        <h3 id={`plan-heading-${plan.id}`}>{plan.name}</h3>
        <p className="course-card__meta">
          {t(plan.active ? "plans.onSale" : "plans.offSale")} · {t("plans.slug", { slug: plan.slug })} ·{" "}
          {t("plans.orderCount", { count: plan.orderCount })}
        </p>
        {plan.summary ? <p>{plan.summary}</p> : null}
        <p className="price">
          <strong>{formatKroner(totals.net)}</strong> {t("prices.exclVat")} ·{" "}
          {t("prices.inclVat", { price: formatKroner(totals.gross) })}
          <br />
          <span className="course-card__meta">
            {t("prices.seats", { count: plan.seatCount })} · {t("prices.months", { count: plan.periodMonths })} ·{" "}
            {t("prices.perSeat", { price: formatKroner(plan.seatPriceOre) })}
          </span>
        </p>
        <p>{t("plans.coursesList", { courses: titles.join(", ") })}</p>
        <EditPlanForm plan={plan} courses={courses} />
      </article>
    </li>
  );
}
