import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/saml/${name}`, import.meta.url), "utf8");

/** A certificate and key the tests give the platform as the municipality's own, so no test waits for a new key. */
export const testSpCertificate = fixture("sp-cert.pem");
export const testSpKey = fixture("sp-key.pem");

/** The AuthnRequest in an HTTP-Redirect address: its ID (which the answer must name), ACS and issuer. */
export function readAuthnRequest(location: string | URL) {
  const url = new URL(location);
  const xml = inflateRawSync(Buffer.from(url.searchParams.get("SAMLRequest") ?? "", "base64")).toString("utf8");
  const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? "";
  return {
    requestId: attribute("ID"),
    acsUrl: attribute("AssertionConsumerServiceURL"),
    issuer: /<(?:\w+:)?Issuer[^>]*>([^<]+)</.exec(xml)?.[1] ?? "",
    signed: url.searchParams.has("Signature") && url.searchParams.get("SigAlg")?.endsWith("rsa-sha256") === true,
  };
}

/**
 * The SAML connection form as the admin's page sends it: the platform's certificate given, the
 * OIOSAML 3 attribute names, seats given at once. `fields` adds or replaces fields.
 */
export function samlConnectionForm(fields: Record<string, string | File> = {}) {
  const form = new FormData();
  const values: Record<string, string | File> = {
    intent: "saveSaml",
    organisationId: "1",
    spCertificate: testSpCertificate,
    spPrivateKey: testSpKey,
    claimEmail: "https://data.gov.dk/model/core/eid/email",
    claimName: "https://data.gov.dk/model/core/eid/fullName",
    claimUnit: "department",
    claimProfession: "jobTitle",
    claimGroups: "https://data.gov.dk/model/core/eid/privilegesIntermediate",
    seatPolicy: "auto",
    ...fields,
  };
  for (const [name, value] of Object.entries(values)) form.append(name, value);
  return form;
}
