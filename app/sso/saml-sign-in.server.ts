import { randomBytes } from "node:crypto";
import { and, eq, gt, isNotNull, isNull, lt } from "drizzle-orm";
import type { Profile } from "@node-saml/node-saml";
import { identityProviders, organisations, samlAssertionIds, ssoFlows, type SsoClaimMap } from "#db/schema";
import { hashSecretToken } from "~/auth/secret-tokens.server";
import { db } from "~/db.server";
import { recordProviderError } from "./connections.server";
import { provisionForSignIn, type SsoPerson } from "./provision.server";
import { privilegesForCvr } from "./saml-privileges.server";
import { samlAcsUrl, samlFailure, samlServiceProvider } from "./saml.server";
import { flowMinutes, openSignInFlow, type SsoSignInFailure, type SsoSignInResult } from "./sign-in-flow.server";

/** The protocol of the organisation's provider when it is switched on, or null. */
export function enabledProtocol(slug: string) {
  return (
    db
      .select({ protocol: identityProviders.protocol })
      .from(identityProviders)
      .innerJoin(organisations, eq(organisations.id, identityProviders.organisationId))
      .where(and(eq(organisations.slug, slug), eq(identityProviders.enabled, true)))
      .get()?.protocol ?? null
  );
}

function enabledSamlProvider(where: { slug: string } | { providerId: number }) {
  const row = db
    .select({ provider: identityProviders, cvr: organisations.cvr, slug: organisations.slug })
    .from(identityProviders)
    .innerJoin(organisations, eq(organisations.id, identityProviders.organisationId))
    .where(
      and(
        "slug" in where ? eq(organisations.slug, where.slug) : eq(identityProviders.id, where.providerId),
        eq(identityProviders.enabled, true),
        eq(identityProviders.protocol, "saml"),
      ),
    )
    .get();
  const provider = row?.provider;
  if (!row || !provider?.samlIdpSsoUrl || !provider.samlIdpEntityId || !provider.samlSpCertPem) return null;
  if (!provider.samlSpKeyEnc) return null;
  return {
    ...provider,
    slug: row.slug,
    cvr: row.cvr,
    samlIdpSsoUrl: provider.samlIdpSsoUrl,
    samlIdpEntityId: provider.samlIdpEntityId,
    samlSpCertPem: provider.samlSpCertPem,
    samlSpKeyEnc: provider.samlSpKeyEnc,
  };
}

export type SamlStartResult =
  | { ok: true; authorizationUrl: string; flowToken: string }
  | { ok: false; reason: "sso.signIn.disabled" | "sso.signIn.unreachable" };

/** Writes the flow with its request id, then sends the browser to the provider with a signed AuthnRequest. */
export async function startSamlSignIn(slug: string, redirectTo: string | null, now = new Date()) {
  const provider = enabledSamlProvider({ slug });
  if (!provider) return { ok: false, reason: "sso.signIn.disabled" } satisfies SamlStartResult;
  // An XML ID must not begin with a digit.
  const requestId = `_${randomBytes(20).toString("hex")}`;
  let authorizationUrl: string;
  try {
    authorizationUrl = await samlServiceProvider(provider, slug, requestId, now).getAuthorizeUrlAsync(
      "",
      undefined,
      {},
    );
  } catch (error) {
    recordProviderError(db, provider.id, "sso.signIn.unreachable", String(error), now);
    return { ok: false, reason: "sso.signIn.unreachable" } satisfies SamlStartResult;
  }
  const flowToken = openSignInFlow(provider.id, redirectTo, { samlRequestId: requestId }, now);
  return { ok: true, authorizationUrl, flowToken } satisfies SamlStartResult;
}

type XmlNode = { _?: string; $?: Record<string, string> } & Record<string, unknown>;
const nodes = (value: unknown) => (Array.isArray(value) ? (value as XmlNode[]) : []);

/** A single text value of an attribute (the first, when the provider sends several). */
function attributeText(value: unknown): string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first.trim() ? first.trim() : null;
}

