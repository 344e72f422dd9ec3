import { createVerify, randomBytes, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import xmlenc from "xml-encryption";

/**
 * A SAML 2.0 identity provider for the tests, on a loopback port. It signs with xml-crypto and
 * encrypts with xml-encryption, the libraries node-saml itself verifies and decrypts with, so the
 * platform is tested against real signatures (RSA-SHA256 and RSASSA-PSS) rather than mocks. It
 * checks the signature on the AuthnRequest against the SP certificate in the platform's own
 * metadata, shows a login form, and answers with a page whose "Fortsæt" button posts the answer
 * to the ACS, as a provider's page does, without script. `buildResponse` makes the same answer
 * (or a deliberately bad one) for tests that post it straight to the ACS.
 */

export type TestSamlUser = {
  email?: string;
  name?: string;
  unit?: string;
  /** Sent as the groups attribute, one value each (a KOMBIT privilege list is one base64 value). */
  groups?: string[];
};

export const samlAttributeNames = {
  email: "https://data.gov.dk/model/core/eid/email",
  name: "https://data.gov.dk/model/core/eid/fullName",
  unit: "department",
  groups: "https://data.gov.dk/model/core/eid/privilegesIntermediate",
} as const;

export type BuildResponseOptions = {
  /** The AuthnRequest's ID, which the answer names in InResponseTo. */
  requestId: string;
  acsUrl: string;
  /** The SP's entity id; the answer's audience unless `wrongAudience`. */
  audience: string;
  /** A login in `users`; the NameID and the attributes are that user's. */
  login: string;
  /** rsa-sha1 also digests with SHA-1, as an old provider would. */
  signature?: "rsa-sha256" | "pss" | "rsa-sha1" | "none";
  /** A signed value is changed after signing, as an attacker on the way would. */
  tamper?: boolean;
  expired?: boolean;
  wrongAudience?: boolean;
  /** Another issuer than the provider's entity id, signed with the provider's own key. */
  issuer?: string;
  /** Another Recipient and Destination than the ACS. */
  recipient?: string;
  /** Reuse an assertion id, as a replayed answer would. */
  assertionId?: string;
  /** The SP certificate to encrypt the assertion for. */
  encryptFor?: string;
};

export type TestSamlIdp = {
  metadataUrl: string;
  entityId: string;
  ssoUrl: string;
  /** A base64 SAMLResponse, as the provider's page posts it. */
  buildResponse(options: BuildResponseOptions): Promise<string>;
  /** The id of the last assertion built, for replaying it. */
  lastAssertionId(): string | null;
  setUsers(users: Record<string, TestSamlUser>): void;
  reset(): void;
  close(): Promise<void>;
};

const fixture = (name: string) => readFileSync(new URL(`../fixtures/saml/${name}`, import.meta.url), "utf8");
export const testIdpKey = fixture("idp-key.pem");
export const testIdpCert = fixture("idp-cert.pem");

const algorithms = {
  "rsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  pss: "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
  "rsa-sha1": "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
} as const;
const redirectSigAlgs: Record<string, string> = { "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": "RSA-SHA256" };

const escapeXml = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const certBody = (pem: string) => pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
const newId = () => `_${randomBytes(16).toString("hex")}`;

function attribute(name: string, values: string[]) {
  const valueXml = values.map((value) => `<saml:AttributeValue>${escapeXml(value)}</saml:AttributeValue>`).join("");
  return `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${valueXml}</saml:Attribute>`;
}

function encrypt(xml: string, certPem: string) {
  return new Promise<string>((resolve, reject) => {
    xmlenc.encrypt(
      xml,
      {
        rsa_pub: new X509Certificate(certPem).publicKey.export({ type: "spki", format: "pem" }),
        pem: certPem,
        encryptionAlgorithm: "http://www.w3.org/2009/xmlenc11#aes256-gcm",
        keyEncryptionAlgorithm: "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
        keyEncryptionDigest: "sha256",
      } as xmlenc.EncryptOptions,
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** The provider's metadata: its entity id, its signing certificate and where it takes HTTP-Redirect requests. */
export function testIdpMetadata(entityId: string, ssoUrl: string, certificates = [testIdpCert]) {
  const keys = certificates
    .map(
      (pem) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${escapeXml(entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    keys +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escapeXml(ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

export async function startTestSamlIdp({ users }: { users: Record<string, TestSamlUser> }): Promise<TestSamlIdp> {
  let currentUsers = users;
  let lastAssertionId: string | null = null;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${base}/metadata`;
  const ssoUrl = `${base}/sso`;

  async function buildResponse(options: BuildResponseOptions) {
    const user = currentUsers[options.login];
    if (!user) throw new Error(`The test IdP has no user ${options.login}`);
    const now = Date.now();
    const at = (offsetMinutes: number) => new Date(now + offsetMinutes * 60_000).toISOString();
    const [notBefore, notOnOrAfter] = options.expired ? [at(-30), at(-20)] : [at(-1), at(5)];
    const issuer = escapeXml(options.issuer ?? entityId);
    const recipient = escapeXml(options.recipient ?? options.acsUrl);
    const audience = escapeXml(options.wrongAudience ? "https://another-service.example/saml" : options.audience);
    const assertionId = options.assertionId ?? newId();
    lastAssertionId = assertionId;
    const attributes = [
      user.email ? attribute(samlAttributeNames.email, [user.email]) : "",
      user.name ? attribute(samlAttributeNames.name, [user.name]) : "",
      user.unit ? attribute(samlAttributeNames.unit, [user.unit]) : "",
      user.groups?.length ? attribute(samlAttributeNames.groups, user.groups) : "",
    ].join("");
    let assertion =
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${at(0)}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escapeXml(options.login)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `<saml:SubjectConfirmationData InResponseTo="${escapeXml(options.requestId)}" NotOnOrAfter="${notOnOrAfter}" Recipient="${recipient}"/>` +
      `</saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${at(0)}" SessionIndex="${newId()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : "") +
      `</saml:Assertion>`;
    const signature = options.signature ?? "rsa-sha256";
    if (signature !== "none") {
      const signer = new SignedXml({
        privateKey: testIdpKey,
        publicCert: testIdpCert,
        signatureAlgorithm: algorithms[signature],
        canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
      });
      signer.addReference({
        xpath: "//*[local-name(.)='Assertion']",
        digestAlgorithm:
          signature === "rsa-sha1"
            ? "http://www.w3.org/2000/09/xmldsig#sha1"
            : "http://www.w3.org/2001/04/xmlenc#sha256",
        transforms: [
          "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
          "http://www.w3.org/2001/10/xml-exc-c14n#",
        ],
      });
      signer.computeSignature(assertion, { location: { reference: "//*[local-name(.)='Issuer']", action: "after" } });
      assertion = signer.getSignedXml();
    }
    if (options.tamper) assertion = assertion.replace(escapeXml(options.login), "someone-else");
    if (options.encryptFor) {
      assertion = `<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${await encrypt(assertion, options.encryptFor)}</saml:EncryptedAssertion>`;
    }
    const response =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${newId()}" Version="2.0" IssueInstant="${at(0)}" Destination="${recipient}" InResponseTo="${escapeXml(options.requestId)}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertion +
      `</samlp:Response>`;
    return Buffer.from(response).toString("base64");
  }

  /** The SP certificate from the platform's metadata, whose address is the request's Issuer. */
  async function spCertificate(spEntityId: string) {
    const xml = await (await fetch(spEntityId)).text();
    const body = /<(?:\w+:)?X509Certificate>([^<]+)</.exec(xml)?.[1];
    if (!body) throw new Error(`No certificate in the SP metadata at ${spEntityId}`);
    return `-----BEGIN CERTIFICATE-----\n${body.replace(/\s+/g, "")}\n-----END CERTIFICATE-----\n`;
  }

  /** Verifies the HTTP-Redirect signature over the query parts exactly as they were sent. */
  async function readSignedRequest(rawQuery: string) {
    const parts = new Map(rawQuery.split("&").map((part) => [part.slice(0, part.indexOf("=")), part] as const));
    const value = (name: string) => decodeURIComponent((parts.get(name) ?? "").slice(name.length + 1));
    const request = inflateRawSync(Buffer.from(value("SAMLRequest"), "base64")).toString("utf8");
    const doc = new DOMParser().parseFromString(request, "text/xml");
    const root = doc.documentElement;
    const requestId = root?.getAttribute("ID") ?? "";
    const acsUrl = root?.getAttribute("AssertionConsumerServiceURL") ?? "";
    const spEntityId = root?.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Issuer")[0]?.textContent;
    const hashName = redirectSigAlgs[value("SigAlg")];
    if (!spEntityId || !hashName || !parts.has("Signature")) throw new Error("The AuthnRequest is not signed");
    const signed = ["SAMLRequest", "RelayState", "SigAlg"].flatMap((name) => parts.get(name) ?? []).join("&");
    const valid = createVerify(hashName)
      .update(signed)
      .verify(await spCertificate(spEntityId), Buffer.from(value("Signature"), "base64"));
    if (!valid) throw new Error("The AuthnRequest's signature does not match the SP certificate");
    return { requestId, acsUrl, spEntityId, relayState: parts.has("RelayState") ? value("RelayState") : "" };
  }

  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeXml(value)}">`;
  const page = (title: string, body: string) =>
    `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", base);
    if (req.method === "GET" && url.pathname === "/metadata") {
      res.writeHead(200, { "Content-Type": "application/samlmetadata+xml" }).end(testIdpMetadata(entityId, ssoUrl));
      return;
    }
    if (req.method === "GET" && url.pathname === "/sso") {
      let request: Awaited<ReturnType<typeof readSignedRequest>>;
      try {
        request = await readSignedRequest(url.search.slice(1));
      } catch (error) {
        res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end(String(error));
        return;
      }
      const form =
        `<form method="post" action="/login">` +
        hidden("requestId", request.requestId) +
        hidden("acsUrl", request.acsUrl) +
        hidden("audience", request.spEntityId) +
        hidden("relayState", request.relayState) +
        `<label for="login">Brugernavn</label><input id="login" name="login" autocomplete="username">` +
        `<button type="submit">Log ind</button></form>`;
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page("Test-IdP", form));
      return;
    }
    if (req.method === "POST" && url.pathname === "/login") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const login = form.get("login") ?? "";
      if (!currentUsers[login]) {
        res.writeHead(401, { "Content-Type": "text/html; charset=utf-8" }).end(page("Ukendt bruger", ""));
        return;
      }
      const acsUrl = form.get("acsUrl") ?? "";
      const samlResponse = await buildResponse({
        requestId: form.get("requestId") ?? "",
        acsUrl,
        audience: form.get("audience") ?? "",
        login,
      });
      const answer =
        `<form method="post" action="${escapeXml(acsUrl)}">` +
        hidden("SAMLResponse", samlResponse) +
        (form.get("relayState") ? hidden("RelayState", form.get("relayState") ?? "") : "") +
        `<button type="submit">Fortsæt</button></form>`;
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page("Du er logget ind", answer));
      return;
    }
    res.writeHead(404).end();
  }

  return {
    metadataUrl: entityId,
    entityId,
    ssoUrl,
    buildResponse,
    lastAssertionId: () => lastAssertionId,
    setUsers(next) {
      currentUsers = next;
    },
    reset() {
      currentUsers = users;
      lastAssertionId = null;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
