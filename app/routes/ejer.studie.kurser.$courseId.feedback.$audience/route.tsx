import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { FeedbackAudience } from "#db/schema";
import { requireOwner } from "~/auth/session.server";
import { feedbackFormForOwner, saveFeedbackForm } from "~/feedback/builder.server";
import { audienceFromSlug, audienceSlugs, feedbackFormSchema } from "~/feedback/forms";
import type { MessageKey } from "~/i18n/da";
import { pageTitle, useT } from "~/i18n/i18n";
import { danishDate } from "~/i18n/dates";
import { invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { BUILDER_FORM_ID, BuilderForm } from "./builder-form";

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

export type BuilderPageData = ReturnType<typeof useLoaderData<typeof loader>>;

export async function action({ request, params }: ActionFunctionArgs) {
  await requireOwner(request);
  const { audience, courseId } = target(params);
  const submission = parseSubmission(await readForm(request), feedbackFormSchema);
  // Adding, moving or removing a question without JavaScript comes back here; it only changes the list, so it is no error.
  if (submission.status !== "success")
    return replyToForm(BUILDER_FORM_ID, submission, { status: submission.status === "error" ? 400 : 200 });

  const outcome = saveFeedbackForm(courseId, audience, submission.value);
  invariantResponse(outcome !== "courseNotFound", "notFound.course", { status: 404 });
  if (outcome === "unknownQuestion")
    return replyToForm(BUILDER_FORM_ID, submission, { refusal: "feedback.builder.questionUnknown" });
  if (outcome === "anonymityLocked")
    return replyToForm(BUILDER_FORM_ID, submission, {
      fieldErrors: { anonymous: ["feedback.builder.anonymityLocked"] },
      status: 409,
    });
  if (outcome !== "saved") {
    return replyToForm(BUILDER_FORM_ID, submission, {
      fieldErrors: { [`questions[${outcome.kindLocked}].kind`]: ["feedback.builder.kindLocked"] },
      status: 409,
    });
  }
  return replyToForm(BUILDER_FORM_ID, submission, { notice: "feedback.builder.saved", resetForm: true });
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
