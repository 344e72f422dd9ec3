import { and, eq, gt, isNull } from "drizzle-orm";
import * as oidc from "openid-client";
import { identityProviders, organisations, ssoFlows, type SsoClaimMap } from "#db/schema";
import { hashSecretToken } from "~/auth/secret-tokens.server";
import { db } from "~/db.server";
import { oidcRedirectUri, openClientSecret, recordProviderError } from "./connections.server";
import { describeError, discoverProvider } from "./oidc.server";
import { provisionForSignIn, type SsoPerson } from "./provision.server";
import { openSignInFlow, type SsoSignInFailure, type SsoSignInResult } from "./sign-in-flow.server";

/** The organisation's provider when it is switched on and fully set up, or null. */
function enabledProvider(slug: string) {
  const row = db
    .select({ provider: identityProviders })
    .from(identityProviders)
    .innerJoin(organisations, eq(organisations.id, identityProviders.organisationId))
    .where(
      and(eq(organisations.slug, slug), eq(identityProviders.enabled, true), eq(identityProviders.protocol, "oidc")),
    )
    .get();
  const provider = row?.provider;
  if (!provider?.oidcIssuer || !provider.oidcClientId || !provider.oidcClientSecretEnc) return null;
  return {
    ...provider,
    oidcIssuer: provider.oidcIssuer,
    oidcClientId: provider.oidcClientId,
    oidcClientSecretEnc: provider.oidcClientSecretEnc,
  };
}

type Provider = NonNullable<ReturnType<typeof enabledProvider>>;

function configFor(provider: Provider) {
  return discoverProvider({
    issuer: provider.oidcIssuer,
    clientId: provider.oidcClientId,
    clientSecret: openClientSecret(provider),
  });
}

export type StartResult =
  | { ok: true; authorizationUrl: URL; flowToken: string }
  | { ok: false; reason: "sso.signIn.disabled" | "sso.signIn.unreachable" };

export async function startOidcSignIn(slug: string, redirectTo: string | null, now = new Date()): Promise<StartResult> {
  const provider = enabledProvider(slug);
  if (!provider) return { ok: false, reason: "sso.signIn.disabled" };
  let config: oidc.Configuration;
  try {
    config = await configFor(provider);
  } catch (error) {
    recordProviderError(db, provider.id, "sso.signIn.unreachable", describeError(error), now);
    return { ok: false, reason: "sso.signIn.unreachable" };
  }
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const flowToken = openSignInFlow(provider.id, redirectTo, { state, nonce, codeVerifier }, now);
  const claimMap = JSON.parse(provider.claimMap) as SsoClaimMap;
  const wantsGroups =
    (JSON.parse(provider.leaderGroups) as string[]).length + (JSON.parse(provider.adminGroups) as string[]).length > 0;
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectUri(slug),
    scope: wantsGroups && claimMap.groups ? "openid email profile groups" : "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { ok: true, authorizationUrl, flowToken };
}

const claimString = (value: unknown) => (typeof value === "string" && value.trim() ? value : null);

/**
 * Spends the flow the browser's cookie names (once, for this provider, before it expires), trades
 * the code for tokens with the state, nonce and PKCE checks, and makes or updates the account.
 * A forged or replayed callback finds no unspent flow and changes nothing.
 */
export async function finishOidcSignIn(
  slug: string,
  currentUrl: URL,
  flowToken: string | null,
  now = new Date(),
): Promise<SsoSignInResult> {
  const provider = enabledProvider(slug);
  if (!provider) return { ok: false, reason: "sso.signIn.disabled" };
  if (!flowToken) return { ok: false, reason: "sso.signIn.flowInvalid" };
  const flow = db
    .update(ssoFlows)
    .set({ usedAt: now })
    .where(
      and(
        eq(ssoFlows.idHash, hashSecretToken(flowToken)),
        eq(ssoFlows.providerId, provider.id),
        isNull(ssoFlows.usedAt),
        gt(ssoFlows.expiresAt, now),
      ),
    )
    .returning()
    .get();
  if (!flow?.state || !flow.nonce || !flow.codeVerifier) return { ok: false, reason: "sso.signIn.flowInvalid" };

  const claimMap = JSON.parse(provider.claimMap) as SsoClaimMap;
  let claims: Record<string, unknown> & { iss: string; sub: string };
  let idToken: string | null;
  try {
    const config = await configFor(provider);
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error("no id token");
    idToken = tokens.id_token ?? null;
    // Providers that follow the specification to the letter keep e-mail and profile for the
    // userinfo endpoint; the ID token's own issuer and subject still decide who this is.
    const userInfo =
      idClaims[claimMap.email] === undefined && config.serverMetadata().userinfo_endpoint
        ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)
        : {};
    claims = { ...userInfo, ...idClaims };
  } catch (error) {
    const reason = grantFailure(error);
    // A wrong state is the browser's doing (an old tab, a forged link), not the provider's.
    if (reason !== "sso.signIn.stateMismatch") recordProviderError(db, provider.id, reason, describeError(error), now);
    return { ok: false, reason };
  }

  const groupsClaim = claims[claimMap.groups];
  const person: SsoPerson = {
    issuer: claims.iss,
    subject: claims.sub,
    email: claimString(claims[claimMap.email]),
    emailVerified: claims.email_verified !== false,
    name: claimString(claims[claimMap.name]),
    unit: claimString(claims[claimMap.unit]),
    // Entra ID leaves the groups out when there are too many (an "overage"); that counts as none.
    groups: Array.isArray(groupsClaim) ? groupsClaim.filter((group) => typeof group === "string") : [],
  };
  return provisionForSignIn(
    provider,
    person,
    { redirectTo: flow.redirectTo, idToken, missingEmailDetail: `no verified "${claimMap.email}" claim` },
    now,
  );
}

function grantFailure(error: unknown): SsoSignInFailure {
  if (error instanceof oidc.AuthorizationResponseError) return "sso.signIn.providerRefused";
  if (error instanceof oidc.ClientError && error.code === "OAUTH_INVALID_RESPONSE") return "sso.signIn.stateMismatch";
  // An ID token minted for another sign-in attempt (its nonce is not this flow's).
  if (error instanceof oidc.ClientError && error.code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED")
    return "sso.signIn.stateMismatch";
  if (error instanceof oidc.ClientError && error.code === "OAUTH_TIMEOUT") return "sso.signIn.unreachable";
  if (error instanceof TypeError) return "sso.signIn.unreachable";
  return "sso.signIn.providerRefused";
}
