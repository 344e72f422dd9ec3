import * as oidc from "openid-client";
import { isProduction } from "~/env.server";
import type { MessageKey } from "~/i18n/da";

/** What the municipality's admin enters to connect its OpenID provider. */
export type OidcConnection = { issuer: string; clientId: string; clientSecret: string };

/** No request to a provider may hold a sign-in or the admin page up for longer than this. */
const requestTimeoutSeconds = 5;

/**
 * A provider on this machine may be reached over plain http outside production, so the tests and
 * local development can run their own provider; everywhere else discovery insists on https.
 */
function allowsPlainHttp(issuer: URL) {
  return !isProduction() && (issuer.hostname === "127.0.0.1" || issuer.hostname === "localhost");
}

/** Whether discovery would go to this issuer at all: https, or plain http where allowsPlainHttp permits it. */
export function isAllowedIssuer(issuer: string) {
  if (!URL.canParse(issuer)) return false;
  const url = new URL(issuer);
  return url.protocol === "https:" || (url.protocol === "http:" && allowsPlainHttp(url));
}

/**
 * Reads the provider's discovery document and returns the client configuration every later
 * request uses. openid-client checks that the document names exactly this issuer.
 */
export async function discoverProvider({ issuer, clientId, clientSecret }: OidcConnection) {
  const issuerUrl = new URL(issuer);
  return oidc.discovery(issuerUrl, clientId, clientSecret, undefined, {
    timeout: requestTimeoutSeconds,
    execute: allowsPlainHttp(issuerUrl) ? [oidc.allowInsecureRequests] : [],
  });
}

export const probeFailures = {
  /** Nothing answered at the issuer's host (refused, no such host, connection dropped). */
  unreachable: "sso.test.unreachable",
  timeout: "sso.test.timeout",
  /** The host answered, but there is no OpenID discovery document at the issuer. */
  notFound: "sso.test.notFound",
  /** The discovery document names another issuer than the one entered. */
  wrongIssuer: "sso.test.wrongIssuer",
  /** An http issuer that is not on this machine, or any http issuer in production. */
  insecure: "sso.test.insecure",
  /** The provider does not know the client id, or the secret does not match it. */
  wrongSecret: "sso.test.wrongSecret",
  /** The provider answered the token request in a way that says neither yes nor no to the secret. */
  unexpectedAnswer: "sso.test.unexpectedAnswer",
} as const satisfies Record<string, MessageKey>;

export type ProbeFailure = (typeof probeFailures)[keyof typeof probeFailures];

/** `detail` is technical (an error code, the provider's own words) for the connection's error log; it never holds the secret. */
export type ProbeResult = { ok: true } | { ok: false; reason: ProbeFailure; detail: string };

/**
 * A code no provider has issued: the token request made with it can only fail, and how it fails
 * tells whether the client credentials were accepted (invalid_grant) or not (invalid_client).
 */
const probeCode = "rettidig-connection-test";

/**
 * Tries a connection without anyone signing in: discovery, then a token request with a code that
 * does not exist. Providers check the client's credentials before the code, so `invalid_grant`
 * means the credentials are right.
 */
export async function probeConnection(connection: OidcConnection & { redirectUri: string }): Promise<ProbeResult> {
  if (!URL.canParse(connection.issuer)) {
    return { ok: false, reason: probeFailures.notFound, detail: "the issuer is not a URL" };
  }
  let config: oidc.Configuration;
  try {
    config = await discoverProvider(connection);
  } catch (error) {
    return { ok: false, ...discoveryFailure(error) };
  }
  try {
    await oidc.genericGrantRequest(config, "authorization_code", {
      code: probeCode,
      redirect_uri: connection.redirectUri,
    });
    return {
      ok: false,
      reason: probeFailures.unexpectedAnswer,
      detail: "the provider accepted a code it never issued",
    };
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError) {
      if (error.error === "invalid_grant") return { ok: true };
      const detail = `${error.status} ${error.error}`;
      if (error.error === "invalid_client") return { ok: false, reason: probeFailures.wrongSecret, detail };
      return { ok: false, reason: probeFailures.unexpectedAnswer, detail };
    }
    // Some providers answer a client they do not accept with a bare 401 and a Basic challenge (RFC 6749 5.2).
    if (error instanceof oidc.WWWAuthenticateChallengeError && error.status === 401) {
      return { ok: false, reason: probeFailures.wrongSecret, detail: `401 ${error.cause[0]?.scheme ?? ""}`.trim() };
    }
    return {
      ok: false,
      ...(requestFailure(error) ?? { reason: probeFailures.unexpectedAnswer, detail: describeError(error) }),
    };
  }
}

function discoveryFailure(error: unknown): { reason: ProbeFailure; detail: string } {
  const failure = requestFailure(error);
  if (failure) return failure;
  if (error instanceof oidc.ClientError && error.code === "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED") {
    return { reason: probeFailures.wrongIssuer, detail: describeError(error) };
  }
  // A 404, an HTML page or JSON that is not a discovery document: whatever is there, it is not an issuer.
  return { reason: probeFailures.notFound, detail: describeError(error) };
}

/** Failures of the request itself rather than of what came back; undefined for anything else. */
function requestFailure(error: unknown): { reason: ProbeFailure; detail: string } | undefined {
  if (error instanceof oidc.ClientError && error.code === "OAUTH_TIMEOUT") {
    return { reason: probeFailures.timeout, detail: describeError(error) };
  }
  if (error instanceof oidc.ClientError && error.code === "OAUTH_HTTP_REQUEST_FORBIDDEN") {
    return { reason: probeFailures.insecure, detail: describeError(error) };
  }
  // fetch reports a refused connection, an unknown host or a dropped socket as a bare TypeError.
  if (error instanceof TypeError) {
    return { reason: probeFailures.unreachable, detail: describeError(error) };
  }
  return undefined;
}

/**
 * The error's own code and message, without its `cause`: a cause can hold the request that was
 * sent, and with it the client's credentials.
 */
export function describeError(error: unknown) {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const code = "code" in error && typeof error.code === "string" ? `${error.code}: ` : "";
  const causeCode = error.cause instanceof Error && "code" in error.cause ? String(error.cause.code) : "";
  const cause = causeCode && !code.startsWith(causeCode) ? ` (${causeCode})` : "";
  return `${code}${error.message}${cause}`.slice(0, 500);
}
