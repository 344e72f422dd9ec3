import { and, eq } from "drizzle-orm";
import {
  externalIdentities,
  identityProviders,
  licences,
  memberships,
  organisationUnits,
  licenceNotices,
  outboxEmails,
  seatEvents,
  seatRequests,
  seats,
  sessions,
  ssoErrors,
  ssoFlows,
  users,
} from "#db/schema";
import { db } from "~/db.server";
import * as signInPage from "~/routes/log-ind/route";
import * as signOut from "~/routes/log-ud";
import * as seatRequestsPage from "~/routes/administration.pladsanmodninger";
import * as callback from "~/routes/sso.$slug.oidc.callback";
import * as start from "~/routes/sso.$slug.start";
import { oidcRedirectUri, saveOidcConnection } from "~/sso/connections.server";
import { startTestOidcProvider, type TestOidcProvider } from "../fakes/oidc-provider";
import { signInAtTestProvider } from "../utils/oidc-login";
import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import { formRequest, jsonOf, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

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
function connect(leaderGroups = ["ledere"], to: TestOidcProvider = provider) {
  const saved = saveOidcConnection({ id: userIdByEmail(demoEmails.admin) }, 1, {
    issuer: to.issuer,
    clientId: to.clientId,
    clientSecret: to.clientSecret,
    claimMap: { email: "email", name: "name", unit: "unit", profession: "profession", groups: "groups" },
    leaderGroups,
    adminGroups: [],
    seatPolicy: "auto",
    enabled: true,
    passwordSignInDisabled: false,
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

  it("refuses an ID token made for another attempt (a nonce that is not the flow's)", async () => {
    const flow = await startFlow();
    db.update(ssoFlows).set({ nonce: "not-the-nonce-the-provider-was-given" }).run();
    const back = await signInAtTestProvider(flow.location, { login: "anna-1", redirectUri });
    const response = await callBack(back, flow.cookie);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe("sso.signIn.stateMismatch");
    expect(userByEmail("anna.sko@demo-kommune.dk")).toBeUndefined();
  });

  it("refuses a code the provider already gave out, sent again with a fresh attempt", async () => {
    const first = await signIn("anna-1");
    expect(first.response.status).toBe(302);
    const fresh = await startFlow();
    const state = new URL(fresh.location).searchParams.get("state")!;
    const replayed = new URL(first.back);
    replayed.searchParams.set("state", state);
    const response = await callBack(replayed, fresh.cookie);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe("sso.signIn.providerRefused");
    expect(db.select({ code: ssoErrors.code }).from(ssoErrors).all()).toEqual([{ code: "sso.signIn.providerRefused" }]);
  });

  it("says the provider cannot be reached when it goes down mid-sign-in, and creates nothing", async () => {
    const fleeting = await startTestOidcProvider({
      redirectUris: [redirectUri],
      accounts: { "anna-1": { email: "anna.sko@demo-kommune.dk", name: "Anna Skov" } },
    });
    connect(["ledere"], fleeting);
    const flow = await startFlow();
    const back = await signInAtTestProvider(flow.location, { login: "anna-1", redirectUri });
    await fleeting.close();
    const response = await callBack(back, flow.cookie);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe("sso.signIn.unreachable");
    expect(userByEmail("anna.sko@demo-kommune.dk")).toBeUndefined();
    expect(db.select({ code: ssoErrors.code }).from(ssoErrors).all()).toEqual([{ code: "sso.signIn.unreachable" }]);
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

  it("reads e-mail, name and unit from the userinfo endpoint when the ID token leaves them out", async () => {
    const strict = await startTestOidcProvider({
      redirectUris: [redirectUri],
      accounts: { "anna-1": { email: "anna.sko@demo-kommune.dk", name: "Anna Skov", unit: "Sundhedsplejen" } },
      claimsInIdToken: false,
    });
    try {
      connect(["ledere"], strict);
      const { response } = await signIn("anna-1");
      expect(response.status).toBe(302);
      const user = userByEmail("anna.sko@demo-kommune.dk");
      expect(user?.name).toBe("Anna Skov");
      const unit = db
        .select()
        .from(organisationUnits)
        .where(eq(organisationUnits.id, membershipOf(user!.id)!.unitId!))
        .get();
      expect(unit?.name).toBe("Sundhedsplejen");
    } finally {
      await strict.close();
    }
  });

  it("shows a Danish 404 when the provider is switched off", async () => {
    db.update(identityProviders).set({ enabled: false }).run();
    const response = await settle(() => start.loader(routeArgs(request(`/sso/${slug}/start`), { slug })));
    expect(response.status).toBe(404);
  });
});

/** The session cookie a successful sign-in set, as the browser sends it back. */
const sessionFrom = (response: Response) =>
  response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith("rettidig_session="))
    ?.split(";")[0] ?? "";

type EmailStepReply = { municipalLogin: { startPath: string; organisationName: string } | null };

describe("the sign-in page asks for the address first", () => {
  const emailStep = (email: string) =>
    settle(() => signInPage.action(routeArgs(formRequest("/log-ind", { intent: "email", email }))));
  const withPassword = (email: string, password = DEMO_PASSWORD) =>
    settle(() => signInPage.action(routeArgs(formRequest("/log-ind", { email, password }))));

  it("sends an address in a municipality with its own login on to that login, and any other to the password", async () => {
    const demo = await jsonOf<EmailStepReply>(await emailStep("ny.person@demo-kommune.dk"));
    expect(demo.municipalLogin).toMatchObject({
      startPath: "/sso/demo-kommune/start",
      organisationName: "Demo Kommune",
    });
    // Nabo Kommune has no login of its own: Demo Kommune's provider is never offered for its addresses.
    expect((await jsonOf<EmailStepReply>(await emailStep("nina@nabo-kommune.dk"))).municipalLogin).toBeNull();
    expect((await jsonOf<EmailStepReply>(await emailStep("someone@example.com"))).municipalLogin).toBeNull();

    db.update(identityProviders).set({ enabled: false }).run();
    expect((await jsonOf<EmailStepReply>(await emailStep("ny.person@demo-kommune.dk"))).municipalLogin).toBeNull();
  });

  it("refuses an address that is not an address, in place", async () => {
    const response = await emailStep("ikke-en-adresse");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { result: { error: Record<string, string[]> } }).result.error.email).toEqual([
      "validation.email",
    ]);
  });

  it("keeps the password for the municipality's staff unless it switches passwords off", async () => {
    const allowed = await withPassword(demoEmails.learner);
    expect(allowed.status).toBe(302);

    db.update(identityProviders).set({ passwordSignInDisabled: true }).run();
    const refused = await withPassword(demoEmails.learner);
    expect(refused.status).toBe(403);
    expect(refused.headers.getSetCookie()).toEqual([]);
    const body = (await refused.json()) as { result: { error: Record<string, string[]> }; municipalLogin: unknown };
    expect(body.result.error[""]).toEqual(["signIn.passwordOff"]);
    expect(body.municipalLogin).toMatchObject({ startPath: "/sso/demo-kommune/start" });
    // Nabo Kommune's staff are not affected by Demo Kommune's choice.
    expect((await withPassword(demoEmails.neighbourAdmin)).status).toBe(302);
  });
});

describe("signing out after signing in with the municipality's login", () => {
  it("ends the provider's session too, through its end-session address with the ID token as hint", async () => {
    const { response } = await signIn("anna-1");
    expect(response.status).toBe(302);
    const cookie = sessionFrom(response);
    const userId = userByEmail("anna.sko@demo-kommune.dk")!.id;
    expect(db.select().from(sessions).where(eq(sessions.userId, userId)).all()).toHaveLength(1);

    const out = await settle(() => signOut.action(routeArgs(request("/log-ud", { method: "POST", cookie }))));
    const { providerUrl } = await jsonOf<{ providerUrl: string }>(out);
    const url = new URL(providerUrl);
    expect(url.origin).toBe(new URL(provider.issuer).origin);
    expect(url.searchParams.get("id_token_hint")).toMatch(/^ey/);
    expect(url.searchParams.get("post_logout_redirect_uri")).toMatch(/\/log-ind\?besked=signed-out$/);
    expect(out.headers.get("Set-Cookie")).toMatch(/^rettidig_session=;/);
    expect(db.select().from(sessions).where(eq(sessions.userId, userId)).all()).toHaveLength(0);
  });

  it("signs a password session out here only", async () => {
    const cookie = await sessionCookieFor(demoEmails.learner);
    const out = await settle(() => signOut.action(routeArgs(request("/log-ud", { method: "POST", cookie }))));
    expect(out.status).toBe(302);
    expect(out.headers.get("Location")).toBe("/log-ind?besked=signed-out");
  });
});

describe("seats under the municipality's approval, and a full licence", () => {
  const approvalPolicy = () => db.update(identityProviders).set({ seatPolicy: "approval" }).run();
  const decide = async (intent: "approve" | "decline", requestId: number, admin = demoEmails.admin) =>
    settle(async () =>
      seatRequestsPage.action(
        routeArgs(
          formRequest(
            "/administration/pladsanmodninger",
            { intent, requestId: String(requestId) },
            await sessionCookieFor(admin),
          ),
        ),
      ),
    );
  const mailsTo = (to: string) => db.select().from(outboxEmails).where(eq(outboxEmails.to, to)).all();

  it("puts a new person on the admin's list without a seat, and the admin's approval gives one", async () => {
    approvalPolicy();
    const { response } = await signIn("anna-1");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { message: string }).message).toBe("sso.signIn.seatRequested");
    const anna = userByEmail("anna.sko@demo-kommune.dk")!;
    expect(db.select().from(seats).where(eq(seats.userId, anna.id)).all()).toHaveLength(0);

    // Signing in again while waiting keeps one request.
    await signIn("anna-1");
    const open = db.select().from(seatRequests).where(eq(seatRequests.userId, anna.id)).all();
    expect(open).toHaveLength(1);

    const list = await jsonOf<{ requests: { id: number; name: string }[] }>(
      await settle(async () =>
        seatRequestsPage.loader(
          routeArgs(request("/administration/pladsanmodninger", { cookie: await sessionCookieFor(demoEmails.admin) })),
        ),
      ),
    );
    expect(list.requests.map((row) => row.name)).toEqual(["Anna Skov"]);

    // Nabo Kommune's admin neither sees nor answers Demo Kommune's list.
    const naboList = await jsonOf<{ requests: unknown[] }>(
      await settle(async () =>
        seatRequestsPage.loader(
          routeArgs(
            request("/administration/pladsanmodninger", { cookie: await sessionCookieFor(demoEmails.neighbourAdmin) }),
          ),
        ),
      ),
    );
    expect(naboList.requests).toEqual([]);
    expect((await decide("approve", open[0]!.id, demoEmails.neighbourAdmin)).status).toBe(404);
    expect(db.select().from(seats).where(eq(seats.userId, anna.id)).all()).toHaveLength(0);

    const approved = await decide("approve", open[0]!.id);
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as { notice: { key: string } }).notice.key).toBe("seatRequests.approved");
    expect(db.select().from(seats).where(eq(seats.userId, anna.id)).all()).toHaveLength(1);
    const event = db.select().from(seatEvents).where(eq(seatEvents.subjectEmail, anna.email)).get();
    expect(event).toMatchObject({ kind: "claimed", actorUserId: userIdByEmail(demoEmails.admin) });
    expect(mailsTo(anna.email).map((mail) => mail.subject)).toEqual(["Du har fået en plads på Rettidig"]);
    // Answered once: a second press finds nothing open.
    expect((await decide("approve", open[0]!.id)).status).toBe(404);
  });

  it("keeps the request open when the licence is full, and closes it when declined", async () => {
    approvalPolicy();
    await signIn("anna-1");
    const anna = userByEmail("anna.sko@demo-kommune.dk")!;
    const requestId = db.select().from(seatRequests).where(eq(seatRequests.userId, anna.id)).get()!.id;
    db.update(licences).set({ seatCount: 1 }).where(eq(licences.organisationId, 1)).run();

    const full = await decide("approve", requestId);
    expect(full.status).toBe(409);
    expect(((await full.json()) as { result: { error: Record<string, string[]> } }).result.error[""]).toEqual([
      "seatRequests.full",
    ]);
    expect(db.select().from(seatRequests).where(eq(seatRequests.id, requestId)).get()?.decidedAt).toBeNull();

    const declined = await decide("decline", requestId);
    expect(declined.status).toBe(200);
    expect(db.select().from(seatRequests).where(eq(seatRequests.id, requestId)).get()?.decision).toBe("declined");
    expect(db.select().from(seats).where(eq(seats.userId, anna.id)).all()).toHaveLength(0);
    expect(mailsTo(anna.email)).toHaveLength(1);
  });

  it("tells the admins once that the licence is full, however many are turned away", async () => {
    db.update(licences).set({ seatCount: 1 }).where(eq(licences.organisationId, 1)).run();
    provider.setAccounts({
      "anna-1": { email: "anna.sko@demo-kommune.dk", name: "Anna Skov" },
      "carl-1": { email: "carl@demo-kommune.dk", name: "Carl" },
    });
    for (const login of ["anna-1", "carl-1"]) {
      const { response } = await signIn(login);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { message: string }).message).toBe("sso.signIn.seatFull");
    }
    expect(db.select().from(licenceNotices).where(eq(licenceNotices.kind, "seats_full")).all()).toHaveLength(1);
    expect(mailsTo(demoEmails.admin).map((mail) => mail.subject)).toEqual(["Licensen til Rettidig er fuld"]);
  });
});
