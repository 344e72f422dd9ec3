import { and, eq } from "drizzle-orm";
import {
  externalIdentities,
  identityProviders,
  licences,
  memberships,
  organisationUnits,
  seats,
  sessions,
  ssoErrors,
  ssoFlows,
  users,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import * as callback from "~/routes/sso.$slug.oidc.callback";
import * as start from "~/routes/sso.$slug.start";
import { oidcRedirectUri, saveOidcConnection } from "~/sso/connections.server";
import { startTestOidcProvider, type TestOidcProvider } from "../fakes/oidc-provider";
import { signInAtTestProvider } from "../utils/oidc-login";
import { request, routeArgs, settle, userIdByEmail } from "../utils/requests";

const slug = "demo-kommune";
const redirectUri = oidcRedirectUri(slug);

let provider: TestOidcProvider;
beforeAll(async () => {
  provider = await startTestOidcProvider({
    redirectUris: [redirectUri],
    accounts: {
      "anna-1": { email: "anna.sko@demo-kommune.dk", name: "Anna Skov", unit: "Sundhedsplejen" },
      "leder-1": { email: "bo.leder@demo-kommune.dk", name: "Bo Leder", groups: ["ledere"] },
      "nabo-1": { email: "nina@nabo-kommune.dk", name: "Nina Nabo" },
      "uden-mail": { name: "Ingen Adresse" },
      "sofie-1": { email: demoEmails.learner, name: "Sofie N. Nørgaard" },
    },
  });
});
afterAll(() => provider.close());
function connect(leaderGroups = ["ledere"]) {
  const saved = saveOidcConnection({ id: userIdByEmail(demoEmails.admin) }, 1, {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    claimMap: { email: "email", name: "name", unit: "unit", profession: "profession", groups: "groups" },
    leaderGroups,
    adminGroups: [],
    seatPolicy: "auto",
    enabled: true,
  });
  expect(saved).toBe("saved");
}
beforeEach(() => {
  provider.reset();
  connect();
});

/** Opens the start link and returns the flow cookie and the provider's address. */
async function startFlow(forSlug = slug) {
  const response = await settle(() => start.loader(routeArgs(request(`/sso/${forSlug}/start`), { slug: forSlug })));
  expect(response.status).toBe(302);
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  expect(setCookie).toMatch(/HttpOnly; SameSite=Lax/);
  expect(setCookie).toContain("Path=/sso");
  return { cookie: setCookie.split(";")[0] ?? "", location: response.headers.get("Location") ?? "" };
}

async function callBack(url: URL, cookie: string) {
  const path = `${url.pathname}${url.search}`;
  return settle(() => callback.loader(routeArgs(request(path, { cookie }), { slug })));
}

async function signIn(login: string) {
  const flow = await startFlow();
  const back = await signInAtTestProvider(flow.location, { login, redirectUri });
  return { response: await callBack(back, flow.cookie), back, cookie: flow.cookie };
}

const userByEmail = (email: string) => db.select().from(users).where(eq(users.email, email)).get();
const membershipOf = (userId: number) =>
  db
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, 1)))
    .get();
const count = (table: typeof users | typeof externalIdentities) => db.$count(table);
/** The cookies an answer sets: the flow cookie is spent on every answer, a session starts only on success. */
const cookieNames = (response: Response) => response.headers.getSetCookie().map((cookie) => cookie.split("=")[0]);

