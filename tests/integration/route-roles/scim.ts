import { all, adminsOnly, ownMunicipalityOnly, type Check } from "./checks";

const directoryPage = "/administration/brugerkatalog";
const someId = "00000000-0000-4000-8000-000000000000";

/** The SCIM routes take a bearer token only: a session cookie, whoever's, opens none of them. */
const scimRoutes: [route: string, path: string, params: Record<string, string>][] = [
  ["scim.$slug.v2.Users.ts", "/Users", {}],
  ["scim.$slug.v2.Users_.$id.ts", `/Users/${someId}`, { id: someId }],
  ["scim.$slug.v2.Groups.ts", "/Groups", {}],
  ["scim.$slug.v2.Groups_.$id.ts", `/Groups/${someId}`, { id: someId }],
  ["scim.$slug.v2.ServiceProviderConfig.ts", "/ServiceProviderConfig", {}],
];

export const scimChecks: Check[] = [
  { route: "administration.brugerkatalog/route.tsx", method: "loader", url: () => directoryPage, expected: adminsOnly },
  {
    route: "administration.brugerkatalog/route.tsx",
    method: "loader",
    url: () => `${directoryPage}?organisation=1`,
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.brugerkatalog/route.tsx",
    method: "action",
    url: () => directoryPage,
    form: () => ({ intent: "issue", organisationId: "1" }),
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.brugerkatalog/route.tsx",
    method: "action",
    url: () => directoryPage,
    form: () => ({ intent: "revoke", organisationId: "1" }),
    expected: ownMunicipalityOnly,
  },
  ...scimRoutes.flatMap(([route, path, params]): Check[] =>
    (["loader", "action"] as const).map((method) => ({
      route,
      method,
      url: () => `/scim/demo-kommune/v2${path}`,
      params: () => ({ slug: "demo-kommune", ...params }),
      ...(method === "action" && { form: () => ({ userName: "route-roles@demo-kommune.dk" }) }),
      expected: all(401),
    })),
  ),
];