function attributeList(value: unknown): string[] {
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === "string" && item.trim() !== "").map((v) => v.trim());
}

/** The groups, or for KOMBIT's privilege list the privileges this municipality (by CVR) gave the person. */
function groupsFrom(value: unknown, cvr: string) {
  const list = attributeList(value);
  const privileges = list.length === 1 ? privilegesForCvr(list[0] ?? "", cvr) : null;
  return privileges ?? list;
}

/** The latest time any part of the assertion is valid, so its id is remembered at least that long. */
function assertionExpiry(assertion: XmlNode, now: Date) {
  const times = [
    ...nodes(assertion.Conditions).map((c) => c.$?.NotOnOrAfter),
    ...nodes(assertion.Subject)
      .flatMap((s) => nodes(s.SubjectConfirmation))
      .flatMap((c) => nodes(c.SubjectConfirmationData))
      .map((d) => d.$?.NotOnOrAfter),
  ]
    .map((value) => (value ? Date.parse(value) : Number.NaN))
    .filter((ms) => !Number.isNaN(ms));
  return new Date(Math.max(now.getTime() + flowMinutes * 60_000, ...times) + 60_000);
}

const sha1Algorithm = /Algorithm="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#(?:rsa-)?sha1"/;

export type AcsResult = { ok: true; requestId: string } | { ok: false; reason: SsoSignInFailure };

/**
 * The provider's answer, posted by the browser from the provider's page, so without our cookies.
 * It is checked (signature, time, audience and InResponseTo by node-saml; issuer, recipient and
 * replay here), and the person it names waits on the flow for the browser's own request.
 */
