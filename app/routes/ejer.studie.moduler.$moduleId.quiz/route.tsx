import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { pageTitle, useT } from "~/i18n/i18n";
import { quizForBuilder, saveQuiz } from "~/learning/quiz-builder.server";
import { quizBuilderSchema } from "~/learning/quiz-forms";
import { idFromPath } from "~/utils/form-schema";
import { invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { BuilderForm, QUIZ_BUILDER_FORM_ID } from "./builder-form";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: data
      ? pageTitle(matches, "quiz.builder.title", { text: data.module.title })
      : pageTitle(matches, "error.title"),
  },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const NO_STORE = { "Cache-Control": "private, no-store" };

async function builderOfRequest(request: Request, params: LoaderFunctionArgs["params"]) {
  await requireOwner(request);
  const moduleId = idFromPath(params.moduleId);
  const quiz = moduleId === null ? null : quizForBuilder(moduleId);
  invariantResponse(quiz, "notFound.film", { status: 404 });
  return quiz;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return json(await builderOfRequest(request, params), { headers: NO_STORE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { module } = await builderOfRequest(request, params);
  const submission = parseSubmission(await readForm(request), quizBuilderSchema);
  // A list button pressed without JavaScript (add, remove, move) comes here too and is only echoed back, as no error.
  if (submission.status !== "success")
    return replyToForm(QUIZ_BUILDER_FORM_ID, submission, { status: submission.status === "error" ? 400 : 200 });
  const outcome = saveQuiz(module.id, submission.value);
  invariantResponse(outcome !== "notFound", "notFound.film", { status: 404 });
  if (outcome === "unknownItem")
    return replyToForm(QUIZ_BUILDER_FORM_ID, submission, { refusal: "quiz.builder.stale" });
  if (outcome === "measuredQuestion")
    return replyToForm(QUIZ_BUILDER_FORM_ID, submission, { refusal: "quiz.builder.measuredQuestion" });
  return replyToForm(QUIZ_BUILDER_FORM_ID, submission, { notice: "quiz.builder.saved", resetForm: true });
}

export type QuizBuilderPageData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function QuizBuilderPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={`/ejer/studie/moduler/${data.module.id}`}>
          {t("quiz.builder.back", { title: data.module.title })}
        </Link>
      </p>
      <h1>{t("quiz.builder.heading", { title: data.module.title })}</h1>
      <p className="lead">{t("quiz.builder.intro", { course: data.module.courseTitle })}</p>
      {data.attemptCount > 0 ? (
        <p className="notice">{t("quiz.builder.history", { count: data.attemptCount })}</p>
      ) : null}
      {/* Every save changes the version, so the form starts again from what was saved, ids of new questions included. */}
      <BuilderForm key={data.version} data={data} />
    </div>
  );
}
