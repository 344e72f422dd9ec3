import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { updateModuleSchema } from "~/catalog/studio-forms";
import { Field, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { usePageAction } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { useFormReply } from "~/utils/form-reply";
import { validateForm } from "~/utils/form-schema";
import type { action, ModulePageData } from "./route";

/** The module's title and description; its slug is shown but stays. */
export function ModuleDetailsForm({ module }: { module: ModulePageData["module"] }) {
  const t = useT();
  const reply = useFormReply<typeof action>("updateModule");
  const [form, fields] = useForm({
    id: "updateModule",
    lastResult: reply?.result,
    defaultValue: { title: module.title, description: module.description },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, updateModuleSchema),
  });
  return (
    <Form method="post" action={usePageAction()} {...getFormProps(form)} className="form">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="updateModule" />
      <Field field={fields.title} label={t("studio.moduleTitle")} type="text" autoComplete="off" />
      <TextAreaField field={fields.description} label={t("studio.moduleDescription")} rows={6} />
      <p className="field__hint">{t("studio.slugNote", { slug: module.slug })}</p>
      <div>
        <button type="submit" className="button">
          {t("studio.save")}
        </button>
      </div>
    </Form>
  );
}