export async function acceptSamlResponse(slug: string, samlResponse: string, now = new Date()): Promise<AcsResult> {
  const provider = enabledSamlProvider({ slug });
  if (!provider) return { ok: false, reason: "sso.signIn.disabled" };
  const refuse = (reason: SsoSignInFailure, detail: string): AcsResult => {
    recordProviderError(db, provider.id, reason, detail, now);
    return { ok: false, reason };
  };
  const raw = Buffer.from(samlResponse, "base64").toString("utf8");
  // node-saml still verifies SHA-1 signatures and digests, which can be forged; OIOSAML 3 asks for
  // SHA-256. (Inside an encrypted assertion this cannot be seen before node-saml decrypts it.)
  if (sha1Algorithm.test(raw)) {
    // Spent as node-saml spends a request whose answer it refuses, so no second answer is taken.
    const requestId = /\sInResponseTo="([^"]+)"/.exec(raw)?.[1];
    if (requestId) {
      db.update(ssoFlows)
        .set({ usedAt: now })
        .where(and(eq(ssoFlows.samlRequestId, requestId), eq(ssoFlows.providerId, provider.id)))
        .run();
    }
    return refuse("sso.signIn.samlInvalid", "SHA-1 signature or digest refused");
  }
  let profile: Profile | null;
  try {
    ({ profile } = await samlServiceProvider(provider, slug, null, now).validatePostResponseAsync({
      SAMLResponse: samlResponse,
    }));
  } catch (error) {
    const hasSignature = /<(\w+:)?Signature[\s>]/.test(raw) || /EncryptedAssertion/.test(raw);
    return refuse(samlFailure(error, hasSignature), error instanceof Error ? error.message : String(error));
  }
  if (!profile) return refuse("sso.signIn.samlInvalid", "not a sign-in answer");
  if (profile.issuer !== provider.samlIdpEntityId) {
    return refuse("sso.signIn.samlIssuer", `issuer ${String(profile.issuer).slice(0, 200)}`);
  }
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlNode } | undefined)?.Assertion;
  const confirmation = nodes(assertion?.Subject)
    .flatMap((s) => nodes(s.SubjectConfirmation))
    .flatMap((c) => nodes(c.SubjectConfirmationData))[0]?.$;
  // Destination sits on the unsigned envelope; Recipient inside the signed assertion. Both must name us.
  const destination = /<(?:\w+:)?Response\b[^>]*\sDestination="([^"]*)"/.exec(raw)?.[1];
  const acsUrl = samlAcsUrl(slug);
  if (confirmation?.Recipient !== acsUrl || (destination !== undefined && destination !== acsUrl)) {
    return refuse("sso.signIn.samlRecipient", `recipient ${confirmation?.Recipient ?? "none"}`.slice(0, 300));
  }
  const requestId = confirmation.InResponseTo;
  const assertionId = assertion?.$?.ID;
  if (!assertion || !requestId || !assertionId) return refuse("sso.signIn.samlInvalid", "no ID or InResponseTo");

  const claimMap = JSON.parse(provider.claimMap) as SsoClaimMap;
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  const person: SsoPerson = {
    issuer: provider.samlIdpEntityId,
    subject: profile.nameID,
    email: attributeText(attributes[claimMap.email])?.toLowerCase() ?? null,
    // The provider vouches for the address it signs; SAML has no separate flag for it.
    emailVerified: true,
    name: attributeText(attributes[claimMap.name]),
    unit: attributeText(attributes[claimMap.unit]),
    groups: groupsFrom(attributes[claimMap.groups], provider.cvr),
  };

  const stored = db.transaction((tx): AcsResult => {
    tx.delete(samlAssertionIds).where(lt(samlAssertionIds.expiresAt, now)).run();
    const flow = tx
      .select({ idHash: ssoFlows.idHash })
      .from(ssoFlows)
      .where(
        and(
          eq(ssoFlows.samlRequestId, requestId),
          eq(ssoFlows.providerId, provider.id),
          isNull(ssoFlows.verifiedPerson),
          gt(ssoFlows.expiresAt, now),
        ),
      )
      .get();
    if (!flow) return { ok: false, reason: "sso.signIn.flowInvalid" };
    const fresh = tx
      .insert(samlAssertionIds)
      .values({ providerId: provider.id, assertionId, expiresAt: assertionExpiry(assertion, now) })
      .onConflictDoNothing()
      .returning({ assertionId: samlAssertionIds.assertionId })
      .get();
    if (!fresh) return { ok: false, reason: "sso.signIn.samlReplayed" };
    tx.update(ssoFlows)
      .set({ verifiedPerson: JSON.stringify(person) })
      .where(eq(ssoFlows.idHash, flow.idHash))
      .run();
    return { ok: true, requestId };
  });
  if (!stored.ok && stored.reason === "sso.signIn.samlReplayed")
    return refuse(stored.reason, `assertion ${assertionId}`);
  return stored;
}

/**
 * The browser's own GET after the ACS: its flow cookie must name the flow the answer was stored
 * on, or someone else's sign-in could be pushed into this browser (login CSRF). The flow is
 * deleted as it is read, so it finishes once.
 */
export function finishSamlSignIn(
  requestId: string | null,
  flowToken: string | null,
  now = new Date(),
): SsoSignInResult {
  if (!requestId || !flowToken) return { ok: false, reason: "sso.signIn.flowInvalid" };
  const flow = db
    .delete(ssoFlows)
    .where(
      and(
        eq(ssoFlows.idHash, hashSecretToken(flowToken)),
        eq(ssoFlows.samlRequestId, requestId),
        isNotNull(ssoFlows.verifiedPerson),
        gt(ssoFlows.expiresAt, now),
      ),
    )
    .returning()
    .get();
  if (!flow?.verifiedPerson) return { ok: false, reason: "sso.signIn.flowInvalid" };
  const provider = enabledSamlProvider({ providerId: flow.providerId });
  if (!provider) return { ok: false, reason: "sso.signIn.disabled" };
  const person = JSON.parse(flow.verifiedPerson) as SsoPerson;
  const claimMap = JSON.parse(provider.claimMap) as SsoClaimMap;
  return provisionForSignIn(
    provider,
    person,
    { redirectTo: flow.redirectTo, idToken: null, missingEmailDetail: `no "${claimMap.email}" attribute` },
    now,
  );
}
