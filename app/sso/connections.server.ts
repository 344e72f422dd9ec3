import { and, asc, desc, eq, notInArray } from "drizzle-orm";
import {
  defaultSsoClaimMap,
  identityProviders,
  organisationDomains,
  organisations,
  ssoErrors,
  type SsoClaimMap,
} from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db, type Db, type Tx } from "~/db.server";
import type { MessageKey } from "~/i18n/da";
import { getEnv, getSsoEncryptionKeys } from "~/env.server";
import { administeredOrganisation, administers } from "~/licensing/overview.server";
import type { SignInRules } from "./forms";
import { isAllowedIssuer, probeConnection, type ProbeResult } from "./oidc.server";
import { certificateSummary } from "./saml-metadata.server";
import { samlAcsUrl, samlEntityId } from "./saml.server";
import { openSecret, sealSecret, UnreadableSecretError } from "./secrets.server";

export type Admin = Pick<SessionUser, "id">;

/** The admin page keeps this many of a provider's latest errors; older ones say nothing new. */
const keptErrors = 20;

const secretContext = (providerId: number) => `identity_provider:${providerId}:oidc_client_secret`;

/** Where the provider sends people back to after they signed in. */
export const oidcRedirectUri = (organisationSlug: string) =>
  `${getEnv().PUBLIC_URL}/sso/${organisationSlug}/oidc/callback`;

/** Where the provider sends the browser once it has ended its own session. */
export const postSignOutPath = "/log-ind?besked=signed-out";

/** The municipality's direct sign-in link, for its intranet and for the sign-in page to send staff on to. */
export const municipalSignInPath = (organisationSlug: string) => `/sso/${organisationSlug}/start`;

/**
 * Whether secrets can be sealed and opened here. Production refuses to run without
 * SSO_ENCRYPTION_KEY; the admin is then told so above the form instead of getting an error page.
 */
export function encryptionKeyReady() {
  try {
    getSsoEncryptionKeys();
    return true;
  } catch (error) {
    console.error("Kommunelogin kan ikke forsegle hemmeligheder:", error);
    return false;
  }
}

/** The stored client secret, opened; only for requests to the provider, never for a page. */
export function openClientSecret(provider: { id: number; oidcClientSecretEnc: string }) {
  return openSecret(provider.oidcClientSecretEnc, secretContext(provider.id));
}

/** Remembers how the admin's latest test went; a failure also goes in the provider's error log. */
export function recordTestOutcome(
  providerId: number,
  result: { ok: true } | { ok: false; reason: MessageKey; detail: string },
  now: Date,
) {
  db.transaction((tx) => {
    tx.update(identityProviders)
      .set({ lastTestedAt: now, lastTestOk: result.ok })
      .where(eq(identityProviders.id, providerId))
      .run();
    if (!result.ok) recordProviderError(tx, providerId, result.reason, result.detail, now);
  });
}

/** Adds a failure to the provider's error log on the admin page, which keeps only the latest ones. */
export function recordProviderError(
  database: Db | Tx,
  providerId: number,
  code: MessageKey,
  detail: string,
  now: Date,
) {
  database
    .insert(ssoErrors)
    .values({ providerId, at: now, code, detail: detail.slice(0, 500) })
    .run();
  const kept = database
    .select({ id: ssoErrors.id })
    .from(ssoErrors)
    .where(eq(ssoErrors.providerId, providerId))
    .orderBy(desc(ssoErrors.at), desc(ssoErrors.id))
    .limit(keptErrors)
    .all()
    .map((row) => row.id);
  database
    .delete(ssoErrors)
    .where(and(eq(ssoErrors.providerId, providerId), notInArray(ssoErrors.id, kept)))
    .run();
}

export function providerOf(organisationId: number) {
  return db.select().from(identityProviders).where(eq(identityProviders.organisationId, organisationId)).get();
}

/** The municipality's OpenID connection as its admins see it: everything but the secret itself. */
export function connectionForAdmin(admin: Admin, organisationId: number) {
  const organisation = administeredOrganisation(admin, organisationId);
  if (!organisation) return null;
  const provider = providerOf(organisationId);
  return {
    organisation: { id: organisation.id, name: organisation.name },
    redirectUri: oidcRedirectUri(organisation.slug),
    postSignOutUri: `${getEnv().PUBLIC_URL}${postSignOutPath}`,
    signInLink: `${getEnv().PUBLIC_URL}${municipalSignInPath(organisation.slug)}`,
    domains: db
      .select({ domain: organisationDomains.domain })
      .from(organisationDomains)
      .where(eq(organisationDomains.organisationId, organisationId))
      .orderBy(asc(organisationDomains.domain))
      .all()
      .map((row) => row.domain),
    protocol: provider?.protocol ?? "oidc",
    saml: {
      // The entity id is also the address of the platform's metadata.
      entityId: samlEntityId(organisation.slug),
      acsUrl: samlAcsUrl(organisation.slug),
      metadataUrl: provider?.samlMetadataUrl ?? "",
      idpEntityId: provider?.samlIdpEntityId ?? null,
      idpSsoUrl: provider?.samlIdpSsoUrl ?? null,
      idpCertificates: provider ? (JSON.parse(provider.samlIdpCerts) as string[]).map(certificateSummary) : [],
      spCertificate: provider?.samlSpCertPem ? certificateSummary(provider.samlSpCertPem) : null,
    },
    connection: {
      issuer: provider?.oidcIssuer ?? "",
      clientId: provider?.oidcClientId ?? "",
      secretStored: Boolean(provider?.oidcClientSecretEnc),
      claimMap: provider ? (JSON.parse(provider.claimMap) as SsoClaimMap) : defaultSsoClaimMap,
      leaderGroups: provider ? (JSON.parse(provider.leaderGroups) as string[]) : [],
      adminGroups: provider ? (JSON.parse(provider.adminGroups) as string[]) : [],
      seatPolicy: provider?.seatPolicy ?? "auto",
      enabled: provider?.enabled ?? false,
      passwordSignInDisabled: provider?.passwordSignInDisabled ?? false,
      savedAt: provider?.updatedAt.getTime() ?? 0,
      lastTestedAt: provider?.lastTestedAt ?? null,
      lastTestOk: provider?.lastTestOk ?? null,
    },
    errors: provider
      ? db
          .select({ id: ssoErrors.id, at: ssoErrors.at, code: ssoErrors.code, detail: ssoErrors.detail })
          .from(ssoErrors)
          .where(eq(ssoErrors.providerId, provider.id))
          .orderBy(desc(ssoErrors.at), desc(ssoErrors.id))
          .limit(keptErrors)
          .all()
      : [],
  };
}

