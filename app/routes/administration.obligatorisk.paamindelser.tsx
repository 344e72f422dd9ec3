import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { CheckboxField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OrganisationSwitcher } from "~/components/organisation-switcher";
import { SubmitButton } from "~/components/submit-button";
import { pageTitle, useT } from "~/i18n/i18n";
import { mailSettingsSchema, trainingMailKinds, type TrainingMailSettings } from "~/training/mail-settings";
import { mailSettingsForAdmin, saveMailSettings } from "~/training/mail-settings.server";
import { useReplyForm } from "~/utils/form-reply";
import { idFromPath } from "~/utils/form-schema";
import { invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "training.settings.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const requested = new URL(request.url).searchParams.get("organisation");
  // No organisation asked for: the first the admin administers; one that is not an id names none.
  const page = mailSettingsForAdmin(user, requested === null ? undefined : (idFromPath(requested) ?? 0));
  invariantResponse(page, "notFound.organisation", { status: 404 });
  return json(page, { headers: { "Cache-Control": "private, no-store" } });
}

const SETTINGS_FORM = "training-mail-settings";

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const submission = parseSubmission(await readForm(request), mailSettingsSchema);
  if (submission.status !== "success") return replyToForm(SETTINGS_FORM, submission);
  const { organisationId, ...settings } = submission.value;
  // Another municipality is answered as if it did not exist.
  invariantResponse(saveMailSettings(user, organisationId, settings) === "saved", "notFound.organisation", {
    status: 404,
  });
  return replyToForm(SETTINGS_FORM, submission, { notice: "training.settings.saved" });
}

function SettingsForm({ organisationId, settings }: { organisationId: number; settings: TrainingMailSettings }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(SETTINGS_FORM, mailSettingsSchema, {
    defaultValue: {
      organisationId: String(organisationId),
      learnerReminders: settings.learnerReminders ? "on" : undefined,
      leaderDigest: settings.leaderDigest ? "on" : undefined,
      adminSummary: settings.adminSummary ? "on" : undefined,
    },
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="organisationId" value={organisationId} />
      <fieldset>
        <legend>{t("training.settings.legend")}</legend>
        {trainingMailKinds.map((kind) => (
          <CheckboxField key={kind} field={fields[kind]} label={t(`training.settings.${kind}`)} />
        ))}
      </fieldset>
      <SubmitButton>{t("training.settings.save")}</SubmitButton>
    </Form>
  );
}

export default function TrainingMailSettingsPage() {
  const t = useT();
  const { organisation, organisations, settings } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/administration/obligatorisk">{t("compliance.admin.back")}</Link>
      </p>
      <h1>{t("training.settings.title")}</h1>
      <p className="lead">{t("training.settings.intro", { organisation: organisation.name })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("training.settings.organisations")}
      />
      {/* Each municipality's switches start from what it has saved. */}
      <SettingsForm key={organisation.id} organisationId={organisation.id} settings={settings} />
    </div>
  );
}
