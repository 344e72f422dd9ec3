import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { MeasurementMoment } from "#db/schema";
import { requireUser } from "~/auth/session.server";
import { findCourseForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import type { MessageKey } from "~/i18n/da";
import { pageTitle, useT } from "~/i18n/i18n";
import { measurementPageFor, submitMeasurement, type SubmitResult } from "~/measurement/answers.server";
import { answersSchema, itemField, momentFromSlug, skipSchema } from "~/measurement/forms";
import {
  formIntent,
  invariantResponse,
  parseSubmission,
  readForm,
  replyToForm,
  safeRedirectPath,
} from "~/utils/http.server";
import { ANSWER_FORM, AnswerForm } from "./answer-form";
import { StateNotice } from "./state-notice";

export const momentTitles: Record<MeasurementMoment, MessageKey> = {
  baseline: "measurement.page.titleBaseline",
  completion: "measurement.page.titleCompletion",
  followUp: "measurement.page.titleFollowUp",
  leaderFollowUp: "measurement.page.titleLeaderFollowUp",
};

const momentLeads: Record<MeasurementMoment, MessageKey> = {
  baseline: "measurement.page.leadBaseline",
  completion: "measurement.page.leadCompletion",
  followUp: "measurement.page.leadFollowUp",
  leaderFollowUp: "measurement.page.leadLeaderFollowUp",
};

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: data
      ? pageTitle(matches, momentTitles[data.page.moment], { text: data.course.title })
      : pageTitle(matches, "error.title"),
  },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** The moment in ?tidspunkt=, or a 404; where to go on to afterwards in ?naeste=, a path on this site only. */
function addressed(request: Request, courseSlug: string) {
  const query = new URL(request.url).searchParams;
  const moment = momentFromSlug(query.get("tidspunkt"));
  invariantResponse(moment, "measurement.page.unknownMoment", { status: 404 });
  const next = query.get("naeste");
  return { moment, next: next == null ? null : safeRedirectPath(next, `/kurser/${courseSlug}`) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { course } = ensureFound(findCourseForViewer(user, params.courseSlug ?? ""));
  const { moment, next } = addressed(request, course.slug);
  return json(
    { course: { slug: course.slug, title: course.title }, next, page: measurementPageFor(user, course.id, moment) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

const refusals: Record<Exclude<SubmitResult, "saved">, { message: MessageKey; status: number }> = {
  alreadyAnswered: { message: "measurement.refused.alreadyAnswered", status: 409 },
  done: { message: "measurement.refused.alreadyAnswered", status: 409 },
  inactive: { message: "measurement.refused.inactive", status: 404 },
  noSeat: { message: "measurement.refused.noSeat", status: 403 },
  notLeader: { message: "measurement.refused.notLeader", status: 403 },
  notDue: { message: "measurement.refused.notDue", status: 409 },
  started: { message: "measurement.refused.started", status: 409 },
  itemsChanged: { message: "measurement.refused.itemsChanged", status: 409 },
  outOfRange: { message: "measurement.answer.outOfRange", status: 400 },
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const lookup = findCourseForViewer(user, params.courseSlug ?? "");
  invariantResponse(lookup.status !== "notFound", "error.notFound", { status: 404 });
  // A seat taken back while the page was open: refused above the form rather than with an error page.
  const course = lookup.status === "ok" ? lookup.course : null;
  const { moment, next } = addressed(request, course?.slug ?? params.courseSlug ?? "");
  const page = course ? measurementPageFor(user, course.id, moment) : null;
  const form = await readForm(request);
  const schemas = { answer: answersSchema(page?.items ?? []), skip: skipSchema };
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  const refuse = (reason: keyof typeof refusals) =>
    replyToForm(ANSWER_FORM, submission, { refusal: refusals[reason].message, status: refusals[reason].status });
  if (!course || !page) return refuse("noSeat");
  // A moment that is not open refuses whatever was sent, so nothing about the answers decides it.
  if (page.state !== "open") return refuse(page.state);
  if (submission.status !== "success") return replyToForm(ANSWER_FORM, submission);

  const value = submission.value;
  const answers =
    value.intent === "answer"
      ? new Map(page.items.map((item) => [item.id, value[itemField(item.id)]!] as const))
      : null;
  const outcome = submitMeasurement(user, course.id, moment, answers);
  if (outcome !== "saved") return refuse(outcome);
  if (next) return redirect(next, { headers: { "Cache-Control": "no-store" } });
  return replyToForm(ANSWER_FORM, submission, {
    notice: value.intent === "answer" ? "measurement.page.thanks" : "measurement.page.skipped",
    resetForm: true,
  });
}

export type MeasurementPageData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function MeasurementPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { course, page } = data;
  return (
    <div className="page page--narrow feedback-page">
      <p className="breadcrumb">
        <Link to={`/kurser/${course.slug}`}>{t("measurement.page.back", { title: course.title })}</Link>
      </p>
      <h1>{t(momentTitles[page.moment], { text: course.title })}</h1>
      {page.state === "open" ? (
        <>
          {page.intro ? <p className="lead">{page.intro}</p> : null}
          <p>{t(momentLeads[page.moment])}</p>
          <p className="field__hint">{t("measurement.page.privacy")}</p>
          <AnswerForm data={data} />
        </>
      ) : (
        <StateNotice data={data} />
      )}
    </div>
  );
}
