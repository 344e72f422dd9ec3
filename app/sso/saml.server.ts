import { X509Certificate, createHash, createPrivateKey, createPublicKey } from "node:crypto";
import {
  SAML,
  SamlStatusError,
  ValidateInResponseTo,
  generateServiceProviderMetadata,
  type CacheProvider,
} from "@node-saml/node-saml";
import { and, eq, gt, isNull } from "drizzle-orm";
import { generate } from "selfsigned";
import { ssoFlows } from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { openSecret } from "./secrets.server";
import { flowMinutes, type SsoSignInFailure } from "./sign-in-flow.server";

/** The platform's SAML names for one municipality; the entity id is also where its metadata is read. */
export const samlEntityId = (slug: string) => `${getEnv().PUBLIC_URL}/sso/${slug}/saml/metadata`;
export const samlAcsUrl = (slug: string) => `${getEnv().PUBLIC_URL}/sso/${slug}/saml/acs`;

export const spKeyContext = (providerId: number) => `identity_provider:${providerId}:saml_sp_key`;

/** A provider's clock may differ from ours by this much. */
const acceptedClockSkewMs = 60_000;

/** What the SP needs of a stored SAML provider. */
export type SamlProvider = {
  id: number;
  samlIdpSsoUrl: string;
  samlIdpCerts: string;
  samlSpCertPem: string;
  samlSpKeyEnc: string;
};

/** A fresh self-signed certificate for the municipality's SP, valid for ten years; it is only a key holder. */
export async function generateSpCertificate(slug: string, now = new Date()) {
  const notAfterDate = new Date(now);
  notAfterDate.setFullYear(now.getFullYear() + 10);
  const pems = await generate([{ name: "commonName", value: `Rettidig ${slug}` }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: now,
    notAfterDate,
  });
  return { certPem: pems.cert, keyPem: pems.private };
}

/** Whether an uploaded certificate and key belong together (and can be read at all). */
export function certificateMatchesKey(certPem: string, keyPem: string) {
  try {
    const fromCert = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
    const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: "spki", format: "der" });
    return Buffer.compare(fromCert, fromKey) === 0;
  } catch {
    return false;
  }
}

/**
 * node-saml keeps the ids of the requests it sent in this cache and accepts an answer only to one
 * of them. Ours is the flow table: the request id is written with the flow before the browser
 * leaves, so saving is already done, and "removing" spends the flow, so one answer is accepted
 * per request, and none after the flow expires.
 */
function flowCache(providerId: number, now: Date): CacheProvider {
  const open = (requestId: string) =>
    and(
      eq(ssoFlows.samlRequestId, requestId),
      eq(ssoFlows.providerId, providerId),
      isNull(ssoFlows.usedAt),
      gt(ssoFlows.expiresAt, now),
    );
  return {
    saveAsync: async (_key, value) => ({ value, createdAt: now.getTime() }),
    getAsync: async (requestId) => {
      const flow = db.select({ createdAt: ssoFlows.createdAt }).from(ssoFlows).where(open(requestId)).get();
      return flow ? flow.createdAt.toISOString() : null;
    },
    removeAsync: async (requestId) => {
      if (requestId) db.update(ssoFlows).set({ usedAt: now }).where(open(requestId)).run();
      return requestId;
    },
  };
}

/**
 * node-saml as the municipality's SP. The library's defaults are not ours: it signs with SHA-1,
 * wants the whole response signed (providers often sign only the assertion) and remembers
 * requests in memory, which another process would not see.
 */
export function samlServiceProvider(provider: SamlProvider, slug: string, requestId: string | null, now = new Date()) {
  const spKey = openSecret(provider.samlSpKeyEnc, spKeyContext(provider.id));
  return new SAML({
    entryPoint: provider.samlIdpSsoUrl,
    issuer: samlEntityId(slug),
    audience: samlEntityId(slug),
    callbackUrl: samlAcsUrl(slug),
    idpCert: JSON.parse(provider.samlIdpCerts) as string[],
    privateKey: spKey,
    decryptionPvk: spKey,
    publicCert: provider.samlSpCertPem,
    signatureAlgorithm: "sha256",
    digestAlgorithm: "sha256",
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: flowMinutes * 60_000,
    cacheProvider: flowCache(provider.id, now),
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    // The flow row is written with this id before the request leaves; an answer without it has no flow.
    generateUniqueId: () => requestId ?? "",
  });
}

/**
 * The SP metadata the provider is given: entity id, ACS, and the certificate for signatures and
 * encryption. node-saml lists a certificate only when it is given the key that goes with it.
 */
export function spMetadataXml(slug: string, provider: { id: number; samlSpCertPem: string; samlSpKeyEnc: string }) {
  const spKey = openSecret(provider.samlSpKeyEnc, spKeyContext(provider.id));
  return generateServiceProviderMetadata({
    issuer: samlEntityId(slug),
    callbackUrl: samlAcsUrl(slug),
    publicCerts: provider.samlSpCertPem,
    privateKey: spKey,
    decryptionCert: provider.samlSpCertPem,
    decryptionPvk: spKey,
    signatureAlgorithm: "sha256",
    wantAssertionsSigned: true,
    identifierFormat: null,
    // The document's ID follows the certificate, so the metadata changes only when the certificate does.
    generateUniqueId: () => `_${createHash("sha256").update(provider.samlSpCertPem).digest("hex").slice(0, 40)}`,
  });
}

/**
 * node-saml reports every fault as a plain message; this is where those messages become the
 * Danish reasons a person and the admin's error log see. `hasSignature` tells an answer nobody
 * signed from one whose signature does not hold (tampered, or signed with another key).
 */
export function samlFailure(error: unknown, hasSignature: boolean): SsoSignInFailure {
  if (error instanceof SamlStatusError) return "sso.signIn.providerRefused";
  const message = error instanceof Error ? error.message : String(error);
  if (/InResponseTo/i.test(message)) return "sso.signIn.flowInvalid";
  if (/signature/i.test(message)) return hasSignature ? "sso.signIn.samlInvalid" : "sso.signIn.samlUnsigned";
  if (/audience/i.test(message)) return "sso.signIn.samlAudience";
  if (/expired|not yet valid|subject confirmation/i.test(message)) return "sso.signIn.samlExpired";
  return "sso.signIn.samlInvalid";
}
