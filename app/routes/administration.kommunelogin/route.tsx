import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { pageTitle, useT } from "~/i18n/i18n";
import { administeredOrganisations } from "~/licensing/overview.server";
import { connectionForAdmin, saveOidcConnection, testOidcConnection } from "~/sso/connections.server";
import { oidcConnectionSchema, testConnectionSchema } from "~/sso/forms";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { ConnectionForm, connectionFormId } from "./connection-form";
import { ErrorLog } from "./error-log";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "sso.admin.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/**
 * A failed test is answered with a 409, after which Remix would not reload the page's data; the
 * test's outcome and error log are in that data, so a test always reloads it.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "test" || defaultShouldRevalidate;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const organisations = administeredOrganisations(user);
  const requested = new URL(request.url).searchParams.get("organisation");
  const organisationId = requested ? Number(requested) : organisations[0]?.id;
  const page = organisationId ? connectionForAdmin(user, organisationId) : null;
  invariantResponse(page, "notFound.organisation", { status: 404 });
  return json({ ...page, organisations }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = { save: oidcConnectionSchema, test: testConnectionSchema } as const;

/** The secret is write-only: no reply carries it back, not even the one that refuses the form. */
const hideFields = ["clientSecret"];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") {
    // The test button sends only the id the page wrote.
    invariantResponse(intent === "save", "error.unreadableForm");
    return replyToForm(connectionFormId, submission, { hideFields });
  }

  const value = submission.value;
  if (value.intent === "test") {
    const result = await testOidcConnection(user, value.organisationId);
    if (result.ok) return replyToForm(connectionFormId, null, { notice: "sso.admin.testOk" });
    // Another municipality is answered as if it did not exist.
    invariantResponse(result.reason !== "forbidden", "notFound.organisation", { status: 404 });
    return replyToForm(connectionFormId, null, { refusal: result.reason });
  }

  const outcome = saveOidcConnection(user, value.organisationId, {
    issuer: value.issuer,
    clientId: value.clientId,
    clientSecret: value.clientSecret,
    claimMap: {
      email: value.claimEmail,
      name: value.claimName,
      unit: value.claimUnit,
      profession: value.claimProfession,
      groups: value.claimGroups,
    },
    leaderGroups: value.leaderGroups,
    adminGroups: value.adminGroups,
    seatPolicy: value.seatPolicy,
    enabled: value.enabled,
  });
  invariantResponse(outcome !== "forbidden", "notFound.organisation", { status: 404 });
  switch (outcome) {
    case "saved":
      return replyToForm(connectionFormId, submission, { notice: "sso.admin.saved", hideFields });
    case "insecureIssuer":
      return replyToForm(connectionFormId, submission, { fieldErrors: { issuer: ["sso.test.insecure"] }, hideFields });
    case "secretRequired":
      return replyToForm(connectionFormId, submission, {
        fieldErrors: { clientSecret: ["sso.admin.secretRequired"] },
        hideFields,
      });
    case "noKey":
      return replyToForm(connectionFormId, submission, { refusal: "sso.admin.noKey", hideFields });
  }
}

export type ConnectionPage = ReturnType<typeof useLoaderData<typeof loader>>;

export default function MunicipalSignInPage() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const { organisation, organisations, redirectUri, domains } = page;
  return (
    <div className="page">
      <h1>{t("sso.admin.title")}</h1>
      <p className="lead">{t("sso.admin.intro", { organisation: organisation.name })}</p>
      {organisations.length > 1 ? (
        <nav className="button-row" aria-label={t("sso.admin.organisations")}>
          {organisations.map((o) => (
            <Link key={o.id} to={`?organisation=${o.id}`} aria-current={o.id === organisation.id ? "page" : undefined}>
              {o.name}
            </Link>
          ))}
        </nav>
      ) : null}
      <section className="card">
        <h2>{t("sso.admin.redirectHeading")}</h2>
        <p>{t("sso.admin.redirectIntro")}</p>
        <p>
          <code className="copyable">{redirectUri}</code>
        </p>
      </section>
      <section className="card">
        <h2>{t("sso.admin.domainsHeading")}</h2>
        <p>{t("sso.admin.domainsIntro")}</p>
        {domains.length > 0 ? (
          <ul>
            {domains.map((domain) => (
              <li key={domain}>{domain}</li>
            ))}
          </ul>
        ) : (
          <p className="notice">{t("sso.admin.domainsNone")}</p>
        )}
      </section>
      {/* Drawn anew from what is stored once a save lands, which also empties the secret's field. */}
      <ConnectionForm key={page.connection.savedAt} page={page} />
      <ErrorLog errors={page.errors} />
    </div>
  );
}
