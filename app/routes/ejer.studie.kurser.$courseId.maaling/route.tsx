import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { measurementAudiences } from "#db/schema";
import { requireOwner } from "~/auth/session.server";
import { pageTitle, useT } from "~/i18n/i18n";
import {
  measurementForOwner,
  moveMeasurementItem,
  removeMeasurementItem,
  saveMeasurementItem,
  saveMeasurementSettings,
} from "~/measurement/builder.server";
import {
  measurementItemSchema,
  measurementSettingsSchema,
  moveItemSchema,
  removeItemSchema,
} from "~/measurement/forms";
import {
  formIntent,
  invariantResponse,
  parseSubmission,
  readForm,
  replyToForm,
  requirePathId,
} from "~/utils/http.server";
import { ItemList } from "./item-list";
import { SETTINGS_FORM, SettingsForm } from "./settings-form";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: data
      ? pageTitle(matches, "measurement.builder.title", { text: data.course.title })
      : pageTitle(matches, "error.title"),
  },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOwner(request);
  const found = measurementForOwner(requirePathId(params.courseId, "notFound.course"));
  invariantResponse(found, "notFound.course", { status: 404 });
  return json(found, { headers: { "Cache-Control": "private, no-store" } });
}

export type MeasurementBuilderData = ReturnType<typeof useLoaderData<typeof loader>>;

const schemas = {
  settings: measurementSettingsSchema,
  saveItem: measurementItemSchema,
  moveItem: moveItemSchema,
  removeItem: removeItemSchema,
} as const;

/** Each item's forms answer beside that item; a new item beside the form for its audience. */
export function itemFormId(itemId: number | null, audience: string) {
  return itemId == null ? `new-item-${audience}` : `item-${itemId}`;
}

/** Moves and removals answer above their audience's list. */
export function listFormId(audience: string) {
  return `items-${audience}`;
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireOwner(request);
  const courseId = requirePathId(params.courseId, "notFound.course");
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const postedItem = /^[1-9]\d{0,8}$/.test(String(form.get("itemId"))) ? Number(form.get("itemId")) : null;
  const audience = String(form.get("audience"));
  const formId =
    intent === "settings"
      ? SETTINGS_FORM
      : intent === "saveItem"
        ? itemFormId(postedItem, audience)
        : listFormId(audience);
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") return replyToForm(formId, submission);

  const value = submission.value;
  // Removed or changed in another tab since the page was read: said beside the item.
  const itemGone = () => replyToForm(formId, submission, { refusal: "measurement.builder.itemGone", status: 404 });
  const locked = () => replyToForm(formId, submission, { refusal: "measurement.builder.answeredLocked" });
  switch (value.intent) {
    case "settings": {
      const outcome = saveMeasurementSettings(courseId, value);
      invariantResponse(outcome === "saved", "notFound.course", { status: 404 });
      return replyToForm(formId, submission, { notice: "studio.saved" });
    }
    case "saveItem": {
      const outcome = saveMeasurementItem(courseId, value);
      invariantResponse(outcome !== "courseNotFound", "notFound.course", { status: 404 });
      if (outcome === "itemNotFound") return itemGone();
      if (outcome === "answeredLocked") return locked();
      if (outcome === "unknownQuestion")
        return replyToForm(formId, submission, {
          fieldErrors: { quizQuestionId: ["measurement.builder.questionUnknown"] },
        });
      return replyToForm(formId, submission, {
        notice: "measurement.builder.itemSaved",
        resetForm: postedItem == null,
      });
    }
    case "moveItem": {
      if (moveMeasurementItem(courseId, value.itemId, value.direction) === "itemNotFound") return itemGone();
      return replyToForm(formId, submission, { notice: "studio.moved" });
    }
    case "removeItem": {
      const outcome = removeMeasurementItem(courseId, value.itemId);
      if (outcome === "itemNotFound") return itemGone();
      if (outcome === "answeredLocked") return locked();
      return replyToForm(formId, submission, { notice: "measurement.builder.itemRemoved" });
    }
  }
}

export default function MeasurementBuilder() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={`/ejer/studie/kurser/${data.course.id}`}>
          {t("measurement.builder.back", { title: data.course.title })}
        </Link>
      </p>
      <h1>{t("measurement.builder.title", { text: data.course.title })}</h1>
      <p className="lead">{t("measurement.builder.lead")}</p>
      <section className="card admin-licence" aria-labelledby="measurement-settings-heading">
        <h2 id="measurement-settings-heading">{t("measurement.builder.settingsHeading")}</h2>
        {/* A new key after each save starts the form afresh from what was saved. */}
        <SettingsForm key={data.measurement?.updatedAt ?? "new"} measurement={data.measurement} />
      </section>
      {measurementAudiences.map((audience) => (
        <ItemList key={audience} audience={audience} data={data} />
      ))}
    </div>
  );
}