describe("signing in with the municipality's OpenID provider", () => {
  it("creates a new person with membership, unit, seat and a session, and sends them to their courses", async () => {
    const { response } = await signIn("anna-1");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/kurser");
    expect(cookieNames(response)).toEqual(["rettidig_sso_flow", "rettidig_session"]);
    expect(response.headers.getSetCookie()[0]).toMatch(/^rettidig_sso_flow=; Path=\/sso; Max-Age=0/);

    const user = userByEmail("anna.sko@demo-kommune.dk");
    expect(user?.name).toBe("Anna Skov");
    const membership = membershipOf(user!.id);
    expect(membership?.role).toBe("learner");
    const unit = db.select().from(organisationUnits).where(eq(organisationUnits.id, membership!.unitId!)).get();
    expect(unit?.name).toBe("Sundhedsplejen");
    expect(db.select().from(seats).where(eq(seats.userId, user!.id)).all()).toHaveLength(1);
    expect(db.select().from(sessions).where(eq(sessions.userId, user!.id)).all()).toHaveLength(1);
  });

  it("finds the same person the next time and updates the name", async () => {
    await signIn("anna-1");
    const users1 = await count(users);
    provider.setAccounts({ "anna-1": { email: "anna.sko@demo-kommune.dk", name: "Anna Skov Hansen" } });
    const { response } = await signIn("anna-1");
    expect(response.status).toBe(302);
    expect(await count(users)).toBe(users1);
    expect(userByEmail("anna.sko@demo-kommune.dk")?.name).toBe("Anna Skov Hansen");
    expect(
      db
        .select()
        .from(seats)
        .where(eq(seats.userId, userByEmail("anna.sko@demo-kommune.dk")!.id))
        .all(),
    ).toHaveLength(1);
  });

  it("makes a member of a leaders' group a leader", async () => {
    const { response } = await signIn("leder-1");
    expect(response.status).toBe(302);
    expect(membershipOf(userByEmail("bo.leder@demo-kommune.dk")!.id)?.role).toBe("leader");
  });

  it("leaves the role the admin gave alone when the provider manages no roles", async () => {
    connect([]);
    provider.setAccounts({ "lars-1": { email: demoEmails.leader, name: "Lars Holm" } });
    const { response } = await signIn("lars-1");
    expect(response.status).toBe(302);
    const membership = membershipOf(userIdByEmail(demoEmails.leader));
    expect(membership?.role).toBe("leader");
    expect(membership?.unitId).not.toBeNull();
  });

  it("refuses a replayed callback and creates nothing twice", async () => {
    const { response, back, cookie } = await signIn("anna-1");
    expect(response.status).toBe(302);
    const [usersBefore, identitiesBefore] = [await count(users), await count(externalIdentities)];
    const replay = await callBack(back, cookie);
    expect(replay.status).toBe(400);
    expect(cookieNames(replay)).toEqual(["rettidig_sso_flow"]);
    expect(((await replay.json()) as { message: string }).message).toBe("sso.signIn.flowInvalid");
    expect([await count(users), await count(externalIdentities)]).toEqual([usersBefore, identitiesBefore]);
  });

  it("refuses a callback without the flow's cookie or with another state", async () => {
    const flow = await startFlow();
    const back = await signInAtTestProvider(flow.location, { login: "anna-1", redirectUri });
    const noCookie = await callBack(back, "");
    expect(noCookie.status).toBe(400);
    const forged = new URL(back);
    forged.searchParams.set("state", "forged");
    const wrongState = await callBack(forged, flow.cookie);
    expect(wrongState.status).toBe(400);
    expect(((await wrongState.json()) as { message: string }).message).toBe("sso.signIn.stateMismatch");
    expect(userByEmail("anna.sko@demo-kommune.dk")).toBeUndefined();
  });

  it("refuses an address of another municipality, and another municipality's start without its own provider", async () => {
    const { response } = await signIn("nabo-1");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe("sso.signIn.domainNotOurs");
    expect(userByEmail("nina@nabo-kommune.dk")).toBeUndefined();

    const flowsBefore = await db.$count(ssoFlows);
    const nabo = await settle(() =>
      start.loader(routeArgs(request("/sso/nabo-kommune/start"), { slug: "nabo-kommune" })),
    );
    expect(nabo.status).toBe(404);
    expect(await db.$count(ssoFlows)).toBe(flowsBefore);
  });

  it("refuses a person without an e-mail address", async () => {
    const { response } = await signIn("uden-mail");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe("sso.signIn.missingEmail");
    // It is the provider's set-up that lacks the claim, so the admin sees it in the connection's error log.
    expect(db.select({ code: ssoErrors.code }).from(ssoErrors).all()).toEqual([{ code: "sso.signIn.missingEmail" }]);
  });

  it("links an existing password account with the same address once", async () => {
    const existingId = userIdByEmail(demoEmails.learner);
    const usersBefore = await count(users);
    const { response } = await signIn("sofie-1");
    expect(response.status).toBe(302);
    expect(await count(users)).toBe(usersBefore);
    const links = db.select().from(externalIdentities).where(eq(externalIdentities.userId, existingId)).all();
    expect(links).toHaveLength(1);
    expect(links[0]?.subject).toBe("sofie-1");

    // Another subject with the same address is someone else, and is not let in.
    provider.setAccounts({ "sofie-2": { email: demoEmails.learner, name: "Ikke Sofie" } });
    const second = await signIn("sofie-2");
    expect(second.response.status).toBe(400);
    expect(((await second.response.json()) as { message: string }).message).toBe("sso.signIn.alreadyLinked");
  });

  it("signs a person in without a seat when the licence is full, and says so", async () => {
    db.update(licences).set({ seatCount: 1 }).where(eq(licences.organisationId, 1)).run();
    const { response } = await signIn("anna-1");
    expect(response.status).toBe(200);
    expect(cookieNames(response)).toContain("rettidig_session");
    expect(((await response.json()) as { message: string }).message).toBe("sso.signIn.seatFull");
    const user = userByEmail("anna.sko@demo-kommune.dk");
    expect(db.select().from(seats).where(eq(seats.userId, user!.id)).all()).toHaveLength(0);
  });

  it("shows a Danish 404 when the provider is switched off", async () => {
    db.update(identityProviders).set({ enabled: false }).run();
    const response = await settle(() => start.loader(routeArgs(request(`/sso/${slug}/start`), { slug })));
    expect(response.status).toBe(404);
  });
});
