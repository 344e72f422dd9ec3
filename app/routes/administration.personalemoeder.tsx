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
import { requestedOrganisation } from "~/licensing/overview.server";
import { meetingSettingsSchema } from "~/meetings/forms";
import { MeetingTable } from "~/meetings/meeting-table";
import { countsAsWatched, meetingOverview, setCountsAsWatched } from "~/meetings/overview.server";
import { useReplyForm } from "~/utils/form-reply";
import { invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "meetings.admin.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation, organisations } = requestedOrganisation(user, request);
  return json(
    {
      organisation,
      organisations,
      countsAsWatched: countsAsWatched(organisation.id),
      meetings: meetingOverview(organisation.id, null),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

const SETTINGS_FORM = "meeting-settings";

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const submission = parseSubmission(await readForm(request), meetingSettingsSchema);
  if (submission.status !== "success") return replyToForm(SETTINGS_FORM, submission);
  const { organisationId, countsAsWatched: on } = submission.value;
  // Another municipality is answered as if it did not exist.
  invariantResponse(setCountsAsWatched(user, organisationId, on) === "saved", "notFound.organisation", {
    status: 404,
  });
  return replyToForm(SETTINGS_FORM, submission, { notice: "meetings.admin.saved" });
}

function SettingsForm({ organisationId, on }: { organisationId: number; on: boolean }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(SETTINGS_FORM, meetingSettingsSchema, {
    defaultValue: { organisationId: String(organisationId), countsAsWatched: on ? "on" : undefined },
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="organisationId" value={organisationId} />
      <CheckboxField field={fields.countsAsWatched} label={t("meetings.admin.countsAsWatched")} />
      <p className="hint">{t("meetings.admin.countsAsWatchedHint")}</p>
      <SubmitButton>{t("meetings.admin.save")}</SubmitButton>
    </Form>
  );
}

export default function AdminMeetings() {
  const t = useT();
  const { organisation, organisations, countsAsWatched, meetings } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/administration">{t("meetings.admin.back")}</Link>
      </p>
      <h1>{t("meetings.admin.title")}</h1>
      <p className="lead">{t("meetings.admin.intro", { organisation: organisation.name })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("meetings.admin.organisations")}
      />
      {/* Each municipality's switch starts from what it has saved. */}
      <SettingsForm key={organisation.id} organisationId={organisation.id} on={countsAsWatched} />
      <h2 id="meetings-heading">{t("meetings.admin.meetingsHeading")}</h2>
      <MeetingTable meetings={meetings} label={t("meetings.admin.meetingsHeading")} showUnit />
    </div>
  );
}
