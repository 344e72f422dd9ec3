import { getCollectionProps, getFormProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { requireUser } from "~/auth/session.server";
import { findCourseForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { FieldErrors, SelectField, TextAreaField } from "~/components/field";
import {
  answerName,
  answersFromResponse,
  isScored,
  MIN_GROUP,
  professionSchema,
  responseSchema,
  scoreRange,
  TEXT_ANSWER_MAX,
  type ResponseInput,
  type ResponseValue,
} from "~/feedback/forms";
import { professionLabels, professions } from "~/feedback/professions";
import { feedbackPageFor, setProfession, submitFeedback, type FeedbackQuestion, type SubmitResult } from "~/feedback/responses.server";
import type { MessageKey } from "~/i18n/da";
import { formatDay, intlLocale, pageTitle, useLanguage, useT, type Translate } from "~/i18n/i18n";
import { invariantResponse, parseSubmission, readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? pageTitle(matches, "feedback.page.title", { text: data.course.title }) : pageTitle(matches, "error.title") },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { course } = ensureFound(findCourseForViewer(user, params.courseSlug ?? ""));
  return json({ course: { slug: course.slug, title: course.title }, page: feedbackPageFor(user, course.id) }, { headers: { "Cache-Control": "private, no-store" } });
}

const refusals: Record<Exclude<SubmitResult, "saved">, { message: MessageKey; status: number }> = {
  noSeat: { message: "feedback.refused.noSeat", status: 403 },
  noForm: { message: "feedback.refused.noForm", status: 404 },
  notOpenYet: { message: "feedback.refused.notOpenYet", status: 409 },
  closed: { message: "feedback.refused.closed", status: 409 },
  alreadyAnswered: { message: "feedback.refused.alreadyAnswered", status: 409 },
  anonymityChanged: { message: "feedback.refused.anonymityChanged", status: 409 },
  questionsChanged: { message: "feedback.refused.questionsChanged", status: 409 },
};

/** What the page said about anonymity when it was opened; a page that did not say (an old one, say) promised nothing that can be kept. */
const shownAnonymity = (value: FormDataEntryValue | null) => (value === "yes" ? true : value === "no" ? false : null);

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { course } = ensureFound(findCourseForViewer(user, params.courseSlug ?? ""));
  const formData = await readForm(request);
  const page = feedbackPageFor(user, course.id);
  invariantResponse(!page.preview, "Kun deltagere med en plads på kurset kan svare.", { status: 403 });

  if (formData.get("intent") === "profession") {
    const submission = parseSubmission(formData, professionSchema);
    if (submission.status !== "success") return json({ intent: "profession", result: submission.reply(), saved: false }, { status: 400 });
    setProfession(user, submission.value.profession);
    return json({ intent: "profession", result: submission.reply(), saved: true });
  }

  invariantResponse(page.form, "Kurset har ikke noget spørgeskema.", { status: 404 });
  const schema = responseSchema(page.form.questions, page.profession == null);
  const submission = parseSubmission(formData, schema);
  // A form that is not open refuses whatever was sent, so nothing about the answers decides it.
  const refusal = page.state === "open" ? null : refusals[page.state === "answered" ? "alreadyAnswered" : page.state];
  if (refusal) return json({ intent: "respond", result: submission.reply({ formErrors: [refusal.message] }), saved: false }, { status: refusal.status });
  if (submission.status !== "success") return json({ intent: "respond", result: submission.reply(), saved: false }, { status: 400 });

  const outcome = submitFeedback(
    user,
    course.id,
    answersFromResponse(page.form.questions, submission.value),
    submission.value.profession ?? null,
    shownAnonymity(formData.get("anonymous")),
  );
  if (outcome !== "saved") {
    const { message, status } = refusals[outcome];
    return json({ intent: "respond", result: submission.reply({ formErrors: [message] }), saved: false }, { status });
  }
  return json({ intent: "respond", result: submission.reply({ resetForm: true }), saved: true });
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>["page"];

function ScoreQuestion({ question, field }: { question: FeedbackQuestion & { kind: "scale" | "recommend" }; field: FieldMetadata<string | undefined> }) {
  const t = useT();
  const { min, max } = scoreRange[question.kind];
  const low = question.kind === "scale" ? (question.lowLabel ?? "") : t("feedback.recommend.low");
  const high = question.kind === "scale" ? (question.highLabel ?? "") : t("feedback.recommend.high");
  const options = Array.from({ length: max - min + 1 }, (_, index) => String(min + index));
  const hintId = `${field.id}-hint`;
  return (
    <fieldset className="field feedback-question" aria-describedby={[hintId, field.errors ? field.errorId : ""].join(" ").trim()}>
      <legend>
        {question.text}
        {question.required ? null : ` ${t("feedback.optional")}`}
      </legend>
      <p className="field__hint" id={hintId}>
        {t("feedback.scaleHint", { min, low, max, high })}
      </p>
      <div className="feedback-scale">
        {getCollectionProps(field, { type: "radio", options, ariaAttributes: false }).map(({ key, ...props }) => (
          <label key={key} className="feedback-scale__option">
            <input {...props} />
            <span>{props.value}</span>
          </label>
        ))}
      </div>
      <p className="feedback-scale__ends" aria-hidden="true">
        <span>{low}</span>
        <span>{high}</span>
      </p>
      <FieldErrors field={field} />
    </fieldset>
  );
}

function ChoiceQuestion({ question, field }: { question: FeedbackQuestion; field: FieldMetadata<string | undefined> }) {
  const t = useT();
  const choices = question.choices ?? [];
  return (
    <fieldset className="field feedback-question" aria-describedby={field.errors ? field.errorId : undefined}>
      <legend>
        {question.text}
        {question.required ? null : ` ${t("feedback.optional")}`}
      </legend>
      {getCollectionProps(field, { type: "radio", options: choices, ariaAttributes: false }).map(({ key, ...props }) => (
        <div className="checkbox" key={key}>
          <input {...props} />
          <label htmlFor={props.id}>{props.value}</label>
        </div>
      ))}
      <FieldErrors field={field} />
    </fieldset>
  );
}

function Question({ question, field }: { question: FeedbackQuestion; field: FieldMetadata<string | undefined> }) {
  const t = useT();
  const language = useLanguage();
  if (isScored(question.kind)) return <ScoreQuestion question={{ ...question, kind: question.kind }} field={field} />;
  if (question.kind === "choice") return <ChoiceQuestion question={question} field={field} />;
  return (
    <TextAreaField
      field={field}
      label={question.required ? question.text : `${question.text} ${t("feedback.optional")}`}
      hint={t("feedback.textHint", { max: new Intl.NumberFormat(intlLocale(language)).format(TEXT_ANSWER_MAX) })}
    />
  );
}

function professionOptions(t: Translate) {
  return [{ value: "", label: t("feedback.profession.choose") }, ...professions.map((profession) => ({ value: profession, label: t(professionLabels[profession]) }))];
}

function ResponseForm({ page, form: feedbackForm }: { page: PageData; form: NonNullable<PageData["form"]> }) {
  const t = useT();
  const data = useActionData<typeof action>();
  const askProfession = page.profession == null;
  const schema = useMemo(() => responseSchema(feedbackForm.questions, askProfession), [feedbackForm.questions, askProfession]);
  const [form, fields] = useForm<ResponseInput, ResponseValue>({
    id: `feedback-${feedbackForm.id}`,
    lastResult: data?.intent === "respond" ? data.result : undefined,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      {form.errors ? (
        <p className="notice notice--error" role="alert" id={form.errorId}>
          {form.errors.map((error) => t(error as MessageKey)).join(" ")}
        </p>
      ) : null}
      <input type="hidden" name="intent" value="respond" />
      <input type="hidden" name="anonymous" value={feedbackForm.anonymous ? "yes" : "no"} />
      {feedbackForm.questions.map((question) => (
        <Question key={question.id} question={question} field={fields[answerName(question.id)]!} />
      ))}
      {askProfession ? (
        <div className="feedback-profession">
          <p className="field__hint">{t("feedback.profession.why")}</p>
          <SelectField field={fields.profession} label={t("feedback.profession.label")} options={professionOptions(t)} />
        </div>
      ) : null}
      {page.preview ? null : (
        <div>
          <button type="submit" className="button">
            {t("feedback.submit")}
          </button>
        </div>
      )}
    </Form>
  );
}

function ProfessionForm({ profession }: { profession: PageData["profession"] }) {
  const t = useT();
  const data = useActionData<typeof action>();
  const reply = data?.intent === "profession" ? data : undefined;
  const [form, fields] = useForm({
    id: "feedback-profession",
    lastResult: reply?.result,
    defaultValue: { profession: profession ?? "" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: professionSchema }),
  });
  return (
    <section className="card feedback-profession" aria-labelledby="profession-heading">
      <h2 id="profession-heading">{t("feedback.profession.heading")}</h2>
      <p>{t("feedback.profession.why")}</p>
      {reply?.saved ? (
        <p className="notice" role="status">
          {t("feedback.profession.saved")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="form">
        <input type="hidden" name="intent" value="profession" />
        <SelectField field={fields.profession} label={t("feedback.profession.label")} options={professionOptions(t)} />
        <div>
          <button type="submit" className="button button--secondary">
            {t("feedback.profession.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}

function StateNotice({ page, form }: { page: PageData; form: NonNullable<PageData["form"]> }) {
  const t = useT();
  const language = useLanguage();
  const data = useActionData<typeof action>();
  if (page.preview) return <p className="notice">{t("feedback.page.preview")}</p>;
  if (page.state === "answered") {
    return (
      <p className="notice" role="status">
        {t(data?.intent === "respond" && data.saved ? "feedback.page.thanks" : "feedback.page.answered")}
      </p>
    );
  }
  if (page.state === "notOpenYet") return <p className="notice">{t("feedback.page.notOpenYet", { date: formatDay(language, form.opensOn) })}</p>;
  if (page.state === "closed") return <p className="notice">{t("feedback.page.closed", { date: formatDay(language, form.closesOn ?? form.opensOn) })}</p>;
  return <p>{t(page.courseComplete ? "feedback.page.complete" : "feedback.page.notComplete")}</p>;
}

export default function FeedbackPage() {
  const t = useT();
  const { course, page } = useLoaderData<typeof loader>();
  const form = page.form;
  const answerable = form != null && (page.preview || page.state === "open");
  return (
    <div className="page page--narrow feedback-page">
      <p className="breadcrumb">
        <Link to={`/kurser/${course.slug}`}>{t("feedback.page.back", { title: course.title })}</Link>
      </p>
      <h1>{form?.title ?? t("feedback.page.title")}</h1>
      {form ? (
        <>
          {form.intro ? <p className="lead">{form.intro}</p> : null}
          <StateNotice page={page} form={form} />
          <p className="field__hint">{form.anonymous ? t("feedback.page.anonymous", { min: MIN_GROUP }) : t("feedback.page.named")}</p>
          {answerable ? <ResponseForm page={page} form={form} /> : null}
        </>
      ) : (
        <p className="notice">{t("feedback.page.noForm")}</p>
      )}
      {!page.preview && (!answerable || page.profession != null) ? <ProfessionForm profession={page.profession} /> : null}
    </div>
  );
}