export type OidcSettings = SignInRules & {
  issuer: string;
  clientId: string;
  /** Empty or left out: keep the stored secret. */
  clientSecret?: string;
};

/** The columns both protocols store for their sign-in rules. */
export function signInRuleColumns(rules: SignInRules) {
  return {
    claimMap: JSON.stringify(rules.claimMap),
    leaderGroups: JSON.stringify(rules.leaderGroups),
    adminGroups: JSON.stringify(rules.adminGroups),
    seatPolicy: rules.seatPolicy,
    enabled: rules.enabled,
    passwordSignInDisabled: rules.passwordSignInDisabled,
  };
}

type ProviderColumns = Omit<typeof identityProviders.$inferInsert, "id" | "organisationId">;

/**
 * Writes the municipality's connection in one transaction. What is sealed names its row, so
 * `sealed` makes those columns once the row has an id (a new row gets one on insert).
 */
export function saveProviderRow(
  organisationId: number,
  existingId: number | null,
  values: ProviderColumns & Pick<typeof identityProviders.$inferInsert, "protocol" | "updatedAt">,
  sealed: (providerId: number) => Partial<ProviderColumns>,
) {
  db.transaction((tx) => {
    const providerId =
      existingId ??
      tx
        .insert(identityProviders)
        .values({ organisationId, ...values })
        .returning({ id: identityProviders.id })
        .get().id;
    tx.update(identityProviders)
      .set({ ...values, ...sealed(providerId) })
      .where(eq(identityProviders.id, providerId))
      .run();
  });
}

export type SaveResult = "saved" | "forbidden" | "insecureIssuer" | "secretRequired" | "noKey";

export function saveOidcConnection(admin: Admin, organisationId: number, settings: OidcSettings, now = new Date()) {
  if (!administers(admin, organisationId)) return "forbidden" satisfies SaveResult;
  if (!isAllowedIssuer(settings.issuer)) return "insecureIssuer" satisfies SaveResult;
  const existing = providerOf(organisationId);
  const newSecret = settings.clientSecret ?? "";
  if (!newSecret && !existing?.oidcClientSecretEnc) return "secretRequired" satisfies SaveResult;
  if (newSecret && !encryptionKeyReady()) return "noKey" satisfies SaveResult;

  const values = {
    protocol: "oidc" as const,
    oidcIssuer: settings.issuer,
    oidcClientId: settings.clientId,
    ...signInRuleColumns(settings),
    updatedAt: now,
  };
  saveProviderRow(organisationId, existing?.id ?? null, values, (providerId) =>
    newSecret ? { oidcClientSecretEnc: sealSecret(newSecret, secretContext(providerId)) } : {},
  );
  return "saved" satisfies SaveResult;
}

/** A failure's reason is the message key the admin is shown, except for another municipality's connection. */
export type TestResult =
  | ProbeResult
  | { ok: false; reason: "forbidden" | "sso.admin.notSaved" | "sso.admin.noKey" | "sso.admin.secretUnreadable" };

/**
 * Tries the stored connection at the provider and remembers the outcome; a failure also goes in
 * the provider's error log. The provider is asked outside any transaction: it may take seconds.
 */
export async function testOidcConnection(admin: Admin, organisationId: number, now = new Date()): Promise<TestResult> {
  if (!administers(admin, organisationId)) return { ok: false, reason: "forbidden" };
  const provider = providerOf(organisationId);
  const organisation = db
    .select({ slug: organisations.slug })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .get();
  if (!provider?.oidcIssuer || !provider.oidcClientId || !provider.oidcClientSecretEnc || !organisation) {
    return { ok: false, reason: "sso.admin.notSaved" };
  }
  if (!encryptionKeyReady()) return { ok: false, reason: "sso.admin.noKey" };

  let clientSecret: string;
  try {
    clientSecret = openClientSecret({ id: provider.id, oidcClientSecretEnc: provider.oidcClientSecretEnc });
  } catch (error) {
    if (!(error instanceof UnreadableSecretError)) throw error;
    recordProviderError(db, provider.id, "sso.admin.secretUnreadable", "", now);
    return { ok: false, reason: "sso.admin.secretUnreadable" };
  }
  const result = await probeConnection({
    issuer: provider.oidcIssuer,
    clientId: provider.oidcClientId,
    clientSecret,
    redirectUri: oidcRedirectUri(organisation.slug),
  });
  recordTestOutcome(provider.id, result, now);
  return result;
}
