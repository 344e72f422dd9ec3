import { getCollectionProps, getFormProps, type FieldMetadata } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireUser } from "~/auth/session.server";
import { findModuleForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { FieldErrors } from "~/components/field";
import { pageTitle, useT } from "~/i18n/i18n";
import { attemptsExhausted } from "~/learning/attempt-limit";
import { answerField, answersByQuestion, attemptSchema } from "~/learning/quiz-forms";
import { learnerQuiz, submitAttempt, type AttemptQuestion, type AttemptResult } from "~/learning/quizzes.server";
import { recordCourseProgress } from "~/training/cycles.server";
import { refusalOf, useFormReply, useReplyForm } from "~/utils/form-reply";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { SubmitButton } from "~/components/submit-button";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, "quiz.title", { text: data.module.title }) : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const NO_STORE = { "Cache-Control": "private, no-store" };

async function quizOfRequest(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requireUser(request);
  const { detail } = ensureFound(findModuleForViewer(user, params.courseSlug ?? "", params.moduleSlug ?? ""));
  const quiz = learnerQuiz(user.id, detail.module.id);
  invariantResponse(quiz, "notFound.quiz", { status: 404 });
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

/** The page's one form: an attempt at the quiz. */
const FORM_ID = "quiz-attempt";

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, detail, quiz } = await quizOfRequest(request, params);
  const form = await readForm(request);
  const schemas = { attempt: attemptSchema(quiz.questions) };
  const submission = parseSubmission(form, schemas[formIntent(form, schemas)]);
  // Every reply carries `graded` (null until an attempt is graded), so the page reads one shape.
  const reply = (options: Parameters<typeof replyToForm>[2], graded: AttemptResult | null = null) =>
    replyToForm(FORM_ID, submission, { ...options, data: { graded } });
  // A page left open while the last attempt was used in another tab still shows the form: what it
  // sends is refused with the reason on the quiz page, as is an attempt at a quiz not yet open.
  if (quiz.availability === "locked") return reply({ refusal: "refusal.quizLocked" });
  if (quiz.availability === "exhausted") return reply({ refusal: "refusal.quizNoAttemptsLeft" });
  if (submission.status !== "success") return reply({});

  const outcome = submitAttempt(user.id, detail.module.id, answersByQuestion(quiz.questions, submission.value));
  // The quiz was checked above; these answer only a change in between, such as another tab using the last attempt.
  invariantResponse(outcome.status !== "noQuiz", "notFound.quiz", { status: 404 });
  if (outcome.status === "notWatched") return reply({ refusal: "refusal.quizLocked" });
  if (outcome.status === "noAttemptsLeft") return reply({ refusal: "refusal.quizNoAttemptsLeft" });
  if (outcome.status === "invalidAnswer")
    return reply({ fieldErrors: { [answerField(outcome.questionId)]: ["quiz.answerUnknown"] } });

  // A passed quiz may complete the course's last module; the certificate is issued and the round completed as it is earned.
  if (outcome.result.passed) recordCourseProgress(user.id, detail.course.id);
  // The graded attempt is shown in place of the form.
  return reply({ resetForm: true }, outcome.result);
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

function QuestionFieldset({
  question,
  number,
  field,
}: {
  question: AttemptQuestion;
  number: number;
  field: FieldMetadata<unknown>;
}) {
  const t = useT();
  const type = question.kind === "multiple" ? "checkbox" : "radio";
  const inputs = getCollectionProps(field as FieldMetadata<string | string[]>, {
    type,
    options: question.options.map((o) => String(o.id)),
    ariaAttributes: false,
  });
  const hintId = `${field.id}-hint`;
  return (
    <fieldset
      className="quiz-question"
      aria-describedby={[hintId, field.errors ? field.errorId : undefined].filter(Boolean).join(" ")}
    >
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

/** The action's reply to the attempt form, whichever kind it is. */
const useAttemptReply = () => useFormReply<typeof action>(FORM_ID);

function AttemptForm({ questions }: { questions: AttemptQuestion[] }) {
  const t = useT();
  const schema = attemptSchema(questions);
  const { form, fields } = useReplyForm<typeof schema, typeof action>(FORM_ID, schema, {
    lastResult: (reply) => (reply?.graded ? undefined : reply?.result),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <input type="hidden" name="intent" value="attempt" />
      {questions.map((question, index) => (
        <QuestionFieldset
          key={question.id}
          question={question}
          number={index + 1}
          field={fields[answerField(question.id)]!}
        />
      ))}
      <SubmitButton>{t("quiz.submit")}</SubmitButton>
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
        {t("quiz.result.score", {
          correct: graded.correctCount,
          total: graded.questionCount,
          percent: graded.scorePercent,
          pass: graded.passPercent,
        })}{" "}
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
          <li
            key={question.id}
            className={`card quiz-review__item quiz-review__item--${question.answeredCorrectly ? "right" : "wrong"}`}
          >
            <h3>{question.text}</h3>
            <p className="quiz-review__verdict">
              {t(question.answeredCorrectly ? "quiz.result.right" : "quiz.result.wrong")}
            </p>
            <ul className="quiz-review__options">
              {question.options.map((option) => (
                <li key={option.id}>
                  {option.text}
                  {option.selected ? <span className="quiz-review__tag"> · {t("quiz.result.yourAnswer")}</span> : null}
                  {option.correct ? (
                    <span className="quiz-review__tag quiz-review__tag--correct">
                      {" "}
                      · {t("quiz.result.correctAnswer")}
                    </span>
                  ) : null}
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

/** Why the quiz cannot be taken now, and the way on: back to the film, which is where the next step is. */
function Unavailable({ message, alert = false, filmHref }: { message: string; alert?: boolean; filmHref: string }) {
  const t = useT();
  return (
    <>
      <p className="notice notice--error" role={alert ? "alert" : undefined}>
        {message}
      </p>
      <p>
        <Link to={filmHref} className="button button--secondary">
          {t("quiz.backToFilm")}
        </Link>
      </p>
    </>
  );
}

export default function QuizPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const reply = useAttemptReply();
  const graded = reply?.graded ?? null;
  // A refused attempt (see the action) is shown in place of the form it came from.
  const refusal = refusalOf(reply);
  const { course, module, quiz } = data;
  const { standing } = quiz;
  const filmHref = `/kurser/${course.slug}/${module.slug}`;
  return (
    <div className="page quiz-page">
      <p className="breadcrumb">
        <Link to={filmHref}>{t("module.backToCourse", { title: module.title })}</Link>
      </p>
      <h1>{t("quiz.heading", { title: module.title })}</h1>
      {graded ? (
        <Result graded={graded} data={data} />
      ) : refusal ? (
        <Unavailable message={t(refusal)} alert filmHref={filmHref} />
      ) : quiz.availability === "locked" ? (
        <Unavailable message={t("quiz.locked")} filmHref={filmHref} />
      ) : (
        <>
          <p className="lead">
            {t("quiz.intro", { pass: quiz.passPercent })} {attemptsText(t, standing.attemptsUsed, standing.maxAttempts)}
          </p>
          {standing.passed ? (
            <p className="notice">{t("quiz.passedBefore", { percent: standing.bestScorePercent ?? 0 })}</p>
          ) : null}
          {quiz.availability === "open" ? (
            <AttemptForm key={standing.attemptsUsed} questions={quiz.questions} />
          ) : standing.passed ? null : (
            <Unavailable message={t("quiz.exhausted")} filmHref={filmHref} />
          )}
        </>
      )}
    </div>
  );
}
