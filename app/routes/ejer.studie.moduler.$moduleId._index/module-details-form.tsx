import { updateModuleSchema } from "~/catalog/studio-forms";
import { Field, TextAreaField } from "~/components/field";
import { StudioForm } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import type { ModulePageData } from "./route";

/** The module's title and description; its slug is shown but stays. */
export function ModuleDetailsForm({ module }: { module: ModulePageData["module"] }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm("updateModule", updateModuleSchema, {
    defaultValue: { title: module.title, description: module.description },
    shouldValidate: "onBlur",
  });
  return (
    <StudioForm form={form} intent="updateModule" reply={reply} submitLabel={t("studio.save")}>
      <Field field={fields.title} label={t("studio.moduleTitle")} type="text" autoComplete="off" />
      <TextAreaField field={fields.description} label={t("studio.moduleDescription")} rows={6} />
      <p className="field__hint">{t("studio.slugNote", { slug: module.slug })}</p>
    </StudioForm>
  );
}
