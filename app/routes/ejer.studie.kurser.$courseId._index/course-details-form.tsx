import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { updateCourseSchema } from "~/catalog/studio-forms";
import { Field, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { usePageAction } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { useFormReply } from "~/utils/form-reply";
import { validateForm } from "~/utils/form-schema";
import type { action, CoursePageData } from "./route";

/** The course's title, summary and certificate minutes; its slug is shown but stays. */
export function CourseDetailsForm({ course }: { course: CoursePageData["course"] }) {
  const t = useT();
  const reply = useFormReply<typeof action>("updateCourse");
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
