import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { createDiscountSchema } from "~/billing/plan-forms";
import { Field, SelectField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import type { PageData, Plan } from "./route";

/** A discount code anyone may type, or an agreement with one municipality, on one plan or all. */
export function NewDiscountForm({ plans, organisations }: { plans: Plan[]; organisations: PageData["organisations"] }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm("createDiscount", createDiscountSchema, {
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormMessage reply={reply} id={form.errorId} />
      <p>{t("plans.newDiscountIntro")}</p>
      <input type="hidden" name="intent" value="createDiscount" />
      <Field
        field={fields.label}
        label={t("plans.discountLabel")}
        hint={t("plans.discountLabelHint")}
        type="text"
        autoComplete="off"
      />
      <Field field={fields.code} label={t("plans.code")} hint={t("plans.codeHint")} type="text" autoComplete="off" />
      <SelectField
        field={fields.organisationId}
        label={t("plans.organisation")}
        options={[
          { value: "", label: t("plans.organisationNone") },
          ...organisations.map((o) => ({ value: String(o.id), label: o.name })),
        ]}
      />
      <SelectField
        field={fields.planId}
        label={t("plans.plan")}
        options={[
          { value: "", label: t("plans.allPlans") },
          ...plans.map((plan) => ({ value: String(plan.id), label: plan.name })),
        ]}
      />
      <Field
        field={fields.percent}
        label={t("plans.percent")}
        hint={t("plans.percentHint")}
        type="text"
        autoComplete="off"
      />
      <Field field={fields.validUntil} label={t("plans.validUntil")} type="date" />
      <Field field={fields.maxUses} label={t("plans.maxUses")} type="text" autoComplete="off" />
      <div>
        <button type="submit" className="button">
          {t("plans.createDiscount")}
        </button>
      </div>
    </Form>
  );
}
