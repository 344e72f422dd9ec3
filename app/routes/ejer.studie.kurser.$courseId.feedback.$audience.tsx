import { getCollectionProps, getFormProps, getInputProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { feedbackQuestionKinds, type FeedbackAudience, type FeedbackQuestionKind } from "#db/schema";
import { requireOwner } from "~/auth/session.server";
import { Field, FieldErrors, SelectField, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { feedbackFormForOwner, saveFeedbackForm } from "~/feedback/builder.server";
import { audienceFromSlug, audienceSlugs, feedbackFormSchema } from "~/feedback/forms";
import type { MessageKey } from "~/i18n/da";
import { pageTitle, useT } from "~/i18n/i18n";
import { danishDate } from "~/i18n/dates";
import { useFormReply } from "~/utils/form-reply";
import { invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { validateForm } from "~/utils/form-schema";

const builderTitles: Record<FeedbackAudience, MessageKey> = {
  staff: "feedback.builder.titleStaff",
  leader: "feedback.builder.titleLeader",
};

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: data
      ? pageTitle(matches, builderTitles[data.audience], { text: data.course.title })
      : pageTitle(matches, "error.title"),
  },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** The course and audience in the address, or a 404 for anything else. */
function target(params: LoaderFunctionArgs["params"]) {
  const audience = audienceFromSlug(params.audience);
  const courseId = /^[1-9]\d{0,8}$/.test(params.courseId ?? "") ? Number(params.courseId) : null;
  invariantResponse(audience && courseId, "error.notFound", { status: 404 });
  return { audience, courseId };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOwner(request);
  const { audience, courseId } = target(params);
  const found = feedbackFormForOwner(courseId, audience);
  invariantResponse(found, "notFound.course", { status: 404 });
  return json({ ...found, audience, today: danishDate() }, { headers: { "Cache-Control": "private, no-store" } });
}

const FORM_ID = "feedback-builder";

export async function action({ request, params }: ActionFunctionArgs) {
  await requireOwner(request);
  const { audience, courseId } = target(params);
  const submission = parseSubmission(await readForm(request), feedbackFormSchema);
  // Adding, moving or removing a question without JavaScript comes back here; it only changes the list, so it is no error.
  if (submission.status !== "success")
    return replyToForm(FORM_ID, submission, { status: submission.status === "error" ? 400 : 200 });

  const outcome = saveFeedbackForm(courseId, audience, submission.value);
  invariantResponse(outcome !== "courseNotFound", "notFound.course", { status: 404 });
  if (outcome === "unknownQuestion")
    return replyToForm(FORM_ID, submission, { refusal: "feedback.builder.questionUnknown" });
  if (outcome === "anonymityLocked")
    return replyToForm(FORM_ID, submission, {
      fieldErrors: { anonymous: ["feedback.builder.anonymityLocked"] },
      status: 409,
    });
  if (outcome !== "saved") {
    return replyToForm(FORM_ID, submission, {
      fieldErrors: { [`questions[${outcome.kindLocked}].kind`]: ["feedback.builder.kindLocked"] },
      status: 409,
    });
  }
  return replyToForm(FORM_ID, submission, { notice: "feedback.builder.saved", resetForm: true });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

const kindLabels: Record<FeedbackQuestionKind, MessageKey> = {
  scale: "feedback.kind.scale",
  recommend: "feedback.kind.recommend",
  choice: "feedback.kind.choice",
  text: "feedback.kind.text",
};

type QuestionFields = ReturnType<
  FieldMetadata<{
    id?: number;
    kind: string;
    text: string;
    required?: boolean;
    lowLabel?: string;
    highLabel?: string;
    choices?: string;
  }>["getFieldset"]
>;

function QuestionFieldset({ question, number }: { question: QuestionFields; number: number }) {
  const t = useT();
  const kind = question.kind.value;
  return (
    <>
      <input {...getInputProps(question.id, { type: "hidden" })} />
      <SelectField
        field={question.kind}
        label={t("feedback.builder.kind")}
        options={feedbackQuestionKinds.map((value) => ({ value, label: t(kindLabels[value]) }))}
      />
      <Field field={question.text} label={t("feedback.builder.questionText")} type="text" autoComplete="off" />
      <div className="checkbox">
        <input {...getInputProps(question.required, { type: "checkbox", ariaAttributes: false })} />
        <label htmlFor={question.required.id}>{t("feedback.builder.required")}</label>
      </div>
      {kind === "scale" ? (
        <div className="feedback-builder__pair">
          <Field
            field={question.lowLabel}
            label={t("feedback.builder.lowLabel")}
            hint={t("feedback.builder.lowLabelHint")}
            type="text"
            autoComplete="off"
          />
          <Field
            field={question.highLabel}
            label={t("feedback.builder.highLabel")}
            hint={t("feedback.builder.highLabelHint")}
            type="text"
            autoComplete="off"
          />
        </div>
      ) : null}
      {kind === "recommend" ? <p className="field__hint">{t("feedback.builder.recommendHint")}</p> : null}
      {kind === "choice" ? (
        <TextAreaField
          field={question.choices}
          label={t("feedback.builder.choices")}
          hint={t("feedback.builder.choicesHint", { number })}
          rows={5}
        />
      ) : null}
    </>
  );
}

function BuilderForm({ data }: { data: LoaderData }) {
  const t = useT();
  const reply = useFormReply<typeof action>(FORM_ID);
  const saved = data.form;
  const [form, fields] = useForm({
    id: FORM_ID,
    lastResult: reply?.result,
    constraint: getZodConstraint(feedbackFormSchema),
    defaultValue: {
      title: saved?.title ?? t("feedback.builder.defaultTitle"),
      intro: saved?.intro ?? "",
      anonymous: saved && !saved.anonymous ? "no" : "yes",
      opensOn: saved?.opensOn ?? data.today,
      closesOn: saved?.closesOn ?? "",
      questions: saved?.questions.map((question) => ({
        id: String(question.id),
        kind: question.kind,
        text: question.text,
        required: question.required,
        lowLabel: question.lowLabel ?? "",
        highLabel: question.highLabel ?? "",
        choices: (question.choices ?? []).join("\n"),
      })) ?? [{ kind: "scale", required: true }],
    },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => validateForm(formData, feedbackFormSchema),
  });
  const questions = fields.questions.getFieldList();
  const anonymityLocked = saved != null && data.responseCount > 0;
  const anonymousOptions = getCollectionProps(fields.anonymous, {
    type: "radio",
    options: ["yes", "no"],
    ariaAttributes: false,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <FormMessage reply={reply} id={form.errorId} />
      <Field
        field={fields.title}
        label={t("feedback.builder.formTitle")}
        hint={t("feedback.builder.formTitleHint")}
        type="text"
        autoComplete="off"
      />
      <TextAreaField
        field={fields.intro}
        label={t("feedback.builder.intro")}
        hint={t("feedback.builder.introHint")}
        rows={3}
      />
      <fieldset
        className="field"
        aria-describedby={["anonymous-hint", fields.anonymous.errors ? fields.anonymous.errorId : ""].join(" ").trim()}
      >
        <legend>{t("feedback.builder.anonymous")}</legend>
        <p className="field__hint" id="anonymous-hint">
          {t("feedback.builder.anonymousHint")}
          {anonymityLocked ? ` ${t("feedback.builder.anonymityLocked")}` : null}
        </p>
        {anonymousOptions.map(({ key, ...props }) => (
          <div className="checkbox" key={key}>
            {/* The saved choice stays enabled, so it is still sent with the form. */}
            <input {...props} disabled={anonymityLocked && props.value !== (saved?.anonymous ? "yes" : "no")} />
            <label htmlFor={props.id}>
              {t(props.value === "yes" ? "feedback.builder.anonymousYes" : "feedback.builder.anonymousNo")}
            </label>
          </div>
        ))}
        <FieldErrors field={fields.anonymous} />
      </fieldset>
      <div className="feedback-builder__pair">
        <Field field={fields.opensOn} label={t("feedback.builder.opensOn")} type="date" />
        <Field
          field={fields.closesOn}
          label={t("feedback.builder.closesOn")}
          hint={t("feedback.builder.closesOnHint")}
          type="date"
        />
      </div>

      <h2>{t("feedback.builder.questionsHeading")}</h2>
      <FieldErrors field={fields.questions} />
      <ol className="feedback-builder__questions">
        {questions.map((question, index) => (
          <li key={question.key}>
            <fieldset className="card form">
              <legend>{t("feedback.builder.questionNumber", { number: index + 1 })}</legend>
              <QuestionFieldset question={question.getFieldset()} number={index + 1} />
              <div className="button-row">
                {index > 0 ? (
                  <button
                    {...form.reorder.getButtonProps({ name: fields.questions.name, from: index, to: index - 1 })}
                    className="button button--secondary"
                    aria-label={t("feedback.builder.moveUpFor", { number: index + 1 })}
                  >
                    {t("feedback.builder.moveUp")}
                  </button>
                ) : null}
                {index < questions.length - 1 ? (
                  <button
                    {...form.reorder.getButtonProps({ name: fields.questions.name, from: index, to: index + 1 })}
                    className="button button--secondary"
                    aria-label={t("feedback.builder.moveDownFor", { number: index + 1 })}
                  >
                    {t("feedback.builder.moveDown")}
                  </button>
                ) : null}
                {questions.length > 1 ? (
                  <button
                    {...form.remove.getButtonProps({ name: fields.questions.name, index })}
                    className="button button--secondary"
                    aria-label={t("feedback.builder.removeFor", { number: index + 1 })}
                  >
                    {t("feedback.builder.remove")}
                  </button>
                ) : null}
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button
          {...form.insert.getButtonProps({
            name: fields.questions.name,
            defaultValue: { kind: "scale", required: true },
          })}
          className="button button--secondary"
        >
          {t("feedback.builder.add")}
        </button>
        <button type="submit" className="button">
          {t("feedback.builder.save")}
        </button>
      </div>
    </Form>
  );
}

export default function FeedbackBuilder() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const other: FeedbackAudience = data.audience === "staff" ? "leader" : "staff";
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={`/ejer/studie/kurser/${data.course.id}`}>
          {t("feedback.builder.back", { title: data.course.title })}
        </Link>
      </p>
      <h1>
        {t(builderTitles[data.audience])} – {data.course.title}
      </h1>
      <p className="lead">
        {t(data.audience === "staff" ? "feedback.builder.introStaff" : "feedback.builder.introLeader")}
      </p>
      <nav className="button-row" aria-label={t("feedback.builder.related")}>
        <Link to={`/ejer/studie/kurser/${data.course.id}/feedback/${audienceSlugs[other]}`}>
          {t(other === "staff" ? "feedback.builder.toStaff" : "feedback.builder.toLeader")}
        </Link>
        <Link to={`/ejer/feedback?kursus=${data.course.id}&rolle=${audienceSlugs[data.audience]}`}>
          {t("feedback.builder.toResults")}
        </Link>
      </nav>
      {data.responseCount > 0 ? (
        <p className="notice">{t("feedback.builder.hasResponses", { count: data.responseCount })}</p>
      ) : null}
      {/* A new key after each save starts the form afresh from what was saved, with the new questions' ids. */}
      <BuilderForm key={data.form?.updatedAt ?? "new"} data={data} />
    </div>
  );
}
