import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { publishModuleSchema, reflectionQuestionsSchema, updateModuleSchema } from "~/catalog/studio-forms";
import { saveReflectionQuestions, setModulePublished, updateModule } from "~/catalog/studio-modules.server";
import { studioModule } from "~/catalog/studio-views.server";
import { StudioItemHeading, publishBlocker } from "~/components/studio-controls";
import { pageTitle, useT } from "~/i18n/i18n";
import {
  formIntent,
  invariantResponse,
  parseSubmission,
  readForm,
  replyToForm,
  requirePathId,
} from "~/utils/http.server";
import { ModuleContent } from "./module-content";
import { ModuleDetailsForm } from "./module-details-form";
import { ReflectionQuestionsForm } from "./reflection-questions-form";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, { text: data.module.title }, "studio.title") : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOwner(request);
  const found = studioModule(requirePathId(params.moduleId, "notFound.module"));
  invariantResponse(found, "notFound.module", { status: 404 });
  return json(found, { headers: { "Cache-Control": "private, no-store" } });
}

export type ModulePageData = ReturnType<typeof useLoaderData<typeof loader>>;

const schemas = {
  updateModule: updateModuleSchema,
  publishModule: publishModuleSchema,
  saveReflection: reflectionQuestionsSchema,
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  await requireOwner(request);
  const moduleId = requirePathId(params.moduleId, "notFound.module");
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const formId = intent;
  const submission = parseSubmission(form, schemas[intent]);
  // Adding, removing or moving a question without JavaScript comes here too: it only changes the form, so it is no error.
  if (submission.status !== "success")
    return replyToForm(formId, submission, { status: submission.status === "error" ? 400 : 200 });

  const value = submission.value;
  const notFound = "notFound.module";
  switch (value.intent) {
    case "updateModule": {
      invariantResponse(updateModule(moduleId, value) === "saved", notFound, { status: 404 });
      return replyToForm(formId, submission, { notice: "studio.saved" });
    }
    case "publishModule": {
      const outcome = setModulePublished(moduleId, value.published);
      invariantResponse(outcome !== "notFound", notFound, { status: 404 });
      if (outcome === "noFilm") return replyToForm(formId, submission, { refusal: "studio.moduleNeedsFilm" });
      if (outcome === "noSubtitles") return replyToForm(formId, submission, { refusal: "studio.moduleNeedsSubtitles" });
      return replyToForm(formId, submission, {
        notice: value.published ? "studio.modulePublished" : "studio.moduleUnpublished",
      });
    }
    case "saveReflection": {
      invariantResponse(saveReflectionQuestions(moduleId, value.questions) === "saved", notFound, { status: 404 });
      return replyToForm(formId, submission, { notice: "studio.questionsSaved" });
    }
  }
}

export default function StudioModule() {
  const t = useT();
  const { course, module, reflectionQuestions } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <StudioItemHeading
        back={{ to: `/ejer/studie/kurser/${course.id}`, label: t("studio.backToCourse", { title: course.title }) }}
        title={module.title}
        published={module.published}
        preview={{ to: `/kurser/${course.slug}/${module.slug}`, label: t("studio.previewModule") }}
        publishIntent="publishModule"
        blocked={publishBlocker(module)}
      />

      <ModuleContent module={module} />

      <section className="card admin-licence" aria-labelledby="details-heading">
        <h2 id="details-heading">{t("studio.moduleDetailsHeading")}</h2>
        <ModuleDetailsForm module={module} />
      </section>

      <section className="card admin-licence" aria-labelledby="reflection-heading">
        <h2 id="reflection-heading">{t("studio.reflectionHeading")}</h2>
        <p>{t("studio.reflectionIntro")}</p>
        <ReflectionQuestionsForm questions={reflectionQuestions} />
      </section>
    </div>
  );
}
