import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { findCourseForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { answersFromResponse, MIN_GROUP, professionSchema, responseSchema } from "~/feedback/forms";
import { feedbackPageFor, setProfession, submitFeedback, type SubmitResult } from "~/feedback/responses.server";
import type { MessageKey } from "~/i18n/da";
import { pageTitle, useT } from "~/i18n/i18n";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { PROFESSION_FORM, ProfessionForm } from "./profession-form";
import { RESPONSE_FORM, ResponseForm } from "./response-form";
import { StateNotice } from "./state-notice";

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

export type FeedbackPageData = ReturnType<typeof useLoaderData<typeof loader>>["page"];

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
