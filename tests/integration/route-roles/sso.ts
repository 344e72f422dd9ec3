import { adminsOnly, all, ownMunicipalityOnly, type Check } from "./checks";

const connectionPage = "/administration/kommunelogin";

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
];
