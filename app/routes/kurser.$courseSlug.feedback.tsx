import { getCollectionProps, getFormProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { requireUser } from "~/auth/session.server";
import { findCourseForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { FieldErrors, SelectField, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
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
import {
  feedbackPageFor,
  setProfession,
  submitFeedback,
  type FeedbackQuestion,
  type SubmitResult,
} from "~/feedback/responses.server";
import type { MessageKey } from "~/i18n/da";
import { formatDay, intlLocale, pageTitle, useLanguage, useT, type Translate } from "~/i18n/i18n";
import { refusalOf, useFormReply } from "~/utils/form-reply";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { validateForm } from "~/utils/form-schema";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: data
      ? pageTitle(matches, "feedback.page.title", { text: data.course.title })
      : pageTitle(matches, "error.title"),
  },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { course } = ensureFound(findCourseForViewer(user, params.courseSlug ?? ""));
  return json(
    { course: { slug: course.slug, title: course.title }, page: feedbackPageFor(user, course.id) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
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

/** The page's two forms: the answers, and the profession on its own once the answers are given. */
const RESPONSE_FORM = "feedback-response";
const PROFESSION_FORM = "feedback-profession";

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const lookup = findCourseForViewer(user, params.courseSlug ?? "");
  invariantResponse(lookup.status !== "notFound", "error.notFound", { status: 404 });
  // A seat taken back while the page was open also takes the course away. What that page sends
  // is refused above the form like the owner's preview, rather than with an error page.
  const course = lookup.status === "ok" ? lookup.course : null;
  const page = course && feedbackPageFor(user, course.id);
  const form = await readForm(request);
  const schemas = {
    profession: professionSchema,
    respond: responseSchema(page?.form?.questions ?? [], page?.profession == null),
  };
  // A seat taken back, a form closed or answered in another tab: each is said above the form that was sent.
  const refuse = (formId: string, submission: Parameters<typeof replyToForm>[1], reason: keyof typeof refusals) =>
    replyToForm(formId, submission, { refusal: refusals[reason].message, status: refusals[reason].status });

  if (formIntent(form, schemas) === "profession") {
    const submission = parseSubmission(form, schemas.profession);
    if (!page || page.preview) return refuse(PROFESSION_FORM, submission, "noSeat");
    if (submission.status !== "success") return replyToForm(PROFESSION_FORM, submission);
    setProfession(user, submission.value.profession);
    return replyToForm(PROFESSION_FORM, submission, { notice: "feedback.profession.saved" });
  }

  const submission = parseSubmission(form, schemas.respond);
  if (!course || !page || page.preview) return refuse(RESPONSE_FORM, submission, "noSeat");
  if (!page.form) return refuse(RESPONSE_FORM, submission, "noForm");
  // A form that is not open refuses whatever was sent, so nothing about the answers decides it.
  if (page.state !== "open")
    return refuse(RESPONSE_FORM, submission, page.state === "answered" ? "alreadyAnswered" : page.state);
  if (submission.status !== "success") return replyToForm(RESPONSE_FORM, submission);

  const outcome = submitFeedback(
    user,
    course.id,
    answersFromResponse(page.form.questions, submission.value),
    submission.value.profession ?? null,
    shownAnonymity(form.get("anonymous")),
  );
  if (outcome !== "saved") return refuse(RESPONSE_FORM, submission, outcome);
  return replyToForm(RESPONSE_FORM, submission, { notice: "feedback.page.thanks", resetForm: true });
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>["page"];

function ScoreQuestion({
  question,
  field,
}: {
  question: FeedbackQuestion & { kind: "scale" | "recommend" };
  field: FieldMetadata<string | undefined>;
}) {
  const t = useT();
  const { min, max } = scoreRange[question.kind];
  const low = question.kind === "scale" ? (question.lowLabel ?? "") : t("feedback.recommend.low");
  const high = question.kind === "scale" ? (question.highLabel ?? "") : t("feedback.recommend.high");
  const options = Array.from({ length: max - min + 1 }, (_, index) => String(min + index));
  const hintId = `${field.id}-hint`;
  return (
    <fieldset
      className="field feedback-question"
      aria-describedby={[hintId, field.errors ? field.errorId : ""].join(" ").trim()}
    >
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
      {getCollectionProps(field, { type: "radio", options: choices, ariaAttributes: false }).map(
        ({ key, ...props }) => (
          <div className="checkbox" key={key}>
            <input {...props} />
            <label htmlFor={props.id}>{props.value}</label>
          </div>
        ),
      )}
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
  return [
    { value: "", label: t("feedback.profession.choose") },
    ...professions.map((profession) => ({ value: profession, label: t(professionLabels[profession]) })),
  ];
}

function ResponseForm({ page, form: feedbackForm }: { page: PageData; form: NonNullable<PageData["form"]> }) {
  const t = useT();
  const reply = useFormReply<typeof action>(RESPONSE_FORM);
  const askProfession = page.profession == null;
  const schema = useMemo(
    () => responseSchema(feedbackForm.questions, askProfession),
    [feedbackForm.questions, askProfession],
  );
  const [form, fields] = useForm<ResponseInput, ResponseValue>({
    id: RESPONSE_FORM,
    lastResult: reply?.result,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => validateForm(formData, schema),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="respond" />
      <input type="hidden" name="anonymous" value={feedbackForm.anonymous ? "yes" : "no"} />
      {feedbackForm.questions.map((question) => (
        <Question key={question.id} question={question} field={fields[answerName(question.id)]!} />
      ))}
      {askProfession ? (
        <div className="feedback-profession">
          <p className="field__hint">{t("feedback.profession.why")}</p>
          <SelectField
            field={fields.profession}
            label={t("feedback.profession.label")}
            options={professionOptions(t)}
          />
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
  const reply = useFormReply<typeof action>(PROFESSION_FORM);
  const [form, fields] = useForm({
    id: PROFESSION_FORM,
    lastResult: reply?.result,
    defaultValue: { profession: profession ?? "" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => validateForm(formData, professionSchema),
  });
  return (
    <section className="card feedback-profession" aria-labelledby="profession-heading">
      <h2 id="profession-heading">{t("feedback.profession.heading")}</h2>
      <p>{t("feedback.profession.why")}</p>
      <FormMessage reply={reply} id={form.errorId} />
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
  const reply = useFormReply<typeof action>(RESPONSE_FORM);
  const refusal = refusalOf(reply);
  if (page.preview) return <p className="notice">{t("feedback.page.preview")}</p>;
  // Refused because the form is no longer open (answered in another tab, closed): the form is gone, its reason stays.
  if (refusal && page.state !== "open") {
    return (
      <p className="notice notice--error" role="alert">
        {t(refusal)}
      </p>
    );
  }
  if (page.state === "answered") {
    // Just sent, the form gives way to its thanks; opened later, the page says the answers are in.
    return (
      <p className="notice" role="status">
        {reply?.notice ? t(reply.notice.key) : t("feedback.page.answered")}
      </p>
    );
  }
  if (page.state === "notOpenYet")
    return <p className="notice">{t("feedback.page.notOpenYet", { date: formatDay(language, form.opensOn) })}</p>;
  if (page.state === "closed")
    return (
      <p className="notice">
        {t("feedback.page.closed", { date: formatDay(language, form.closesOn ?? form.opensOn) })}
      </p>
    );
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
          <p className="field__hint">
            {form.anonymous ? t("feedback.page.anonymous", { min: MIN_GROUP }) : t("feedback.page.named")}
          </p>
          {answerable ? <ResponseForm page={page} form={form} /> : null}
        </>
      ) : (
        <p className="notice">{t("feedback.page.noForm")}</p>
      )}
      {!page.preview && (!answerable || page.profession != null) ? (
        <ProfessionForm profession={page.profession} />
      ) : null}
    </div>
  );
}
