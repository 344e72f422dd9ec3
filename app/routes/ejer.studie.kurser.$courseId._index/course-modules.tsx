import { createModuleSchema } from "~/catalog/studio-forms";
import { Field, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { ListedItemControls, ModuleTable, StudioForm, publishBlocker } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import type { CoursePageData } from "./route";

type Module = CoursePageData["modules"][number];

function ModuleActions({ module, first, last }: { module: Module; first: boolean; last: boolean }) {
  return (
    <>
      <ListedItemControls kind="module" item={module} first={first} last={last} blocked={publishBlocker(module)} />
      <FormMessage formId={`module-${module.id}`} />
    </>
  );
}

function CreateModuleForm() {
  const t = useT();
  const { reply, form, fields } = useReplyForm("createModule", createModuleSchema, {
    shouldValidate: "onBlur",
  });
  return (
    <StudioForm form={form} intent="createModule" reply={reply} submitLabel={t("studio.createModule")}>
      <p>{t("studio.newModuleIntro")}</p>
      <Field field={fields.title} label={t("studio.moduleTitle")} type="text" autoComplete="off" />
      <TextAreaField field={fields.description} label={t("studio.moduleDescription")} rows={6} />
    </StudioForm>
  );
}

/** The course's modules in order, each with its own buttons, and the form that adds one. */
export function CourseModules({ course, modules }: { course: CoursePageData["course"]; modules: Module[] }) {
  const t = useT();
  return (
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
  );
}
