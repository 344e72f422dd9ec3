import { testIdpMetadata } from "../../fakes/saml-idp";
import { samlConnectionForm } from "../../utils/saml-login";
import { adminsOnly, all, ownMunicipalityOnly, type Check } from "./checks";

const connectionPage = "/administration/kommunelogin";
const requestsPage = "/administration/pladsanmodninger";

export const ssoChecks: Check[] = [
  { route: "administration.kommunelogin/route.tsx", method: "loader", url: () => connectionPage, expected: adminsOnly },
  {
    route: "administration.kommunelogin/route.tsx",
    method: "loader",
    url: () => `${connectionPage}?organisation=1`,
    expected: ownMunicipalityOnly,
  },
  {
    // Saving asks nothing of the provider, so an address that answers nobody does here.
    route: "administration.kommunelogin/route.tsx",
    method: "action",
    url: () => connectionPage,
    form: () => ({
      intent: "save",
      organisationId: "1",
      issuer: "https://login.example.com/demo-kommune/v2.0",
      clientId: "rettidig",
      clientSecret: "route-roles-secret",
      claimEmail: "email",
      claimName: "name",
      claimUnit: "department",
      claimProfession: "jobTitle",
      claimGroups: "groups",
      seatPolicy: "approval",
    }),
    expected: ownMunicipalityOnly,
  },
  { route: "administration.pladsanmodninger.tsx", method: "loader", url: () => requestsPage, expected: adminsOnly },
  {
    // No one waits in the seed: an admin's answer to a request that is not theirs, or not open, is a 404.
    route: "administration.pladsanmodninger.tsx",
    method: "action",
    url: () => requestsPage,
    form: () => ({ intent: "approve", requestId: "999" }),
    expected: { ...adminsOnly, admin: 404, otherAdmin: 404 },
  },
  {
    // An uploaded metadata file and the municipality's own certificate: saving asks no one anything.
    route: "administration.kommunelogin/route.tsx",
    method: "action",
    url: () => connectionPage,
    multipart: () => samlSettings(),
    expected: ownMunicipalityOnly,
  },
  // Anyone may start or finish a sign-in; with no provider switched on, or without the flow's cookie, both change nothing.
  {
    route: "sso.$slug.start.tsx",
    method: "loader",
    url: () => "/sso/demo-kommune/start",
    params: () => ({ slug: "demo-kommune" }),
    expected: all(404),
  },
  {
    route: "sso.$slug.oidc.callback.tsx",
    method: "loader",
    url: () => "/sso/demo-kommune/oidc/callback?code=forged&state=forged",
    params: () => ({ slug: "demo-kommune" }),
    expected: all(404),
  },
  // Nabo Kommune has no SAML connection, so no metadata; Demo Kommune's saved one above is not switched on,
  // so it accepts no answer; without the flow's cookie nothing finishes.
  {
    route: "sso.$slug.saml.metadata.ts",
    method: "loader",
    url: () => "/sso/nabo-kommune/saml/metadata",
    params: () => ({ slug: "nabo-kommune" }),
    expected: all(404),
  },
  {
    route: "sso.$slug.saml.acs.tsx",
    method: "action",
    url: () => "/sso/demo-kommune/saml/acs",
    params: () => ({ slug: "demo-kommune" }),
    form: () => ({ SAMLResponse: Buffer.from("<samlp:Response/>").toString("base64") }),
    expected: all(404),
  },
  {
    route: "sso.$slug.saml.acs.tsx",
    method: "loader",
    url: () => "/sso/demo-kommune/saml/acs",
    params: () => ({ slug: "demo-kommune" }),
    expected: all(405),
  },
  { route: "sso.faerdig.tsx", method: "loader", url: () => "/sso/faerdig?f=_forged", expected: all(400) },
];

function samlSettings() {
  const metadata = testIdpMetadata("https://idp.example.org/saml", "https://idp.example.org/saml/sso");
  return samlConnectionForm({ metadataFile: new File([metadata], "idp-metadata.xml", { type: "application/xml" }) });
}
