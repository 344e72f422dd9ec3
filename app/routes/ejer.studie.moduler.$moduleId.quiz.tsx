import { idFromPath, validateForm } from "~/utils/form-schema";
import {
  getCollectionProps,
  getFormProps,
  getInputProps,
  useForm,
  type FieldMetadata,
  type FormMetadata,
} from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import type { QuizQuestionKind } from "#db/schema";
import { requireOwner } from "~/auth/session.server";
import { Field, FieldErrors, SelectField, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { pageTitle, useT } from "~/i18n/i18n";
import { quizForBuilder, saveQuiz } from "~/learning/quiz-builder.server";
import {
  builderFormValue,
  MAX_OPTIONS,
  MAX_QUESTIONS,
  newQuestionOptions,
  nextOptionRef,
  quizBuilderSchema,
  type BuilderFormValue,
  type QuizBuilderInput,
} from "~/learning/quiz-forms";
import { useFormReply } from "~/utils/form-reply";
import { invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";

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

const FORM_ID = "quiz-builder";

export async function action({ request, params }: ActionFunctionArgs) {
  const { module } = await builderOfRequest(request, params);
  const submission = parseSubmission(await readForm(request), quizBuilderSchema);
  // A list button pressed without JavaScript (add, remove, move) comes here too and is only echoed back, as no error.
  if (submission.status !== "success")
    return replyToForm(FORM_ID, submission, { status: submission.status === "error" ? 400 : 200 });
  const outcome = saveQuiz(module.id, submission.value);
  invariantResponse(outcome !== "notFound", "notFound.film", { status: 404 });
  if (outcome === "unknownItem") return replyToForm(FORM_ID, submission, { refusal: "quiz.builder.stale" });
  return replyToForm(FORM_ID, submission, { notice: "quiz.builder.saved", resetForm: true });
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
type BuilderFormMetadata = FormMetadata<BuilderFormValue, string[]>;
type QuestionField = FieldMetadata<BuilderFormValue["questions"][number], BuilderFormValue, string[]>;

const kindHints: Record<
  QuizQuestionKind,
  "quiz.builder.hint.single" | "quiz.builder.hint.multiple" | "quiz.builder.hint.trueFalse"
> = {
  single: "quiz.builder.hint.single",
  multiple: "quiz.builder.hint.multiple",
  trueFalse: "quiz.builder.hint.trueFalse",
};

function QuestionEditor({
  form,
  questionsName,
  question,
  index,
  count,
}: {
  form: BuilderFormMetadata;
  questionsName: string;
  question: QuestionField;
  index: number;
  count: number;
}) {
  const t = useT();
  const fields = question.getFieldset();
  const options = fields.options.getFieldList();
  const number = index + 1;
  const kind = (fields.kind.value ?? "single") as QuizQuestionKind;
  const optionsHintId = `${fields.options.id}-hint`;
  const refs = options.map((option) => option.getFieldset().ref.value);
  const radios = getCollectionProps(fields.correctOption, {
    type: "radio",
    options: refs.map((ref) => ref ?? ""),
    ariaAttributes: false,
  });
  return (
    <li>
      <fieldset className="card quiz-builder__question">
        <legend>{t("quiz.builder.questionLegend", { number })}</legend>
        <input {...getInputProps(fields.id, { type: "hidden" })} />
        <SelectField
          field={fields.kind}
          label={t("quiz.builder.kind")}
          options={(["single", "multiple", "trueFalse"] as const).map((value) => ({
            value,
            label: t(`quiz.builder.kind.${value}`),
          }))}
        />
        <TextAreaField field={fields.text} label={t("quiz.builder.text")} rows={2} />
        <TextAreaField
          field={fields.explanation}
          label={t("quiz.builder.explanation")}
          hint={t("quiz.builder.explanationHint")}
          rows={2}
        />
        <fieldset
          className="quiz-builder__options"
          aria-describedby={[optionsHintId, fields.options.errors ? fields.options.errorId : undefined]
            .filter(Boolean)
            .join(" ")}
        >
          <legend>{t("quiz.builder.options", { number })}</legend>
          <p className="field__hint" id={optionsHintId}>
            {t(kindHints[kind] ?? "quiz.builder.hint.single")}
          </p>
          <ol className="quiz-builder__option-list">
            {options.map((option, optionIndex) => {
              const optionFields = option.getFieldset();
              const optionNumber = optionIndex + 1;
              // One right answer is one choice in a group, as the learner will meet it; several are boxes of their own.
              const { key: _key, ...mark } =
                kind === "multiple"
                  ? getInputProps(optionFields.correct, { type: "checkbox", ariaAttributes: false })
                  : radios[optionIndex]!;
              return (
                <li key={option.key} className="quiz-builder__option">
                  <input {...getInputProps(optionFields.id, { type: "hidden" })} />
                  <input {...getInputProps(optionFields.ref, { type: "hidden" })} />
                  <Field
                    field={optionFields.text}
                    label={t("quiz.builder.optionText", { number: optionNumber })}
                    type="text"
                    autoComplete="off"
                  />
                  <div className="checkbox">
                    <input {...mark} />
                    <label htmlFor={mark.id}>{t("quiz.builder.correct", { number: optionNumber })}</label>
                  </div>
                  <div className="quiz-builder__tools">
                    {optionIndex > 0 ? (
                      <button
                        {...form.reorder.getButtonProps({
                          name: fields.options.name,
                          from: optionIndex,
                          to: optionIndex - 1,
                        })}
                        className="link-button"
                        aria-label={t("quiz.builder.optionUpFor", { option: optionNumber, number })}
                      >
                        {t("quiz.builder.moveUp")}
                      </button>
                    ) : null}
                    {optionIndex < options.length - 1 ? (
                      <button
                        {...form.reorder.getButtonProps({
                          name: fields.options.name,
                          from: optionIndex,
                          to: optionIndex + 1,
                        })}
                        className="link-button"
                        aria-label={t("quiz.builder.optionDownFor", { option: optionNumber, number })}
                      >
                        {t("quiz.builder.moveDown")}
                      </button>
                    ) : null}
                    <button
                      {...form.remove.getButtonProps({ name: fields.options.name, index: optionIndex })}
                      className="link-button"
                      aria-label={t("quiz.builder.optionRemoveFor", { option: optionNumber, number })}
                    >
                      {t("quiz.builder.remove")}
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
          <FieldErrors field={fields.options} />
          {options.length < MAX_OPTIONS && kind !== "trueFalse" ? (
            <div>
              <button
                {...form.insert.getButtonProps({
                  name: fields.options.name,
                  defaultValue: { ref: nextOptionRef(refs), text: "", correct: false },
                })}
                className="button button--secondary"
              >
                {t("quiz.builder.addOption", { number })}
              </button>
            </div>
          ) : null}
        </fieldset>
        <div className="quiz-builder__tools">
          {index > 0 ? (
            <button
              {...form.reorder.getButtonProps({ name: questionsName, from: index, to: index - 1 })}
              className="link-button"
              aria-label={t("quiz.builder.questionUpFor", { number })}
            >
              {t("quiz.builder.moveUp")}
            </button>
          ) : null}
          {index < count - 1 ? (
            <button
              {...form.reorder.getButtonProps({ name: questionsName, from: index, to: index + 1 })}
              className="link-button"
              aria-label={t("quiz.builder.questionDownFor", { number })}
            >
              {t("quiz.builder.moveDown")}
            </button>
          ) : null}
          <button {...form.remove.getButtonProps({ name: questionsName, index })} className="link-button">
            {t("quiz.builder.removeQuestion", { number })}
          </button>
        </div>
      </fieldset>
    </li>
  );
}

function BuilderForm({ data }: { data: PageData }) {
  const t = useT();
  const reply = useFormReply<typeof action>(FORM_ID);
  const navigation = useNavigation();
  const [form, fields] = useForm<BuilderFormValue, QuizBuilderInput>({
    id: FORM_ID,
    // A saved quiz starts a fresh form from the loader (see the key below); only refusals are replayed.
    lastResult: reply?.notice ? undefined : reply?.result,
    defaultValue: builderFormValue(data),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => validateForm(formData, quizBuilderSchema),
  });
  const questions = fields.questions.getFieldList();
  const newQuestion = (kind: QuizQuestionKind) => ({
    kind,
    text: "",
    explanation: "",
    options: newQuestionOptions(kind === "trueFalse" ? [t("quiz.builder.true"), t("quiz.builder.false")] : ["", ""]),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form quiz-builder">
      <FormMessage reply={reply} id={form.errorId} />
      {/* First in the form, so pressing Enter in a field saves instead of pressing the first list button. */}
      <div>
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("quiz.builder.save")}
        </button>
      </div>
      <fieldset className="card quiz-builder__settings">
        <legend>{t("quiz.builder.settings")}</legend>
        <Field
          field={fields.passPercent}
          label={t("quiz.builder.passPercent")}
          hint={t("quiz.builder.passPercentHint")}
          type="text"
          autoComplete="off"
        />
        <Field
          field={fields.maxAttempts}
          label={t("quiz.builder.maxAttempts")}
          hint={t("quiz.builder.maxAttemptsHint")}
          type="text"
          autoComplete="off"
        />
        <div className="checkbox">
          <input {...getInputProps(fields.shuffleQuestions, { type: "checkbox", ariaAttributes: false })} />
          <label htmlFor={fields.shuffleQuestions.id}>{t("quiz.builder.shuffleQuestions")}</label>
        </div>
        <div className="checkbox">
          <input {...getInputProps(fields.shuffleOptions, { type: "checkbox", ariaAttributes: false })} />
          <label htmlFor={fields.shuffleOptions.id}>{t("quiz.builder.shuffleOptions")}</label>
        </div>
      </fieldset>

      <h2>{t("quiz.builder.questionsHeading")}</h2>
      {questions.length === 0 ? <p>{t("quiz.builder.noQuestions")}</p> : null}
      <ol className="quiz-builder__questions">
        {questions.map((question, index) => (
          <QuestionEditor
            key={question.key}
            form={form}
            questionsName={fields.questions.name}
            question={question}
            index={index}
            count={questions.length}
          />
        ))}
      </ol>
      <FieldErrors field={fields.questions} />
      {questions.length < MAX_QUESTIONS ? (
        <div className="button-row">
          {(["single", "multiple", "trueFalse"] as const).map((kind) => (
            <button
              key={kind}
              {...form.insert.getButtonProps({ name: fields.questions.name, defaultValue: newQuestion(kind) })}
              className="button button--secondary"
            >
              {t(`quiz.builder.add.${kind}`)}
            </button>
          ))}
        </div>
      ) : null}
      <div>
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("quiz.builder.save")}
        </button>
      </div>
    </Form>
  );
}

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
