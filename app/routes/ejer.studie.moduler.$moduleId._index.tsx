import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import {
  MAX_REFLECTION_QUESTIONS,
  publishModuleSchema,
  reflectionQuestionsSchema,
  updateModuleSchema,
} from "~/catalog/studio-forms";
import { saveReflectionQuestions, setModulePublished, studioModule, updateModule } from "~/catalog/studio.server";
import { Field, FieldErrors, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { PublishButton, PublishedState, usePageAction } from "~/components/studio-controls";
import { formatClock, pageTitle, useT } from "~/i18n/i18n";
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
  { title: data ? pageTitle(matches, { text: data.module.title }, "studio.title") : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOwner(request);
  const found = studioModule(requirePathId(params.moduleId, "notFound.module"));
  invariantResponse(found, "notFound.module", { status: 404 });
  return json(found, { headers: { "Cache-Control": "private, no-store" } });
}

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

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

const useReply = (formId: string) => useFormReply<typeof action>(formId);

function ModuleForm({ module }: { module: PageData["module"] }) {
  const t = useT();
  const reply = useReply("updateModule");
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

function ReflectionForm({ questions }: { questions: string[] }) {
  const t = useT();
  const reply = useReply("saveReflection");
  const [form, fields] = useForm({
    id: "saveReflection",
    lastResult: reply?.result,
    defaultValue: { questions },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, reflectionQuestionsSchema),
  });
  const items = fields.questions.getFieldList();
  const list = fields.questions.name;
  return (
    <Form method="post" action={usePageAction()} {...getFormProps(form)} className="form">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="saveReflection" />
      <fieldset className="field">
        <legend>{t("studio.questionsLegend")}</legend>
        <p className="field__hint">{t("studio.questionsHint", { max: MAX_REFLECTION_QUESTIONS })}</p>
        {items.length === 0 ? <p>{t("studio.noQuestions")}</p> : null}
        <ol className="studio-questions">
          {items.map((item, index) => {
            const number = index + 1;
            return (
              <li key={item.key ?? item.id}>
                <TextAreaField field={item} label={t("studio.questionLabel", { number })} rows={2} />
                <div className="studio-controls">
                  <button
                    {...form.reorder.getButtonProps({ name: list, from: index, to: index - 1 })}
                    className="button button--secondary button--small"
                    disabled={index === 0}
                    aria-label={t("studio.moveQuestionUp", { number })}
                  >
                    {t("studio.moveUp")}
                  </button>
                  <button
                    {...form.reorder.getButtonProps({ name: list, from: index, to: index + 1 })}
                    className="button button--secondary button--small"
                    disabled={index === items.length - 1}
                    aria-label={t("studio.moveQuestionDown", { number })}
                  >
                    {t("studio.moveDown")}
                  </button>
                  <button
                    {...form.remove.getButtonProps({ name: list, index })}
                    className="button button--secondary button--small"
                    aria-label={t("studio.removeQuestion", { number })}
                  >
                    {t("studio.remove")}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        <FieldErrors field={fields.questions} />
      </fieldset>
      <div className="button-row">
        <button
          {...form.insert.getButtonProps({ name: list, defaultValue: "" })}
          className="button button--secondary"
          disabled={items.length >= MAX_REFLECTION_QUESTIONS}
        >
          {t("studio.addQuestion")}
        </button>
        <button type="submit" className="button">
          {t("studio.saveQuestions")}
        </button>
      </div>
    </Form>
  );
}

export default function StudioModule() {
  const t = useT();
  const { course, module, reflectionQuestions } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={`/ejer/studie/kurser/${course.id}`}>{t("studio.backToCourse", { title: course.title })}</Link>
      </p>
      <h1>{module.title}</h1>
      <p className="course-card__meta">
        <PublishedState published={module.published} /> ·{" "}
        <Link to={`/kurser/${course.slug}/${module.slug}`}>{t("studio.previewModule")}</Link>
      </p>
      <FormMessage formId="publishModule" />
      <div className="studio-controls">
        <PublishButton
          intent="publishModule"
          title={module.title}
          published={module.published}
          blocked={module.hasFilm ? undefined : "studio.moduleNeedsFilm"}
        />
      </div>

      <section className="card admin-licence" aria-labelledby="content-heading">
        <h2 id="content-heading">{t("studio.contentHeading")}</h2>
        <ul>
          <li>
            {module.hasFilm
              ? t("studio.filmLength", { duration: formatClock(module.durationSeconds ?? 0) })
              : t("studio.filmMissing")}{" "}
            <Link to={`/ejer/studie/moduler/${module.id}/film`}>{t("studio.filmLink")}</Link>
          </li>
          <li>
            {module.quizQuestionCount === null
              ? t("studio.quizMissing")
              : t("studio.quizQuestions", { count: module.quizQuestionCount })}{" "}
            <Link to={`/ejer/studie/moduler/${module.id}/quiz`}>{t("studio.quizLink")}</Link>
          </li>
        </ul>
      </section>

      <section className="card admin-licence" aria-labelledby="details-heading">
        <h2 id="details-heading">{t("studio.moduleDetailsHeading")}</h2>
        <ModuleForm module={module} />
      </section>

      <section className="card admin-licence" aria-labelledby="reflection-heading">
        <h2 id="reflection-heading">{t("studio.reflectionHeading")}</h2>
        <p>{t("studio.reflectionIntro")}</p>
        <ReflectionForm questions={reflectionQuestions} />
      </section>
    </div>
  );
}
