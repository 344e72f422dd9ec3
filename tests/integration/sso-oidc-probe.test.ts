import http from "node:http";
import type { AddressInfo } from "node:net";
import * as oidc from "openid-client";
import { discoverProvider, probeConnection, probeFailures } from "~/sso/oidc.server";
import { startTestOidcProvider, testOidcScope, type TestOidcProvider } from "../fakes/oidc-provider";
import { signInAtTestProvider } from "../utils/oidc-login";

const redirectUri = "http://localhost:3000/sso/demo-kommune/oidc/callback";

let provider: TestOidcProvider;
beforeAll(async () => {
  provider = await startTestOidcProvider({
    redirectUris: [redirectUri],
    accounts: {
      "anna.leder": {
        email: "anna.leder@demo-kommune.dk",
        name: "Anna Leder",
        groups: ["ledere", "sundhed"],
        unit: "Hjemmeplejen Nord",
        profession: "Sygeplejerske",
      },
    },
  });
});
afterAll(() => provider.close());
beforeEach(() => provider.reset());

function connection(overrides: Partial<{ issuer: string; clientId: string; clientSecret: string }> = {}) {
  return {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUri,
    ...overrides,
  };
}

/** A server that is there but is no OpenID provider: it answers 404 to everything. */
async function startNotFoundServer() {
  const server = http.createServer((_request, response) => {
    response.writeHead(404, { "Content-Type": "text/html" });
    response.end("<h1>Not Found</h1>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A server that takes the connection and never answers. */
async function startSilentServer() {
  const server = http.createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A provider whose token endpoint turns every client away the way RFC 6749 allows besides a JSON
 * error: a 401 with a Basic challenge and no body.
 */
async function startChallengingProvider() {
  const server = http.createServer((request, response) => {
    if (request.url === "/.well-known/openid-configuration") {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(
        JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` }),
      );
    } else {
      response.writeHead(401, { "WWW-Authenticate": 'Basic realm="token"' });
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port that was just free and now has nothing listening on it. */
async function closedPort() {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("the connection test", () => {
  it("succeeds with the provider's issuer, client id and secret", async () => {
    expect(await probeConnection(connection())).toEqual({ ok: true });
  });

  it("says the secret is wrong when the provider refuses the client", async () => {
    const result = await probeConnection(connection({ clientSecret: "not-the-secret" }));
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ reason: probeFailures.wrongSecret });
  });

  it("says the secret is wrong when the provider does not know the client id", async () => {
    const result = await probeConnection(connection({ clientId: "someone-else" }));
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ reason: probeFailures.wrongSecret });
  });

  it("says the secret is wrong when the provider answers 401 with a challenge instead of a JSON error", async () => {
    const challenging = await startChallengingProvider();
    try {
      const result = await probeConnection(connection({ issuer: challenging.issuer }));
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({ reason: probeFailures.wrongSecret });
    } finally {
      await challenging.close();
    }
  });

  it("says the issuer is wrong when the discovery document names another one", async () => {
    const issuer = provider.issuer.replace("127.0.0.1", "localhost");
    const result = await probeConnection(connection({ issuer }));
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ reason: probeFailures.wrongIssuer });
  });

  it("says the provider cannot be reached when nothing listens at the issuer", async () => {
    const result = await probeConnection(connection({ issuer: `http://127.0.0.1:${await closedPort()}` }));
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ reason: probeFailures.unreachable });
  });

  it("gives up on a provider that does not answer within 5 seconds", async () => {
    const silent = await startSilentServer();
    try {
      const startedAt = Date.now();
      const result = await probeConnection(connection({ issuer: silent.url }));
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({ reason: probeFailures.timeout });
      expect(Date.now() - startedAt).toBeLessThan(8_000);
    } finally {
      await silent.close();
    }
  });

  it("says there is no provider at an address that has no discovery document", async () => {
    const notFound = await startNotFoundServer();
    try {
      const result = await probeConnection(connection({ issuer: notFound.url }));
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({ reason: probeFailures.notFound });
    } finally {
      await notFound.close();
    }
  });

  it("says there is no provider below a real provider's address", async () => {
    const result = await probeConnection(connection({ issuer: `${provider.issuer}/nope` }));
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ reason: probeFailures.notFound });
  });

  it("refuses plain http to a provider that is not on this machine", async () => {
    const result = await probeConnection(connection({ issuer: "http://login.example.com" }));
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ reason: probeFailures.insecure });
  });

  it("never puts the secret in what it reports", async () => {
    const clientSecret = "the-wrong-secret-that-must-not-show";
    const result = await probeConnection(connection({ clientSecret }));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(clientSecret);
  });
});

/** What the platform's sign-in start will do: a fresh verifier, state and nonce, and the URL to send the person to. */
async function authorizationRequest(config: oidc.Configuration) {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: testOidcScope,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url, codeVerifier, state, nonce };
}

describe("signing in at the test provider", () => {
  it("runs the authorization code flow with PKCE, state and nonce and yields the account's claims", async () => {
    const config = await discoverProvider(connection());
    const { url, codeVerifier, state, nonce } = await authorizationRequest(config);

    const callback = await signInAtTestProvider(url, { login: "anna.leder", redirectUri });
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.get("code")).toBeTruthy();

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({
      iss: provider.issuer,
      aud: provider.clientId,
      sub: "anna.leder",
      nonce,
      email: "anna.leder@demo-kommune.dk",
      email_verified: true,
      name: "Anna Leder",
      groups: ["ledere", "sundhed"],
      unit: "Hjemmeplejen Nord",
      profession: "Sygeplejerske",
    });
    expect(config.serverMetadata().end_session_endpoint).toBe(`${provider.issuer}/session/end`);
  });

  it("signs in the accounts a test sets, and no longer the ones it replaced", async () => {
    provider.setAccounts({ "bo.ny": { email: "bo.ny@demo-kommune.dk", name: "Bo Ny" } });
    const config = await discoverProvider(connection());

    const callback = await signInAtTestProvider((await authorizationRequest(config)).url, {
      login: "bo.ny",
      redirectUri,
    });
    expect(callback.searchParams.get("code")).toBeTruthy();
    await expect(
      signInAtTestProvider((await authorizationRequest(config)).url, { login: "anna.leder", redirectUri }),
    ).rejects.toThrow(/did not lead back/);
  });
});
