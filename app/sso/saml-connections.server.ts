import { and, eq } from "drizzle-orm";
import { identityProviders, organisations } from "#db/schema";
import { db } from "~/db.server";
import { administers } from "~/licensing/overview.server";
import type { MessageKey } from "~/i18n/da";
import {
  encryptionKeyReady,
  providerOf,
  recordTestOutcome,
  saveProviderRow,
  signInRuleColumns,
  testOidcConnection,
  type Admin,
} from "./connections.server";
import {
  fetchIdpMetadata,
  invalidCertificates,
  parseIdpMetadata,
  ssoUrlAnswers,
  type IdpMetadata,
} from "./saml-metadata.server";
import { certificateMatchesKey, generateSpCertificate, spKeyContext, spMetadataXml } from "./saml.server";
import { sealSecret } from "./secrets.server";
import type { SignInRules } from "./forms";

export type SamlSettings = SignInRules & {
  /** Read now and kept; empty keeps the stored address (or the uploaded file's contents). */
  metadataUrl?: string;
  /** An uploaded metadata file; it wins over the address. */
  metadataXml?: string;
  /** The admin's own system certificate and key (OCES3, say); left out, the platform makes one on the first save. */
  spCertificate?: string;
  spPrivateKey?: string;
};

export type SamlSaveResult =
  | { outcome: "saved" }
  | { outcome: "forbidden" | "noKey" | "metadataRequired" | "certificateMismatch" }
  | { outcome: "metadata"; reason: MessageKey };

function slugOf(organisationId: number) {
  return db.select({ slug: organisations.slug }).from(organisations).where(eq(organisations.id, organisationId)).get()
    ?.slug;
}

/**
 * Saves the municipality's SAML connection. The provider's metadata is fetched before anything
 * is written (outside any transaction, it may take seconds), and so is a new SP certificate.
 */
export async function saveSamlConnection(
  admin: Admin,
  organisationId: number,
  settings: SamlSettings,
  now = new Date(),
): Promise<SamlSaveResult> {
  const slug = slugOf(organisationId);
  if (!administers(admin, organisationId) || !slug) return { outcome: "forbidden" };
  const existing = providerOf(organisationId);
  let metadata: IdpMetadata | null = null;
  if (settings.metadataXml) {
    const parsed = parseIdpMetadata(settings.metadataXml);
    if (!parsed.ok) return { outcome: "metadata", reason: parsed.reason };
    metadata = parsed.metadata;
  } else if (settings.metadataUrl) {
    const fetched = await fetchIdpMetadata(settings.metadataUrl);
    if (!fetched.ok) return { outcome: "metadata", reason: fetched.reason };
    metadata = fetched.metadata;
  } else if (!existing?.samlIdpEntityId) {
    return { outcome: "metadataRequired" };
  }
  const uploaded = settings.spCertificate || settings.spPrivateKey;
  if (uploaded && !certificateMatchesKey(settings.spCertificate ?? "", settings.spPrivateKey ?? "")) {
    return { outcome: "certificateMismatch" };
  }
  if (!encryptionKeyReady()) return { outcome: "noKey" };
  const spCertificate =
    uploaded && settings.spCertificate && settings.spPrivateKey
      ? { certPem: settings.spCertificate.trim(), keyPem: settings.spPrivateKey.trim() }
      : existing?.samlSpCertPem && existing.samlSpKeyEnc
        ? null
        : await generateSpCertificate(slug, now);

  const values = {
    protocol: "saml" as const,
    ...(metadata && {
      // An uploaded file has no address to read it again from.
      samlMetadataUrl: settings.metadataXml ? null : (settings.metadataUrl ?? null),
      samlIdpEntityId: metadata.entityId,
      samlIdpSsoUrl: metadata.ssoUrl,
      samlIdpCerts: JSON.stringify(metadata.certificates),
    }),
    ...signInRuleColumns(settings),
    updatedAt: now,
  };
  saveProviderRow(organisationId, existing?.id ?? null, values, (providerId) =>
    spCertificate
      ? {
          samlSpCertPem: spCertificate.certPem,
          samlSpKeyEnc: sealSecret(spCertificate.keyPem, spKeyContext(providerId)),
        }
      : {},
  );
  return { outcome: "saved" };
}

