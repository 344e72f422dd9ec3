import { getCollectionProps, getFormProps, getInputProps, useForm, type FieldMetadata } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { formatKroner, withVat } from "~/billing/money";
import {
  createDiscountSchema,
  createPlanSchema,
  setDiscountActiveSchema,
  updatePlanSchema,
} from "~/billing/plan-forms";
import { createDiscount, createPlan, priceAdministration, setDiscountActive, updatePlan } from "~/billing/plans.server";
import { Field, FieldErrors, SelectField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import type { MessageKey } from "~/i18n/da";
import { formatDay, intlLocale, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { idFromPath, validateForm } from "~/utils/form-schema";
import { useFormReply } from "~/utils/form-reply";
import { formIntent, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { ScrollingTable } from "~/components/scrolling-table";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "plans.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  const administration = priceAdministration();
  // The studio links here with ?kursus=<id> to sell a course no plan has: the new plan starts with it alone.
  const named = idFromPath(new URL(request.url).searchParams.get("kursus"));
  const preselectedCourse = administration.courses.find((course) => course.id === named) ?? null;
  return json({ ...administration, preselectedCourse }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = {
  createPlan: createPlanSchema,
  updatePlan: updatePlanSchema,
  createDiscount: createDiscountSchema,
  setDiscountActive: setDiscountActiveSchema,
} as const;

const refusals = {
  unknownCourse: { field: "courseIds", message: "plans.courseUnknown", status: 400 },
  unknownPlan: { field: "planId", message: "plans.planUnknown", status: 400 },
  unknownOrganisation: { field: "organisationId", message: "plans.organisationUnknown", status: 400 },
  codeTaken: { field: "code", message: "plans.codeTaken", status: 409 },
} as const satisfies Record<string, { field: string; message: MessageKey; status: number }>;

/** Each plan and each discount has forms of its own, so a reply names the row it belongs to. */
function formIdOf(intent: keyof typeof schemas, form: FormData) {
  if (intent === "updatePlan") return `plan-${String(form.get("planId"))}`;
  if (intent === "setDiscountActive") return `discount-${String(form.get("discountId"))}`;
  return intent;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireOwner(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const formId = formIdOf(intent, form);
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") return replyToForm(formId, submission);

  const value = submission.value;
  let outcome: keyof typeof refusals | null = null;
  let notice: MessageKey;
  switch (value.intent) {
    case "createPlan": {
      const created = createPlan(value);
      if (created.status !== "created") outcome = created.status;
      notice = "plans.created";
      break;
    }
    case "updatePlan": {
      const updated = updatePlan(value.planId, value);
      // The page was read before the plan went: said beside its form, not instead of the page.
      if (updated === "notFound") return replyToForm(formId, submission, { refusal: "plans.planUnknown", status: 404 });
      if (updated !== "saved") outcome = updated;
      notice = "plans.saved";
      break;
    }
    case "createDiscount": {
      const created = createDiscount({ ...value, basisPoints: value.percent });
      if (created !== "created") outcome = created;
      notice = "plans.discountCreated";
      break;
    }
    case "setDiscountActive": {
      if (setDiscountActive(value.discountId, value.active) === "notFound")
        return replyToForm(formId, submission, { refusal: "plans.discountGone", status: 404 });
      notice = value.active ? "plans.discountReactivated" : "plans.discountDeactivated";
      break;
    }
  }
  if (outcome) {
    const refusal = refusals[outcome];
    return replyToForm(formId, submission, {
      fieldErrors: { [refusal.field]: [refusal.message] },
      status: refusal.status,
    });
  }
  return replyToForm(formId, submission, { notice, resetForm: value.intent !== "updatePlan" });
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
type Plan = PageData["plans"][number];
type Course = PageData["courses"][number];

const useReply = (formId: string) => useFormReply<typeof action>(formId);

type PlanFieldSet = Record<
  "name" | "summary" | "seatCount" | "periodMonths" | "seatPrice",
  FieldMetadata<string | undefined>
> & {
  courseIds: FieldMetadata<number[]>;
};

function PlanFields({ fields, courses }: { fields: PlanFieldSet; courses: Course[] }) {
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

function CreatePlanForm({ courses, preselected }: { courses: Course[]; preselected: Course | null }) {
  const t = useT();
  const reply = useReply("createPlan");
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

function EditPlanForm({ plan, courses }: { plan: Plan; courses: Course[] }) {
  const t = useT();
  const formId = `plan-${plan.id}`;
  const reply = useReply(formId);
  const [form, fields] = useForm({
    id: formId,
    lastResult: reply?.result,
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
    onValidate: ({ formData }) => validateForm(formData, updatePlanSchema),
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
          <div className="checkbox">
            <input {...getInputProps(fields.active, { type: "checkbox", ariaAttributes: false })} />
            <label htmlFor={fields.active.id}>{t("plans.activeLabel")}</label>
          </div>
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

function PlanCard({ plan, courses }: { plan: Plan; courses: Course[] }) {
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

function CreateDiscountForm({ plans, organisations }: { plans: Plan[]; organisations: PageData["organisations"] }) {
  const t = useT();
  const reply = useReply("createDiscount");
  const [form, fields] = useForm({
    id: "createDiscount",
    lastResult: reply?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, createDiscountSchema),
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

function DiscountsTable({ discounts }: { discounts: PageData["discounts"] }) {
  const t = useT();
  const language = useLanguage();
  const percent = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 2 });
  if (discounts.length === 0) return <p>{t("plans.discountsNone")}</p>;
  return (
    <ScrollingTable label={t("plans.discountsHeading")}>
      <thead>
        <tr>
          <th scope="col">{t("plans.column.label")}</th>
          <th scope="col">{t("plans.column.appliesTo")}</th>
          <th scope="col">{t("plans.column.plan")}</th>
          <th scope="col">{t("plans.column.percent")}</th>
          <th scope="col">{t("plans.column.validUntil")}</th>
          <th scope="col">{t("plans.column.uses")}</th>
          <th scope="col">{t("plans.column.status")}</th>
          <th scope="col">
            <span className="visually-hidden">{t("admin.column.actions")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {discounts.map((discount) => (
          <tr key={discount.id}>
            <th scope="row">{discount.label}</th>
            <td>
              {discount.code
                ? t("plans.codeValue", { code: discount.code })
                : t("plans.agreementFor", { organisation: discount.organisationName ?? "" })}
            </td>
            <td>{discount.planName ?? t("plans.allPlans")}</td>
            <td className="amount">{percent.format(discount.percentBasisPoints / 100)} %</td>
            <td>{discount.validUntil ? formatDay(language, discount.validUntil) : t("plans.noEnd")}</td>
            <td>
              {discount.maxUses === null
                ? discount.uses
                : t("plans.usesOf", { uses: discount.uses, max: discount.maxUses })}
            </td>
            <td>{t(discount.active ? "plans.discountActive" : "plans.discountInactive")}</td>
            <td>
              <FormMessage formId={`discount-${discount.id}`} />
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="setDiscountActive" />
                <input type="hidden" name="discountId" value={discount.id} />
                <input type="hidden" name="active" value={discount.active ? "false" : "true"} />
                <button
                  type="submit"
                  className="link-button"
                  aria-label={t(discount.active ? "plans.deactivateFor" : "plans.reactivateFor", {
                    label: discount.label,
                  })}
                >
                  {t(discount.active ? "plans.deactivate" : "plans.reactivate")}
                </button>
              </Form>
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollingTable>
  );
}

export default function OwnerPrices() {
  const t = useT();
  const { plans, discounts, courses, organisations, preselectedCourse } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("plans.title")}</h1>
      <p className="lead">{t("plans.intro")}</p>

      <section aria-labelledby="plans-heading">
        <h2 id="plans-heading">{t("plans.plansHeading")}</h2>
        {plans.length === 0 ? <p>{t("plans.none")}</p> : null}
        <ul className="course-grid">
          {plans.map((plan) => (
            <PlanCard key={plan.id} plan={plan} courses={courses} />
          ))}
        </ul>
      </section>

      <section className="card admin-licence" id="ny-licens" aria-labelledby="new-plan-heading">
        <h2 id="new-plan-heading">{t("plans.newHeading")}</h2>
        <CreatePlanForm courses={courses} preselected={preselectedCourse} />
      </section>

      <section className="card admin-licence" aria-labelledby="discounts-heading">
        <h2 id="discounts-heading">{t("plans.discountsHeading")}</h2>
        <DiscountsTable discounts={discounts} />
      </section>

      <section className="card admin-licence" aria-labelledby="new-discount-heading">
        <h2 id="new-discount-heading">{t("plans.newDiscountHeading")}</h2>
        <CreateDiscountForm plans={plans} organisations={organisations} />
      </section>
    </div>
  );
}
