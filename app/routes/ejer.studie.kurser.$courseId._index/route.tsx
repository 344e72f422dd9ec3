import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { addCourseToPlans, grantCourseToLicences } from "~/catalog/studio-access.server";
import { setCoursePublished, updateCourse } from "~/catalog/studio-courses.server";
import {
  addToPlansSchema,
  createModuleSchema,
  grantAccessSchema,
  moveModuleSchema,
  publishCourseSchema,
  publishListedModuleSchema,
  updateCourseSchema,
} from "~/catalog/studio-forms";
import { createModule, moveModule, setModulePublished } from "~/catalog/studio-modules.server";
import { studioCourse } from "~/catalog/studio-views.server";
import { FormMessage } from "~/components/form-message";
import { StudioItemHeading } from "~/components/studio-controls";
import { pageTitle, useT } from "~/i18n/i18n";
import {
  formIntent,
  invariantResponse,
  parseSubmission,
  readForm,
  replyToForm,
  requirePathId,
} from "~/utils/http.server";
import { CourseAccess } from "./course-access";
import { CourseDetailsForm } from "./course-details-form";
import { CourseModules } from "./course-modules";
import { NotForSale } from "./not-for-sale";

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

export type CoursePageData = ReturnType<typeof useLoaderData<typeof loader>>;

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
      if (outcome === "noSubtitles") return replyToForm(formId, submission, { refusal: "studio.moduleNeedsSubtitles" });
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

export default function StudioCourse() {
  const t = useT();
  const { course, modules, licences, plans } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <StudioItemHeading
        back={{ to: "/ejer/studie", label: t("studio.back") }}
        title={course.title}
        published={course.published}
        preview={{ to: `/kurser/${course.slug}`, label: t("studio.previewCourse") }}
        publishIntent="publishCourse"
        blocked={course.showsAFilm ? undefined : "studio.courseNeedsFilm"}
      >
        {course.published && !course.showsAFilm ? (
          <p className="notice notice--error">{t("studio.publishedWithoutFilm")}</p>
        ) : null}
      </StudioItemHeading>
      {course.published && !course.forSale ? (
        <NotForSale course={course} plans={plans} />
      ) : (
        // After "Added", the notice stays on the page though the box that held the form is gone.
        <FormMessage formId="addToPlans" />
      )}

      <section className="card admin-licence" aria-labelledby="details-heading">
        <h2 id="details-heading">{t("studio.courseDetailsHeading")}</h2>
        <CourseDetailsForm course={course} />
      </section>

      <CourseModules course={course} modules={modules} />

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

      <section className="card admin-licence" aria-labelledby="measurement-heading">
        <h2 id="measurement-heading">{t("measurement.studio.heading")}</h2>
        <p>{t("measurement.studio.intro")}</p>
        <Link to={`/ejer/studie/kurser/${course.id}/maaling`}>{t("measurement.studio.link")}</Link>
      </section>

      <CourseAccess licences={licences} plans={plans} />
    </div>
  );
}