export type SamlTestResult =
  | { ok: true }
  | { ok: false; reason: "forbidden" | "sso.saml.notSaved" }
  | { ok: false; reason: MessageKey; detail: string };

type ProbeOutcome = Extract<SamlTestResult, { ok: true } | { detail: string }>;

/**
 * Reads the metadata again from where it came (when it came from an address), checks the
 * provider's and the platform's certificates are valid today, and that the sign-on address
 * answers. Remembers the outcome; a failure also goes in the error log.
 */
export async function testSamlConnection(admin: Admin, organisationId: number, now = new Date()) {
  if (!administers(admin, organisationId)) return { ok: false, reason: "forbidden" } satisfies SamlTestResult;
  const provider = providerOf(organisationId);
  if (provider?.protocol !== "saml" || !provider.samlIdpSsoUrl || !provider.samlSpCertPem) {
    return { ok: false, reason: "sso.saml.notSaved" } satisfies SamlTestResult;
  }
  const result = await probeSaml({
    metadataUrl: provider.samlMetadataUrl,
    ssoUrl: provider.samlIdpSsoUrl,
    idpCerts: JSON.parse(provider.samlIdpCerts) as string[],
    spCert: provider.samlSpCertPem,
    now,
  });
  recordTestOutcome(provider.id, result, now);
  return result;
}

async function probeSaml(stored: {
  metadataUrl: string | null;
  ssoUrl: string;
  idpCerts: string[];
  spCert: string;
  now: Date;
}): Promise<ProbeOutcome> {
  let { ssoUrl, idpCerts } = stored;
  if (stored.metadataUrl) {
    const fetched = await fetchIdpMetadata(stored.metadataUrl);
    if (!fetched.ok) return fetched;
    ({ ssoUrl, certificates: idpCerts } = fetched.metadata);
  }
  const expiredIdp = invalidCertificates(idpCerts, stored.now);
  if (expiredIdp.length > 0)
    return { ok: false, reason: "sso.saml.idpCertificateExpired", detail: expiredIdp[0] ?? "" };
  const expiredSp = invalidCertificates([stored.spCert], stored.now);
  if (expiredSp.length > 0) return { ok: false, reason: "sso.saml.spCertificateExpired", detail: expiredSp[0] ?? "" };
  const answers = await ssoUrlAnswers(ssoUrl);
  if (!answers.ok) return { ok: false, reason: "sso.saml.ssoUnreachable", detail: answers.detail };
  return { ok: true };
}

/** The SP metadata of a municipality with a SAML connection (switched on or not yet), or null. */
export function samlMetadataFor(slug: string) {
  const row = db
    .select({
      id: identityProviders.id,
      samlSpCertPem: identityProviders.samlSpCertPem,
      samlSpKeyEnc: identityProviders.samlSpKeyEnc,
    })
    .from(identityProviders)
    .innerJoin(organisations, eq(organisations.id, identityProviders.organisationId))
    .where(and(eq(organisations.slug, slug), eq(identityProviders.protocol, "saml")))
    .get();
  if (!row?.samlSpCertPem || !row.samlSpKeyEnc) return null;
  return spMetadataXml(slug, { id: row.id, samlSpCertPem: row.samlSpCertPem, samlSpKeyEnc: row.samlSpKeyEnc });
}

/** The test button tries whichever protocol the municipality's connection speaks. */
export async function testConnection(admin: Admin, organisationId: number, now = new Date()) {
  const saml = providerOf(organisationId)?.protocol === "saml";
  const result = saml
    ? await testSamlConnection(admin, organisationId, now)
    : await testOidcConnection(admin, organisationId, now);
  return result.ok
    ? { ok: true as const, notice: saml ? ("sso.saml.testOk" as const) : ("sso.admin.testOk" as const) }
    : result;
}
