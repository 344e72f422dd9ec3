import { getCollectionProps, getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import {
  addToPlansSchema,
  createModuleSchema,
  grantAccessSchema,
  moveModuleSchema,
  publishCourseSchema,
  publishListedModuleSchema,
  updateCourseSchema,
} from "~/catalog/studio-forms";
import {
  addCourseToPlans,
  createModule,
  grantCourseToLicences,
  moveModule,
  setCoursePublished,
  setModulePublished,
  studioCourse,
  updateCourse,
} from "~/catalog/studio.server";
import { Field, FieldErrors, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import {
  ListedItemControls,
  ModuleTable,
  PublishButton,
  PublishedState,
  usePageAction,
} from "~/components/studio-controls";
import { formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { useFormReply } from "~/utils/form-reply";
import {
  formIntent,
  invariantResponse,
  parseSubmission,
  readForm,
  replyToForm,
  requirePathId,
} from "~/utils/http.server";
import { validateForm } from "~/utils/form-schema";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, { text: data.course.title }, "studio.title") : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOwner(request);
  const found = studioCourse(requirePathId(params.courseId, "notFound.course"));
  invariantResponse(found, "notFound.course", { status: 404 });
  return json(found, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = {
  updateCourse: updateCourseSchema,
  publishCourse: publishCourseSchema,
  createModule: createModuleSchema,
  moveModule: moveModuleSchema,
  publishModule: publishListedModuleSchema,
  grantAccess: grantAccessSchema,
  addToPlans: addToPlansSchema,
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  await requireOwner(request);
  const courseId = requirePathId(params.courseId, "notFound.course");
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  // A module's buttons answer beside that module.
  const formId =
    intent === "moveModule" || intent === "publishModule" ? `module-${String(form.get("moduleId"))}` : intent;
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") return replyToForm(formId, submission);

  const value = submission.value;
  // The page was read before another tab changed the course: said beside the module's buttons.
  const moduleGone = () => replyToForm(formId, submission, { refusal: "studio.moduleGone", status: 404 });
  switch (value.intent) {
    case "updateCourse": {
      invariantResponse(updateCourse(courseId, value) === "saved", "notFound.course", { status: 404 });
      return replyToForm(formId, submission, { notice: "studio.saved" });
    }
    case "publishCourse": {
      const outcome = setCoursePublished(courseId, value.published);
      invariantResponse(outcome !== "notFound", "notFound.course", { status: 404 });
      if (outcome === "noFilm") return replyToForm(formId, submission, { refusal: "studio.courseNeedsFilm" });
      return replyToForm(formId, submission, {
        notice: value.published ? "studio.coursePublished" : "studio.courseUnpublished",
      });
    }
    case "createModule": {
      const created = createModule(courseId, value);
      invariantResponse(created.status === "created", "notFound.course", { status: 404 });
      return redirect(`/ejer/studie/moduler/${created.id}`);
    }
    case "moveModule": {
      if (moveModule(courseId, value.moduleId, value.direction) === "notFound") return moduleGone();
      return replyToForm(formId, submission, { notice: "studio.moved" });
    }
    case "publishModule": {
      const outcome = setModulePublished(value.moduleId, value.published, courseId);
      if (outcome === "notFound") return moduleGone();
      if (outcome === "noFilm") return replyToForm(formId, submission, { refusal: "studio.moduleNeedsFilm" });
      return replyToForm(formId, submission, {
        notice: value.published ? "studio.modulePublished" : "studio.moduleUnpublished",
      });
    }
    case "grantAccess": {
      const granted = grantCourseToLicences(courseId, value.licenceIds);
      invariantResponse(granted.status !== "notFound", "notFound.course", { status: 404 });
      if (granted.status === "unknownLicence")
        return replyToForm(formId, submission, { fieldErrors: { licenceIds: ["studio.licenceUnknown"] } });
      return replyToForm(formId, submission, { notice: "studio.accessGiven", resetForm: true });
    }
    case "addToPlans": {
      const added = addCourseToPlans(courseId, value.planIds);
      invariantResponse(added.status !== "notFound", "notFound.course", { status: 404 });
      if (added.status === "unknownPlan")
        return replyToForm(formId, submission, { fieldErrors: { planIds: ["studio.planUnknown"] } });
      return replyToForm(formId, submission, { notice: "studio.addedToPlans", resetForm: true });
    }
  }
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
type Licence = PageData["licences"][number];
type Plan = PageData["plans"][number];

const useReply = (formId: string) => useFormReply<typeof action>(formId);

function CourseForm({ course }: { course: PageData["course"] }) {
  const t = useT();
  const reply = useReply("updateCourse");
  const [form, fields] = useForm({
    id: "updateCourse",
    lastResult: reply?.result,
    defaultValue: {
      title: course.title,
      summary: course.summary,
      certificateMinutes: course.certificateMinutes?.toString() ?? "",
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, updateCourseSchema),
  });
  return (
    <Form method="post" action={usePageAction()} {...getFormProps(form)} className="form">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="updateCourse" />
      <Field field={fields.title} label={t("studio.courseTitle")} type="text" autoComplete="off" />
      <TextAreaField field={fields.summary} label={t("studio.courseSummary")} hint={t("studio.courseSummaryHint")} />
      <Field
        field={fields.certificateMinutes}
        label={t("studio.certificateMinutes")}
        hint={t("studio.certificateMinutesHint")}
        type="text"
        autoComplete="off"
      />
      <p className="field__hint">{t("studio.slugNote", { slug: course.slug })}</p>
      <div>
        <button type="submit" className="button">
          {t("studio.save")}
        </button>
      </div>
    </Form>
  );
}

function ModuleActions({
  module,
  first,
  last,
}: {
  module: PageData["modules"][number];
  first: boolean;
  last: boolean;
}) {
  return (
    <>
      <ListedItemControls
        kind="module"
        item={module}
        first={first}
        last={last}
        blocked={module.hasFilm ? undefined : "studio.moduleNeedsFilm"}
      />
      <FormMessage formId={`module-${module.id}`} />
    </>
  );
}

function CreateModuleForm() {
  const t = useT();
  const reply = useReply("createModule");
  const [form, fields] = useForm({
    id: "createModule",
    lastResult: reply?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, createModuleSchema),
  });
  return (
    <Form method="post" action={usePageAction()} {...getFormProps(form)} className="form">
      <FormMessage reply={reply} id={form.errorId} />
      <p>{t("studio.newModuleIntro")}</p>
      <input type="hidden" name="intent" value="createModule" />
      <Field field={fields.title} label={t("studio.moduleTitle")} type="text" autoComplete="off" />
      <TextAreaField field={fields.description} label={t("studio.moduleDescription")} rows={6} />
      <div>
        <button type="submit" className="button">
          {t("studio.createModule")}
        </button>
      </div>
    </Form>
  );
}

/** A licence in words, with what tells it apart from another of the same municipality, period and size. */
function useDescribeLicence() {
  const t = useT();
  const language = useLanguage();
  return (licence: Licence) =>
    [
      t("studio.licenceLine", {
        organisation: licence.organisationName,
        from: formatDay(language, licence.startsOn),
        to: formatDay(language, licence.endsOn),
        seats: licence.seatCount,
      }),
      licence.planName ?? t("studio.licenceWithoutPlan"),
      licence.orderReference ? t("studio.licenceOrder", { reference: licence.orderReference }) : null,
      t("studio.licenceNumber", { id: licence.id }),
    ]
      .filter(Boolean)
      .join(" · ");
}

function AccessForm({ licences }: { licences: Licence[] }) {
  const t = useT();
  const describe = useDescribeLicence();
  const pageAction = usePageAction();
  const reply = useReply("grantAccess");
  const [form, fields] = useForm({
    id: "grantAccess",
    lastResult: reply?.result,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => validateForm(formData, grantAccessSchema),
  });
  const included = licences.filter((licence) => licence.includesCourse);
  const open = licences.filter((licence) => !licence.includesCourse);
  const checkboxes = getCollectionProps(fields.licenceIds, {
    type: "checkbox",
    options: open.map((licence) => String(licence.id)),
    ariaAttributes: false,
  });
  return (
    <>
      <FormMessage reply={reply} id={form.errorId} />
      <h3>{t("studio.licencesWith")}</h3>
      {included.length === 0 ? (
        <p>{t("studio.licencesWithNone")}</p>
      ) : (
        <ul>
          {included.map((licence) => (
            <li key={licence.id}>{describe(licence)}</li>
          ))}
        </ul>
      )}
      <h3>{t("studio.licencesWithout")}</h3>
      {open.length === 0 ? (
        <p>{t("studio.licencesWithoutNone")}</p>
      ) : (
        <Form method="post" action={pageAction} {...getFormProps(form)} className="form">
          <input type="hidden" name="intent" value="grantAccess" />
          <fieldset
            className="field"
            aria-describedby={fields.licenceIds.errors ? fields.licenceIds.errorId : undefined}
          >
            <legend>{t("studio.licencesLegend")}</legend>
            {checkboxes.map(({ key, ...props }, index) => (
              <div className="checkbox" key={key}>
                <input {...props} />
                <label htmlFor={props.id}>{describe(open[index]!)}</label>
              </div>
            ))}
            <FieldErrors field={fields.licenceIds} />
          </fieldset>
          <div>
            <button type="submit" className="button">
              {t("studio.giveAccess")}
            </button>
          </div>
        </Form>
      )}
    </>
  );
}

/** Ticks the plans on sale that lack the course, so municipalities can buy it from their next order. */
function AddToPlansForm({ plans }: { plans: Plan[] }) {
  const t = useT();
  const reply = useReply("addToPlans");
  const [form, fields] = useForm({
    id: "addToPlans",
    lastResult: reply?.result,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => validateForm(formData, addToPlansSchema),
  });
  const checkboxes = getCollectionProps(fields.planIds, {
    type: "checkbox",
    options: plans.map((plan) => String(plan.id)),
    ariaAttributes: false,
  });
  return (
    <Form method="post" action={usePageAction()} {...getFormProps(form)} className="form">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="addToPlans" />
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
      <div>
        <button type="submit" className="button">
          {t("studio.addToPlans")}
        </button>
      </div>
    </Form>
  );
}

/**
 * A published course that no plan on sale includes can be seen by licences given it here, but
 * no municipality can buy it; the next step is said where the owner looks first, with the way to take it.
 */
function NotForSale({ course, plans }: { course: PageData["course"]; plans: Plan[] }) {
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

export default function StudioCourse() {
  const t = useT();
  const { course, modules, licences, plans } = useLoaderData<typeof loader>();
  const plansWith = plans.filter((plan) => plan.includesCourse);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/ejer/studie">{t("studio.back")}</Link>
      </p>
      <h1>{course.title}</h1>
      <p className="course-card__meta">
        <PublishedState published={course.published} /> ·{" "}
        <Link to={`/kurser/${course.slug}`}>{t("studio.previewCourse")}</Link>
      </p>
      {course.published && !course.showsAFilm ? (
        <p className="notice notice--error">{t("studio.publishedWithoutFilm")}</p>
      ) : null}
      <FormMessage formId="publishCourse" />
      <div className="studio-controls">
        <PublishButton
          intent="publishCourse"
          title={course.title}
          published={course.published}
          blocked={course.showsAFilm ? undefined : "studio.courseNeedsFilm"}
        />
      </div>
      {course.published && !course.forSale ? (
        <NotForSale course={course} plans={plans} />
      ) : (
        // After "Added", the notice stays on the page though the box that held the form is gone.
        <FormMessage formId="addToPlans" />
      )}

      <section className="card admin-licence" aria-labelledby="details-heading">
        <h2 id="details-heading">{t("studio.courseDetailsHeading")}</h2>
        <CourseForm course={course} />
      </section>

      <section className="card admin-licence" aria-labelledby="modules-heading">
        <h2 id="modules-heading">{t("studio.modulesHeading")}</h2>
        <p>{t("studio.modulesIntro")}</p>
        {modules.length === 0 ? (
          <p>{t("studio.noModules")}</p>
        ) : (
          <ModuleTable
            label={t("studio.modulesOf", { title: course.title })}
            modules={modules}
            actions={(module, index) => (
              <ModuleActions module={module} first={index === 0} last={index === modules.length - 1} />
            )}
          />
        )}
        <h3>{t("studio.newModuleHeading")}</h3>
        <CreateModuleForm />
      </section>

      <section className="card admin-licence" aria-labelledby="feedback-heading">
        <h2 id="feedback-heading">{t("studio.feedbackHeading")}</h2>
        <p>{t("studio.feedbackIntro")}</p>
        <ul>
          <li>
            <Link to={`/ejer/studie/kurser/${course.id}/feedback/medarbejdere`}>{t("studio.feedbackStaff")}</Link>
          </li>
          <li>
            <Link to={`/ejer/studie/kurser/${course.id}/feedback/ledere`}>{t("studio.feedbackLeaders")}</Link>
          </li>
        </ul>
      </section>

      <section className="card admin-licence" aria-labelledby="access-heading">
        <h2 id="access-heading">{t("studio.accessHeading")}</h2>
        <p>{t("studio.accessIntro")}</p>
        <AccessForm licences={licences} />
        <h3>{t("studio.plansWith")}</h3>
        {plansWith.length === 0 ? (
          <p>{t("studio.plansWithNone")}</p>
        ) : (
          <ul>
            {plansWith.map((plan) => (
              <li key={plan.id}>
                {plan.name} ({t(plan.active ? "plans.onSale" : "plans.offSale").toLowerCase()})
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/ejer/priser">{t("studio.plansLink")}</Link>
        </p>
      </section>
    </div>
  );
}
