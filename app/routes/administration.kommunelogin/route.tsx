import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { pageTitle, useT } from "~/i18n/i18n";
import { administeredOrganisations } from "~/licensing/overview.server";
import { connectionForAdmin, saveOidcConnection } from "~/sso/connections.server";
import { oidcConnectionSchema, samlConnectionSchema, signInRulesFrom, testConnectionSchema } from "~/sso/forms";
import { saveSamlConnection, testConnection, type SamlSettings } from "~/sso/saml-connections.server";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { ConnectionForm, connectionFormId } from "./connection-form";
import { ErrorLog } from "./error-log";
import { SamlConnectionForm, SamlServiceProviderCard } from "./saml-form";
import { OrganisationSwitcher } from "~/components/organisation-switcher";

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
  // Which protocol's form is shown: the stored one, unless the admin picked the other to switch.
  const picked = new URL(request.url).searchParams.get("protocol");
  const shown = picked === "saml" || picked === "oidc" ? picked : page.protocol;
  return json({ ...page, organisations, shown }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = { save: oidcConnectionSchema, saveSaml: samlConnectionSchema, test: testConnectionSchema } as const;

/** Secrets are write-only: no reply carries them back, not even the one that refuses the form. */
const hideFields = ["clientSecret", "spPrivateKey"];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") {
    // The test button sends only the id the page wrote.
    invariantResponse(intent !== "test", "error.unreadableForm");
    return replyToForm(connectionFormId, submission, { hideFields });
  }

  const value = submission.value;
  if (value.intent === "test") {
    const result = await testConnection(user, value.organisationId);
    if (result.ok) return replyToForm(connectionFormId, null, { notice: result.notice });
    // Another municipality is answered as if it did not exist.
    invariantResponse(result.reason !== "forbidden", "notFound.organisation", { status: 404 });
    return replyToForm(connectionFormId, null, { refusal: result.reason });
  }

  if (value.intent === "saveSaml") {
    const settings: SamlSettings = {
      metadataUrl: value.metadataUrl || undefined,
      metadataXml: value.metadataFile ? await value.metadataFile.text() : undefined,
      spCertificate: value.spCertificate || undefined,
      spPrivateKey: value.spPrivateKey || undefined,
      ...signInRulesFrom(value),
    };
    const saved = await saveSamlConnection(user, value.organisationId, settings);
    invariantResponse(saved.outcome !== "forbidden", "notFound.organisation", { status: 404 });
    const metadataField = value.metadataFile ? "metadataFile" : "metadataUrl";
    switch (saved.outcome) {
      case "saved":
        return replyToForm(connectionFormId, submission, { notice: "sso.admin.saved", hideFields });
      case "metadata":
        return replyToForm(connectionFormId, submission, {
          fieldErrors: { [metadataField]: [saved.reason] },
          hideFields,
        });
      case "metadataRequired":
        return replyToForm(connectionFormId, submission, {
          fieldErrors: { metadataUrl: ["sso.saml.metadataRequired"] },
          hideFields,
        });
      case "certificateMismatch":
        return replyToForm(connectionFormId, submission, {
          fieldErrors: { spCertificate: ["sso.saml.certificateMismatch"] },
          hideFields,
        });
      case "noKey":
        return replyToForm(connectionFormId, submission, { refusal: "sso.admin.noKey", hideFields });
    }
  }

  const outcome = saveOidcConnection(user, value.organisationId, {
    issuer: value.issuer,
    clientId: value.clientId,
    clientSecret: value.clientSecret,
    ...signInRulesFrom(value),
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
  const { organisation, organisations, redirectUri, postSignOutUri, signInLink, domains, shown } = page;
  return (
    <div className="page">
      <h1>{t("sso.admin.title")}</h1>
      <p className="lead">{t("sso.admin.intro", { organisation: organisation.name })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("sso.admin.organisations")}
      />
      <nav className="button-row" aria-label={t("sso.admin.protocolHeading")}>
        {(["oidc", "saml"] as const).map((protocol) => (
          <Link
            key={protocol}
            to={`?organisation=${organisation.id}&protocol=${protocol}`}
            aria-current={protocol === shown ? "page" : undefined}
          >
            {t(protocol === "oidc" ? "sso.admin.protocolOidc" : "sso.admin.protocolSaml")}
          </Link>
        ))}
      </nav>
      {shown === "saml" ? (
        <SamlServiceProviderCard page={page} />
      ) : (
        <section className="card">
          <h2>{t("sso.admin.redirectHeading")}</h2>
          <p>{t("sso.admin.redirectIntro")}</p>
          <p>
            <code className="copyable">{redirectUri}</code>
          </p>
          <p>{t("sso.admin.postSignOutIntro")}</p>
          <p>
            <code className="copyable">{postSignOutUri}</code>
          </p>
        </section>
      )}
      <section className="card">
        <h2>{t("sso.admin.signInLinkHeading")}</h2>
        <p>{t("sso.admin.signInLinkIntro")}</p>
        <p>
          <code className="copyable">{signInLink}</code>
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
      {shown === "saml" ? (
        <SamlConnectionForm key={page.connection.savedAt} page={page} />
      ) : (
        <ConnectionForm key={page.connection.savedAt} page={page} />
      )}
      <ErrorLog errors={page.errors} />
    </div>
  );
}
