import { getCollectionProps } from "@conform-to/react";
import { Link } from "@remix-run/react";
import { addToPlansSchema } from "~/catalog/studio-forms";
import { FieldErrors } from "~/components/field";
import { StudioForm } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import type { CoursePageData } from "./route";

type Plan = CoursePageData["plans"][number];

/** Ticks the plans on sale that lack the course, so municipalities can buy it from their next order. */
function AddToPlansForm({ plans }: { plans: Plan[] }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm("addToPlans", addToPlansSchema, {
    shouldValidate: "onSubmit",
  });
  const checkboxes = getCollectionProps(fields.planIds, {
    type: "checkbox",
    options: plans.map((plan) => String(plan.id)),
    ariaAttributes: false,
  });
  return (
    <StudioForm form={form} intent="addToPlans" reply={reply} submitLabel={t("studio.addToPlans")}>
      <fieldset className="field" aria-describedby={fields.planIds.errors ? fields.planIds.errorId : undefined}>
        <legend>{t("studio.addToPlansLegend")}</legend>
        {checkboxes.map(({ key, ...props }, index) => (
          <div className="checkbox" key={key}>
            <input {...props} />
            <label htmlFor={props.id}>{plans[index]!.name}</label>
          </div>
        ))}
        <FieldErrors field={fields.planIds} />
      </fieldset>
    </StudioForm>
  );
}

/**
 * A published course that no plan on sale includes can be seen by licences given it here, but
 * no municipality can buy it; the next step is said where the owner looks first, with the way to take it.
 */
export function NotForSale({ course, plans }: { course: CoursePageData["course"]; plans: Plan[] }) {
  const t = useT();
  const onSale = plans.filter((plan) => plan.active);
  return (
    <section className="notice" aria-labelledby="for-sale-heading">
      <h2 id="for-sale-heading">{t("studio.notForSaleHeading")}</h2>
      <p>{t("studio.notForSale")}</p>
      {onSale.length > 0 ? <AddToPlansForm plans={onSale} /> : null}
      <p>
        <Link to={`/ejer/priser?kursus=${course.id}#ny-licens`}>{t("studio.newPlanWithCourse")}</Link>
      </p>
    </section>
  );
}
