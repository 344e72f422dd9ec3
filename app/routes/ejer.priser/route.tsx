import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import {
  createDiscountSchema,
  createPlanSchema,
  setDiscountActiveSchema,
  updatePlanSchema,
} from "~/billing/plan-forms";
import { createDiscount, createPlan, priceAdministration, setDiscountActive, updatePlan } from "~/billing/plans.server";
import type { MessageKey } from "~/i18n/da";
import { pageTitle, useT } from "~/i18n/i18n";
import { idFromPath } from "~/utils/form-schema";
import { formIntent, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { DiscountsTable } from "./discounts-table";
import { NewDiscountForm } from "./new-discount-form";
import { NewPlanForm } from "./new-plan-form";
import { PlanCard } from "./plan-card";

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

export type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
export type Plan = PageData["plans"][number];
export type Course = PageData["courses"][number];

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
        <NewPlanForm courses={courses} preselected={preselectedCourse} />
      </section>

      <section className="card admin-licence" aria-labelledby="discounts-heading">
        <h2 id="discounts-heading">{t("plans.discountsHeading")}</h2>
        <DiscountsTable discounts={discounts} />
      </section>

      <section className="card admin-licence" aria-labelledby="new-discount-heading">
        <h2 id="new-discount-heading">{t("plans.newDiscountHeading")}</h2>
        <NewDiscountForm plans={plans} organisations={organisations} />
      </section>
    </div>
  );
}
