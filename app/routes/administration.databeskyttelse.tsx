import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { NumberField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OrganisationSwitcher } from "~/components/organisation-switcher";
import { SubmitButton } from "~/components/submit-button";
import { formatDateTime, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { requestedOrganisation } from "~/licensing/overview.server";
import { privacyPolicySchema, RETENTION_MONTHS_RANGE, UNLIST_GRACE_DAYS_RANGE } from "~/privacy/forms";
import { privacyPolicyOf, savePrivacyPolicy, type PrivacyPolicy } from "~/privacy/policy.server";
import { lastPurge, nextPurgeAt } from "~/privacy/purge.server";
import { useReplyForm } from "~/utils/form-reply";
import { invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "privacy.settings.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation, organisations } = requestedOrganisation(user, request);
  const now = new Date();
  return json(
    {
      organisation,
      organisations,
      policy: privacyPolicyOf(organisation.id),
      nextPurgeAt: nextPurgeAt(now).toISOString(),
      lastPurge: lastPurge(),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

const POLICY_FORM = "privacy-policy";

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const submission = parseSubmission(await readForm(request), privacyPolicySchema);
  if (submission.status !== "success") return replyToForm(POLICY_FORM, submission);
  const { organisationId, ...choice } = submission.value;
  // Another municipality is answered as if it did not exist.
  invariantResponse(savePrivacyPolicy(user, organisationId, choice) === "saved", "notFound.organisation", {
    status: 404,
  });
  return replyToForm(POLICY_FORM, submission, { notice: "privacy.policy.saved" });
}

function PolicyForm({ organisationId, policy }: { organisationId: number; policy: PrivacyPolicy }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(POLICY_FORM, privacyPolicySchema, {
    defaultValue: {
      organisationId: String(organisationId),
      retentionMonths: String(policy.retentionMonths),
      unlistGraceDays: String(policy.unlistGraceDays),
    },
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <h2>{t("privacy.policy.formHeading")}</h2>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="organisationId" value={organisationId} />
      <NumberField
        field={fields.retentionMonths}
        label={t("privacy.policy.retentionLabel")}
        hint={t("privacy.policy.retentionHint", RETENTION_MONTHS_RANGE)}
        min={RETENTION_MONTHS_RANGE.min}
        max={RETENTION_MONTHS_RANGE.max}
      />
      <NumberField
        field={fields.unlistGraceDays}
        label={t("privacy.policy.graceLabel")}
        hint={t("privacy.policy.graceHint", UNLIST_GRACE_DAYS_RANGE)}
        min={UNLIST_GRACE_DAYS_RANGE.min}
        max={UNLIST_GRACE_DAYS_RANGE.max}
      />
      <SubmitButton>{t("privacy.policy.save")}</SubmitButton>
    </Form>
  );
}

function PurgeSection() {
  const t = useT();
  const language = useLanguage();
  const { nextPurgeAt: next, lastPurge: last } = useLoaderData<typeof loader>();
  return (
    <section className="card" aria-labelledby="purge-heading">
      <h2 id="purge-heading">{t("privacy.purge.heading")}</h2>
      <p>{t("privacy.purge.intro")}</p>
      <p>
        <strong>{t("privacy.purge.next", { at: formatDateTime(language, new Date(next)) })}</strong>
      </p>
      {last?.counts ? (
        <>
          <p>
            {t("privacy.purge.last", { at: formatDateTime(language, new Date(last.finishedAt ?? last.startedAt)) })}
          </p>
          <table className="table">
            <caption>{t("privacy.purge.countsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("privacy.purge.column.what")}</th>
                <th scope="col">{t("privacy.purge.column.count")}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(last.counts).map(([rule, count]) => (
                <tr key={rule}>
                  <th scope="row">{t(`privacy.purge.rule.${rule as keyof typeof last.counts}`)}</th>
                  <td>{count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p>{t("privacy.purge.none")}</p>
      )}
    </section>
  );
}

export default function PrivacySettingsPage() {
  const t = useT();
  const { organisation, organisations, policy } = useLoaderData<typeof loader>();
  const query = `?organisation=${organisation.id}`;
  return (
    <div className="page privacy-page">
      <p className="breadcrumb">
        <Link to="/administration">{t("admin.title")}</Link>
      </p>
      <h1>{t("privacy.settings.title")}</h1>
      <p className="lead">{t("privacy.settings.intro", { organisation: organisation.name })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("privacy.settings.organisations")}
      />
      <section className="card" aria-labelledby="policy-heading">
        <h2 id="policy-heading">{t("privacy.policy.heading")}</h2>
        <dl className="terms">
          <dt>{t("privacy.policy.retentionLabel")}</dt>
          <dd>{t("privacy.policy.retentionValue", { months: policy.retentionMonths })}</dd>
          <dt>{t("privacy.policy.graceLabel")}</dt>
          <dd>{t("privacy.policy.graceValue", { days: policy.unlistGraceDays })}</dd>
        </dl>
        {policy.isDefault ? <p>{t("privacy.policy.isDefault")}</p> : null}
      </section>
      {/* Each municipality's form starts from what it has saved. */}
      <PolicyForm key={organisation.id} organisationId={organisation.id} policy={policy} />
      <PurgeSection />
      <nav aria-label={t("privacy.settings.moreLabel")} className="button-row">
        <Link to={`/administration/adgangslog${query}`} className="button button--secondary">
          {t("privacy.settings.accessLogLink")}
        </Link>
        <Link to={`/administration/databehandling${query}`} className="button button--secondary">
          {t("privacy.settings.annexLink")}
        </Link>
      </nav>
    </div>
  );
}
