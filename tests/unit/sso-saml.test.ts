import { SamlStatusError } from "@node-saml/node-saml";
import { parseIdpMetadata, maxMetadataBytes } from "~/sso/saml-metadata.server";
import { privilegesForCvr } from "~/sso/saml-privileges.server";
import { samlFailure } from "~/sso/saml.server";
import { testIdpCert, testIdpMetadata } from "../fakes/saml-idp";
import { testSpCertificate } from "../utils/saml-login";

const entityId = "https://idp.example.org/saml";
const ssoUrl = "https://idp.example.org/saml/sso";

describe("reading a provider's SAML metadata", () => {
  it("reads the entity id, the HTTP-Redirect address and every signing certificate", () => {
    const result = parseIdpMetadata(testIdpMetadata(entityId, ssoUrl, [testIdpCert, testSpCertificate]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.metadata.entityId).toBe(entityId);
    expect(result.metadata.ssoUrl).toBe(ssoUrl);
    expect(result.metadata.certificates.map((pem) => pem.replace(/\s+/g, ""))).toEqual(
      [testIdpCert, testSpCertificate].map((pem) => pem.replace(/\s+/g, "")),
    );
  });

  it("refuses a DOCTYPE, something not metadata, a missing redirect address and a missing certificate", () => {
    const good = testIdpMetadata(entityId, ssoUrl);
    const withDoctype = good.replace("<md:EntityDescriptor", '<!DOCTYPE x [<!ENTITY a "b">]><md:EntityDescriptor');
    expect(parseIdpMetadata(withDoctype)).toMatchObject({ ok: false, reason: "sso.saml.metadataInvalid" });
    expect(parseIdpMetadata("<html><body>Log ind</body></html>")).toMatchObject({
      ok: false,
      reason: "sso.saml.metadataInvalid",
    });
    const postOnly = good.replace("bindings:HTTP-Redirect", "bindings:HTTP-POST");
    expect(parseIdpMetadata(postOnly)).toMatchObject({ ok: false, reason: "sso.saml.metadataNoSso" });
    expect(parseIdpMetadata(testIdpMetadata(entityId, ssoUrl, []))).toMatchObject({
      ok: false,
      reason: "sso.saml.metadataNoCertificate",
    });
    expect(parseIdpMetadata(`${good}<!--${"x".repeat(maxMetadataBytes)}-->`)).toMatchObject({
      ok: false,
      reason: "sso.saml.metadataTooLarge",
    });
  });
});

describe("KOMBIT's privilege list", () => {
  const list = (xml: string) => Buffer.from(xml).toString("base64");
  const privileges =
    `<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">` +
    `<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29181004"><Privilege>urn:leder</Privilege><Privilege>urn:admin</Privilege></PrivilegeGroup>` +
    `<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:37461008"><Privilege>urn:fremmed</Privilege></PrivilegeGroup>` +
    `</bpp:PrivilegeList>`;

  it("gives only the privileges scoped to the municipality's own CVR", () => {
    expect(privilegesForCvr(list(privileges), "29181004")).toEqual(["urn:leder", "urn:admin"]);
    expect(privilegesForCvr(list(privileges), "37461008")).toEqual(["urn:fremmed"]);
    expect(privilegesForCvr(list(privileges), "12345678")).toEqual([]);
  });

  it("leaves an ordinary group name, and a list with a DOCTYPE, to be read as group names", () => {
    expect(privilegesForCvr("sundhedsledere", "29181004")).toBeNull();
    expect(privilegesForCvr(list(`<!DOCTYPE x>${privileges}`), "29181004")).toBeNull();
  });
});

describe("node-saml's faults as Danish reasons", () => {
  it.each([
    [new Error("Invalid signature"), false, "sso.signIn.samlUnsigned"],
    [new Error("Invalid signature"), true, "sso.signIn.samlInvalid"],
    [new Error("SAML assertion expired: clocks skewed too much"), true, "sso.signIn.samlExpired"],
    [new Error("SAML assertion not yet valid"), true, "sso.signIn.samlExpired"],
    [new Error("SAML assertion audience mismatch. Expected: a Received: b"), true, "sso.signIn.samlAudience"],
    [new Error("InResponseTo is not valid"), true, "sso.signIn.flowInvalid"],
    [new SamlStatusError("Responder", "<samlp:Status/>"), true, "sso.signIn.providerRefused"],
    [new Error("Unknown SAML response message"), true, "sso.signIn.samlInvalid"],
  ] as const)("%s (signed: %s) is %s", (error, signed, reason) => {
    expect(samlFailure(error, signed)).toBe(reason);
  });
});
