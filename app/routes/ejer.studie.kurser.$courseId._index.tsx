import { parseWithZod } from "@conform-to/zod";
import { getCollectionProps, getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import {
  createModuleSchema,
  grantAccessSchema,
  moveModuleSchema,
  publishCourseSchema,
  publishListedModuleSchema,
  updateCourseSchema,
} from "~/catalog/studio-forms";
import { createModule, grantCourseToLicences, moveModule, setCoursePublished, setModulePublished, studioCourse, updateCourse } from "~/catalog/studio.server";
import { Field, FieldErrors, TextAreaField } from "~/components/field";
import { ModuleTable, MoveButtons, PublishButton, PublishedState, ReplyMessage, type StudioReply } from "~/components/studio-controls";
import { formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { formIntent, invariantResponse, parseSubmission, readForm, requirePathId } from "~/utils/http.server";
import { useFormReply } from "~/utils/form-reply";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, { text: data.course.title }, "studio.title") : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOwner(request);
  const found = studioCourse(requirePathId(params.courseId, "Kurset findes ikke."));
  invariantResponse(found, "Kurset findes ikke.", { status: 404 });
  return json(found, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = {
  updateCourse: updateCourseSchema,
  publishCourse: publishCourseSchema,
  createModule: createModuleSchema,
  moveModule: moveModuleSchema,
  publishModule: publishListedModuleSchema,
  grantAccess: grantAccessSchema,
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  await requireOwner(request);
  const courseId = requirePathId(params.courseId, "Kurset findes ikke.");
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  // A module's buttons answer beside that module.
  const formId = intent === "moveModule" || intent === "publishModule" ? `module-${String(form.get("moduleId"))}` : intent;
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") {
    return json({ formId, result: submission.reply(), notice: null } satisfies StudioReply, { status: submission.status === "error" ? 400 : 200 });
  }

  const value = submission.value;
  const saved = (notice: StudioReply["notice"]) => json({ formId, result: submission.reply(), notice } satisfies StudioReply);
  const refused = (refusal: StudioReply["result"]) => json({ formId, result: refusal, notice: null } satisfies StudioReply, { status: 409 });
  switch (value.intent) {
    case "updateCourse": {
      invariantResponse(updateCourse(courseId, value) === "saved", "Kurset findes ikke.", { status: 404 });
      return saved("studio.saved");
    }
    case "publishCourse": {
      const outcome = setCoursePublished(courseId, value.published);
      invariantResponse(outcome !== "notFound", "Kurset findes ikke.", { status: 404 });
      if (outcome === "noFilm") return refused(submission.reply({ formErrors: ["studio.courseNeedsFilm"] }));
      return saved(value.published ? "studio.coursePublished" : "studio.courseUnpublished");
    }
    case "createModule": {
      const created = createModule(courseId, value);
      invariantResponse(created.status === "created", "Kurset findes ikke.", { status: 404 });
      return redirect(`/ejer/studie/moduler/${created.id}`);
    }
    case "moveModule": {
      invariantResponse(moveModule(courseId, value.moduleId, value.direction) === "saved", "Modulet findes ikke i dette kursus.", { status: 404 });
      return saved("studio.moved");
    }
    case "publishModule": {
      const outcome = setModulePublished(value.moduleId, value.published, courseId);
      invariantResponse(outcome !== "notFound", "Modulet findes ikke i dette kursus.", { status: 404 });
      if (outcome === "noFilm") return refused(submission.reply({ formErrors: ["studio.moduleNeedsFilm"] }));
      return saved(value.published ? "studio.modulePublished" : "studio.moduleUnpublished");
    }
    case "grantAccess": {
      const granted = grantCourseToLicences(courseId, value.licenceIds);
      invariantResponse(granted.status !== "notFound", "Kurset findes ikke.", { status: 404 });
      if (granted.status === "unknownLicence") {
        return json({ formId, result: submission.reply({ fieldErrors: { licenceIds: ["studio.licenceUnknown"] } }), notice: null } satisfies StudioReply, { status: 400 });
      }
      return json({ formId, result: submission.reply({ resetForm: true }), notice: "studio.accessGiven" } satisfies StudioReply);
    }
  }
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

const useReply = (formId: string) => useFormReply<typeof action>(formId);

function CourseForm({ course }: { course: PageData["course"] }) {
  const t = useT();
  const reply = useReply("updateCourse");
  const [form, fields] = useForm({
    id: "updateCourse",
    lastResult: reply?.result,
    defaultValue: { title: course.title, summary: course.summary, certificateMinutes: course.certificateMinutes?.toString() ?? "" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: updateCourseSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <ReplyMessage reply={reply} />
      <input type="hidden" name="intent" value="updateCourse" />
      <Field field={fields.title} label={t("studio.courseTitle")} type="text" autoComplete="off" />
      <TextAreaField field={fields.summary} label={t("studio.courseSummary")} hint={t("studio.courseSummaryHint")} />
      <Field field={fields.certificateMinutes} label={t("studio.certificateMinutes")} hint={t("studio.certificateMinutesHint")} type="text" autoComplete="off" />
      <p className="field__hint">{t("studio.slugNote", { slug: course.slug })}</p>
      <div>
        <button type="submit" className="button">
          {t("studio.save")}
        </button>
      </div>
    </Form>
  );
}

function ModuleActions({ module, first, last }: { module: PageData["modules"][number]; first: boolean; last: boolean }) {
  const reply = useReply(`module-${module.id}`);
  return (
    <div className="studio-controls">
      <MoveButtons intent="moveModule" target={{ name: "moduleId", id: module.id }} title={module.title} first={first} last={last} />
      <PublishButton intent="publishModule" target={{ name: "moduleId", id: module.id }} title={module.title} published={module.published} />
      <ReplyMessage reply={reply} />
    </div>
  );
}

function CreateModuleForm() {
  const t = useT();
  const [form, fields] = useForm({
    id: "createModule",
    lastResult: useReply("createModule")?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createModuleSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
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

function AccessForm({ licences }: { licences: PageData["licences"] }) {
  const t = useT();
  const language = useLanguage();
  const reply = useReply("grantAccess");
  const [form, fields] = useForm({
    id: "grantAccess",
    lastResult: reply?.result,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: grantAccessSchema }),
  });
  const describe = (licence: PageData["licences"][number]) =>
    t("studio.licenceLine", {
      organisation: licence.organisationName,
      from: formatDay(language, licence.startsOn),
      to: formatDay(language, licence.endsOn),
      seats: licence.seatCount,
    });
  const included = licences.filter((licence) => licence.includesCourse);
  const open = licences.filter((licence) => !licence.includesCourse);
  const checkboxes = getCollectionProps(fields.licenceIds, { type: "checkbox", options: open.map((licence) => String(licence.id)), ariaAttributes: false });
  return (
    <>
      <ReplyMessage reply={reply} />
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
        <Form method="post" {...getFormProps(form)} className="form">
          <input type="hidden" name="intent" value="grantAccess" />
          <fieldset className="field" aria-describedby={fields.licenceIds.errors ? fields.licenceIds.errorId : undefined}>
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

export default function StudioCourse() {
  const t = useT();
  const { course, modules, licences, plans } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/ejer/studie">{t("studio.back")}</Link>
      </p>
      <h1>{course.title}</h1>
      <p className="course-card__meta">
        <PublishedState published={course.published} /> · <Link to={`/kurser/${course.slug}`}>{t("studio.previewCourse")}</Link>
      </p>
      {course.published && !course.showsAFilm ? <p className="notice notice--error">{t("studio.publishedWithoutFilm")}</p> : null}
      <ReplyMessage reply={useReply("publishCourse")} />
      <div className="studio-controls">
        <PublishButton intent="publishCourse" title={course.title} published={course.published} />
      </div>

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
            actions={(module, index) => <ModuleActions module={module} first={index === 0} last={index === modules.length - 1} />}
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
        {plans.length === 0 ? (
          <p>{t("studio.plansWithNone")}</p>
        ) : (
          <ul>
            {plans.map((plan) => (
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
