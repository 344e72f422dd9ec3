import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { createCourseSchema, moveCourseSchema, publishListedCourseSchema } from "~/catalog/studio-forms";
import { createCourse, moveCourse, setCoursePublished } from "~/catalog/studio-courses.server";
import { studioOverview } from "~/catalog/studio-views.server";
import { Field, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { ListedItemControls, ModuleTable, PublishedState, StudioForm } from "~/components/studio-controls";
import { pageTitle, useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import { formIntent, parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "studio.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  return json({ courses: studioOverview() }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = {
  createCourse: createCourseSchema,
  moveCourse: moveCourseSchema,
  publishCourse: publishListedCourseSchema,
} as const;

export async function action({ request }: ActionFunctionArgs) {
  await requireOwner(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  // Each course's buttons answer beside that course.
  const formId = intent === "createCourse" ? intent : `course-${String(form.get("courseId"))}`;
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") return replyToForm(formId, submission);

  const value = submission.value;
  // The list was read before another tab changed it: said beside the course, not instead of the page.
  const gone = () => replyToForm(formId, submission, { refusal: "studio.courseGone", status: 404 });
  switch (value.intent) {
    case "createCourse": {
      const created = createCourse(value);
      return redirect(`/ejer/studie/kurser/${created.id}`);
    }
    case "moveCourse": {
      if (moveCourse(value.courseId, value.direction) === "notFound") return gone();
      return replyToForm(formId, submission, { notice: "studio.moved" });
    }
    case "publishCourse": {
      const outcome = setCoursePublished(value.courseId, value.published);
      if (outcome === "notFound") return gone();
      if (outcome === "noFilm") return replyToForm(formId, submission, { refusal: "studio.courseNeedsFilm" });
      return replyToForm(formId, submission, {
        notice: value.published ? "studio.coursePublished" : "studio.courseUnpublished",
      });
    }
  }
}

type Course = ReturnType<typeof useLoaderData<typeof loader>>["courses"][number];

function CourseCard({ course, first, last }: { course: Course; first: boolean; last: boolean }) {
  const t = useT();
  return (
    <li className="card studio-card">
      <h3>
        <Link to={`/ejer/studie/kurser/${course.id}`}>{course.title}</Link>
      </h3>
      <p className="course-card__meta">
        <PublishedState published={course.published} /> · {t("studio.moduleCount", { count: course.modules.length })}
      </p>
      {course.published && !course.showsAFilm ? (
        <p className="notice notice--error">{t("studio.publishedWithoutFilm")}</p>
      ) : null}
      <FormMessage formId={`course-${course.id}`} />
      <ListedItemControls
        kind="course"
        item={course}
        first={first}
        last={last}
        blocked={course.showsAFilm ? undefined : "studio.courseNeedsFilm"}
      />
      {course.modules.length > 0 ? (
        <ModuleTable label={t("studio.modulesOf", { title: course.title })} modules={course.modules} />
      ) : null}
    </li>
  );
}

function CreateCourseForm() {
  const t = useT();
  const { reply, form, fields } = useReplyForm("createCourse", createCourseSchema, {
    shouldValidate: "onBlur",
  });
  return (
    <StudioForm form={form} intent="createCourse" reply={reply} submitLabel={t("studio.createCourse")}>
      <p>{t("studio.newCourseIntro")}</p>
      <Field field={fields.title} label={t("studio.courseTitle")} type="text" autoComplete="off" />
      <TextAreaField field={fields.summary} label={t("studio.courseSummary")} hint={t("studio.courseSummaryHint")} />
    </StudioForm>
  );
}

export default function Studio() {
  const t = useT();
  const { courses } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("studio.title")}</h1>
      <p className="lead">{t("studio.intro")}</p>

      <section aria-labelledby="courses-heading">
        <h2 id="courses-heading">{t("studio.coursesHeading")}</h2>
        {courses.length === 0 ? <p>{t("studio.noCourses")}</p> : null}
        <ol className="studio-list">
          {courses.map((course, index) => (
            <CourseCard key={course.id} course={course} first={index === 0} last={index === courses.length - 1} />
          ))}
        </ol>
      </section>

      <section className="card admin-licence" aria-labelledby="new-course-heading">
        <h2 id="new-course-heading">{t("studio.newCourseHeading")}</h2>
        <CreateCourseForm />
      </section>
    </div>
  );
}
