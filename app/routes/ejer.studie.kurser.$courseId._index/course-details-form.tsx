import { updateCourseSchema } from "~/catalog/studio-forms";
import { Field, TextAreaField } from "~/components/field";
import { StudioForm } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import type { CoursePageData } from "./route";

/** The course's title, summary and certificate minutes; its slug is shown but stays. */
export function CourseDetailsForm({ course }: { course: CoursePageData["course"] }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm("updateCourse", updateCourseSchema, {
    defaultValue: {
      title: course.title,
      summary: course.summary,
      certificateMinutes: course.certificateMinutes?.toString() ?? "",
    },
    shouldValidate: "onBlur",
  });
  return (
    <StudioForm form={form} intent="updateCourse" reply={reply} submitLabel={t("studio.save")}>
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
    </StudioForm>
  );
}
