import { and, eq } from "drizzle-orm";
import * as oidc from "openid-client";
import { identityProviders, ssoSessions } from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { openClientSecret, postSignOutPath, recordProviderError } from "./connections.server";
import { describeError, discoverProvider } from "./oidc.server";

/**
 * The provider's end-session address for a session that began at an OpenID provider which offers
 * one, with the session's ID token as the hint; null for every other session. Read before the
 * session is ended, since the link to the provider goes with it. A provider that cannot be reached
 * costs the person nothing: they are signed out here either way.
 */
export async function providerSignOutUrl(sessionIdHash: string | null, now = new Date()): Promise<string | null> {
  if (!sessionIdHash) return null;
  const row = db
    .select({ provider: identityProviders, idToken: ssoSessions.idToken })
    .from(ssoSessions)
    .innerJoin(identityProviders, eq(identityProviders.id, ssoSessions.providerId))
    .where(and(eq(ssoSessions.sessionIdHash, sessionIdHash), eq(identityProviders.protocol, "oidc")))
    .get();
  const provider = row?.provider;
  if (!row?.idToken || !provider?.oidcIssuer || !provider.oidcClientId || !provider.oidcClientSecretEnc) return null;
  try {
    const config = await discoverProvider({
      issuer: provider.oidcIssuer,
      clientId: provider.oidcClientId,
      clientSecret: openClientSecret({ id: provider.id, oidcClientSecretEnc: provider.oidcClientSecretEnc }),
    });
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      id_token_hint: row.idToken,
      post_logout_redirect_uri: `${getEnv().PUBLIC_URL}${postSignOutPath}`,
    }).href;
  } catch (error) {
    recordProviderError(db, provider.id, "sso.signOut.unreachable", describeError(error), now);
    return null;
  }
}
