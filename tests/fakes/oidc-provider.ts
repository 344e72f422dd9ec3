import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Account, type Configuration } from "oidc-provider";

/**
 * A real OpenID provider for the tests (oidc-provider, the certified implementation), on a loopback
 * port, so sign-in is tested against the protocol as providers speak it rather than against mocks.
 * It has one confidential client and signs in whoever types a known account name on its own
 * development login page (see tests/utils/oidc-login.ts for doing that without a browser).
 */

export type TestAccount = {
  email?: string;
  emailVerified?: boolean;
  name?: string;
  groups?: string[];
  unit?: string;
  profession?: string;
};

/** Accounts by the name typed on the login page, which also becomes the subject (`sub`). */
export type TestAccounts = Record<string, TestAccount>;

export type TestOidcProviderOptions = {
  /** Where the client may be sent back to after sign-in, e.g. the platform's callback URL. */
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  accounts: TestAccounts;
  /**
   * True (the default) puts e-mail, name and groups in the ID token, as Entra ID does; false keeps
   * them for the userinfo endpoint, as the specification prefers when an access token is issued.
   */
  claimsInIdToken?: boolean;
};

export type TestOidcProvider = {
  /** `http://127.0.0.1:<port>`, exactly as the provider's discovery document states it. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  setAccounts(accounts: TestAccounts): void;
  /** Back to the accounts it was started with. */
  reset(): void;
  close(): Promise<void>;
};

export const testOidcScope = "openid email profile groups";

function accountFor(accounts: TestAccounts, sub: string): Account | undefined {
  const account = accounts[sub];
  if (!account) return undefined;
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        email: account.email,
        // Entra leaves email_verified out; a test can do the same by setting it to undefined.
        email_verified: "emailVerified" in account ? account.emailVerified : account.email !== undefined,
        name: account.name,
        groups: account.groups,
        unit: account.unit,
        profession: account.profession,
      };
    },
  };
}

export async function startTestOidcProvider(options: TestOidcProviderOptions): Promise<TestOidcProvider> {
  let accounts = structuredClone(options.accounts);
  const clientId = "rettidig";
  const clientSecret = randomBytes(24).toString("base64url");

  // The issuer must be known before the provider is built, so the port is taken first.
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        token_endpoint_auth_method: "client_secret_basic",
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    // By default only public clients must use PKCE; the platform always sends it, so insist.
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(16).toString("hex")] },
    scopes: testOidcScope.split(" "),
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "unit", "profession"],
      groups: ["groups"],
    },
    // Put the claims in the id token itself, as Entra ID does, instead of only behind userinfo.
    conformIdTokenClaims: options.claimsInIdToken === false,
    // Set so the provider does not print a notice for each default it falls back on during a test.
    ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    // Plain text, so a test that fails on the provider's side shows the provider's reason.
    async renderError(ctx, out) {
      ctx.type = "text/plain";
      ctx.body = `${out.error}: ${out.error_description ?? ""}`;
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    // A grant that already covers every scope means no consent page after the login page.
    async loadExistingGrant(ctx) {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope(testOidcScope);
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, sub) {
      return accountFor(accounts, sub);
    },
  };
  const provider = new Provider(issuer, configuration);
  server.on("request", provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    setAccounts(next) {
      accounts = structuredClone(next);
    },
    reset() {
      accounts = structuredClone(options.accounts);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
