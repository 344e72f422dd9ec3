import { getCollectionProps, getFormProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireUser } from "~/auth/session.server";
import { findModuleForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { FieldErrors } from "~/components/field";
import { pageTitle, useT } from "~/i18n/i18n";
import { attemptsExhausted } from "~/learning/attempt-limit";
import { answerField, answersByQuestion, attemptSchema } from "~/learning/quiz-forms";
import { learnerQuiz, submitAttempt, type AttemptQuestion, type AttemptResult } from "~/learning/quizzes.server";
import { invariantResponse, parseSubmission, readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, "quiz.title", { text: data.module.title }) : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const NO_STORE = { "Cache-Control": "private, no-store" };

async function quizOfRequest(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requireUser(request);
  const { detail } = ensureFound(findModuleForViewer(user, params.courseSlug ?? "", params.moduleSlug ?? ""));
  const quiz = learnerQuiz(user.id, detail.module.id);
  invariantResponse(quiz, "Filmen har ingen quiz.", { status: 404 });
  return { user, detail, quiz };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { detail, quiz } = await quizOfRequest(request, params);
  return json(
    {
      course: { slug: detail.course.slug, title: detail.course.title },
      module: { slug: detail.module.slug, title: detail.module.title },
      next: detail.next && { slug: detail.next.slug, title: detail.next.title },
      quiz,
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, detail, quiz } = await quizOfRequest(request, params);
  invariantResponse(quiz.availability !== "locked", "Quizzen åbner, når du har set filmen.", { status: 409 });
  invariantResponse(quiz.availability !== "exhausted", "Du har brugt alle dine forsøg på denne quiz.", { status: 409 });
  const form = await readForm(request);
  const submission = parseSubmission(form, attemptSchema(quiz.questions));
  if (submission.status !== "success") return json({ result: submission.reply(), graded: null }, { status: 400, headers: NO_STORE });

  const outcome = submitAttempt(user.id, detail.module.id, answersByQuestion(quiz.questions, submission.value));
  // The quiz was checked above; these answer only a change in between, such as another tab using the last attempt.
  invariantResponse(outcome.status !== "noQuiz", "Filmen har ingen quiz.", { status: 404 });
  invariantResponse(outcome.status !== "notWatched", "Quizzen åbner, når du har set filmen.", { status: 409 });
  invariantResponse(outcome.status !== "noAttemptsLeft", "Du har brugt alle dine forsøg på denne quiz.", { status: 409 });
  if (outcome.status === "invalidAnswer") {
    const result = submission.reply({ fieldErrors: { [answerField(outcome.questionId)]: ["quiz.answerUnknown"] } });
    return json({ result, graded: null }, { status: 400, headers: NO_STORE });
  }
  return json({ result: submission.reply({ resetForm: true }), graded: outcome.result }, { headers: NO_STORE });
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

function QuestionFieldset({ question, number, field }: { question: AttemptQuestion; number: number; field: FieldMetadata<unknown> }) {
  const t = useT();
  const type = question.kind === "multiple" ? "checkbox" : "radio";
  const inputs = getCollectionProps(field as FieldMetadata<string | string[]>, { type, options: question.options.map((o) => String(o.id)), ariaAttributes: false });
  const hintId = `${field.id}-hint`;
  return (
    <fieldset className="quiz-question" aria-describedby={[hintId, field.errors ? field.errorId : undefined].filter(Boolean).join(" ")}>
      <legend>
        <span className="quiz-question__number">{t("quiz.questionNumber", { number })}</span> {question.text}
      </legend>
      <p className="field__hint" id={hintId}>
        {t(question.kind === "multiple" ? "quiz.hint.multiple" : "quiz.hint.single")}
      </p>
      {inputs.map(({ key, ...props }, index) => (
        <div className="checkbox" key={key}>
          <input {...props} aria-invalid={field.errors ? true : undefined} />
          <label htmlFor={props.id}>{question.options[index]?.text}</label>
        </div>
      ))}
      <FieldErrors field={field} />
    </fieldset>
  );
}

function AttemptForm({ questions }: { questions: AttemptQuestion[] }) {
  const t = useT();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const schema = attemptSchema(questions);
  const [form, fields] = useForm({
    lastResult: reply?.graded ? undefined : reply?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      {questions.map((question, index) => (
        <QuestionFieldset key={question.id} question={question} number={index + 1} field={fields[answerField(question.id)]!} />
      ))}
      <div>
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("quiz.submit")}
        </button>
      </div>
    </Form>
  );
}

function attemptsText(t: ReturnType<typeof useT>, used: number, max: number | null) {
  return max == null ? t("quiz.attemptsUnlimited") : t("quiz.attemptsLeft", { left: Math.max(0, max - used), max });
}

function Result({ graded, data }: { graded: AttemptResult; data: PageData }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [graded]);
  const { course, module, next } = data;
  const quizUrl = `/kurser/${course.slug}/${module.slug}/quiz`;
  const canRetry = !graded.quizPassed && !attemptsExhausted(graded);
  return (
    <section aria-labelledby="result-heading" className="quiz-result">
      <h2 id="result-heading" ref={heading} tabIndex={-1}>
        {t(graded.passed ? "quiz.result.passedHeading" : "quiz.result.failedHeading")}
      </h2>
      <p className={graded.passed ? "notice" : "notice notice--error"} role="status">
        {t("quiz.result.score", { correct: graded.correctCount, total: graded.questionCount, percent: graded.scorePercent, pass: graded.passPercent })}{" "}
        {graded.passed
          ? t("quiz.result.passed")
          : graded.quizPassed
            ? t("quiz.result.alreadyPassed")
            : canRetry
              ? t("quiz.result.tryAgain")
              : t("quiz.result.noAttemptsLeft")}
      </p>
      {!graded.revealed ? <p>{t("quiz.result.answersHidden")}</p> : null}
      <ol className="quiz-review">
        {graded.questions.map((question) => (
          <li key={question.id} className={`card quiz-review__item quiz-review__item--${question.answeredCorrectly ? "right" : "wrong"}`}>
            <h3>{question.text}</h3>
            <p className="quiz-review__verdict">{t(question.answeredCorrectly ? "quiz.result.right" : "quiz.result.wrong")}</p>
            <ul className="quiz-review__options">
              {question.options.map((option) => (
                <li key={option.id}>
                  {option.text}
                  {option.selected ? <span className="quiz-review__tag"> · {t("quiz.result.yourAnswer")}</span> : null}
                  {option.correct ? <span className="quiz-review__tag quiz-review__tag--correct"> · {t("quiz.result.correctAnswer")}</span> : null}
                </li>
              ))}
            </ul>
            <p>
              <strong>{t("quiz.result.explanation")}</strong> {question.explanation}
            </p>
          </li>
        ))}
      </ol>
      <div className="button-row">
        {canRetry ? (
          <Link to={quizUrl} className="button">
            {t("quiz.retry")}
          </Link>
        ) : null}
        {next && graded.quizPassed ? (
          <Link to={`/kurser/${course.slug}/${next.slug}`} className="button">
            {t("module.next", { title: next.title })}
          </Link>
        ) : null}
        <Link to={`/kurser/${course.slug}/${module.slug}`} className="button button--secondary">
          {t("quiz.backToFilm")}
        </Link>
      </div>
    </section>
  );
}

export default function QuizPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const graded = useActionData<typeof action>()?.graded;
  const { course, module, quiz } = data;
  const { standing } = quiz;
  return (
    <div className="page quiz-page">
      <p className="breadcrumb">
        <Link to={`/kurser/${course.slug}/${module.slug}`}>{t("module.backToCourse", { title: module.title })}</Link>
      </p>
      <h1>{t("quiz.heading", { title: module.title })}</h1>
      {graded ? (
        <Result graded={graded} data={data} />
      ) : quiz.availability === "locked" ? (
        <p className="notice">{t("quiz.locked")}</p>
      ) : (
        <>
          <p className="lead">
            {t("quiz.intro", { pass: quiz.passPercent })} {attemptsText(t, standing.attemptsUsed, standing.maxAttempts)}
          </p>
          {standing.passed ? <p className="notice">{t("quiz.passedBefore", { percent: standing.bestScorePercent ?? 0 })}</p> : null}
          {quiz.availability === "open" ? (
            <AttemptForm key={standing.attemptsUsed} questions={quiz.questions} />
          ) : standing.passed ? null : (
            <p className="notice notice--error">{t("quiz.exhausted")}</p>
          )}
        </>
      )}
    </div>
  );
}
