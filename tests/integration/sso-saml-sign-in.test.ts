import { and, eq } from "drizzle-orm";
import {
  externalIdentities,
  identityProviders,
  memberships,
  organisationUnits,
  samlAssertionIds,
  seats,
  sessions,
  ssoErrors,
  ssoFlows,
  users,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import * as acs from "~/routes/sso.$slug.saml.acs";
import * as metadata from "~/routes/sso.$slug.saml.metadata";
import * as start from "~/routes/sso.$slug.start";
import * as finished from "~/routes/sso.faerdig";
import { defaultSamlClaimMap } from "~/sso/forms";
import { saveSamlConnection } from "~/sso/saml-connections.server";
import { samlAcsUrl, samlEntityId } from "~/sso/saml.server";
import { startTestSamlIdp, type BuildResponseOptions, type TestSamlIdp } from "../fakes/saml-idp";
import { readAuthnRequest, testSpCertificate, testSpKey } from "../utils/saml-login";
import { formRequest, request, routeArgs, settle, userIdByEmail } from "../utils/requests";

const slug = "demo-kommune";

/** KOMBIT's privilege list as Context Handler sends it: base64 XML with a group per CVR scope. */
function privilegeList(groups: Record<string, string[]>) {
  const xml =
    `<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">` +
    Object.entries(groups)
      .map(
        ([cvr, privileges]) =>
          `<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:${cvr}">` +
          privileges.map((privilege) => `<Privilege>${privilege}</Privilege>`).join("") +
          `</PrivilegeGroup>`,
      )
      .join("") +
    `</bpp:PrivilegeList>`;
  return Buffer.from(xml).toString("base64");
}

const leaderPrivilege = "http://rettidig.dk/roles/usersystemrole/leder/1";

let idp: TestSamlIdp;
beforeAll(async () => {
  idp = await startTestSamlIdp({
    users: {
      "anna-1": { email: "anna.sko@demo-kommune.dk", name: "Anna Skov", unit: "Sundhedsplejen" },
      "nina-1": { email: "nina@nabo-kommune.dk", name: "Nina Nabo" },
      // A leader in Demo Kommune (CVR 29181004); the privilege scoped to Nabo Kommune's CVR does not count here.
      "bo-1": {
        email: "bo.leder@demo-kommune.dk",
        name: "Bo Leder",
        groups: [privilegeList({ "29181004": [leaderPrivilege] })],
      },
      "carl-1": {
        email: "carl@demo-kommune.dk",
        name: "Carl Fremmed",
        groups: [privilegeList({ "37461008": [leaderPrivilege] })],
      },
    },
  });
});
afterAll(() => idp.close());

beforeEach(async () => {
  idp.reset();
  const saved = await saveSamlConnection({ id: userIdByEmail(demoEmails.admin) }, 1, {
    metadataUrl: idp.metadataUrl,
    spCertificate: testSpCertificate,
    spPrivateKey: testSpKey,
    claimMap: defaultSamlClaimMap,
    leaderGroups: [leaderPrivilege],
    adminGroups: [],
    seatPolicy: "auto",
    enabled: true,
    passwordSignInDisabled: false,
  });
  expect(saved).toEqual({ outcome: "saved" });
});

async function startFlow() {
  const response = await settle(() => start.loader(routeArgs(request(`/sso/${slug}/start`), { slug })));
  expect(response.status).toBe(302);
  const location = response.headers.get("Location") ?? "";
  expect(location.startsWith(`${idp.ssoUrl}?`)).toBe(true);
  const authnRequest = readAuthnRequest(location);
  expect(authnRequest).toMatchObject({ acsUrl: samlAcsUrl(slug), issuer: samlEntityId(slug), signed: true });
  return { cookie: (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "", requestId: authnRequest.requestId };
}

const answerFor = (requestId: string, login: string, options: Partial<BuildResponseOptions> = {}) =>
  idp.buildResponse({ requestId, acsUrl: samlAcsUrl(slug), audience: samlEntityId(slug), login, ...options });

const postAnswer = (samlResponse: string, forSlug = slug) =>
  settle(() =>
    acs.action(routeArgs(formRequest(`/sso/${forSlug}/saml/acs`, { SAMLResponse: samlResponse }), { slug: forSlug })),
  );

const finish = (location: string, cookie: string) =>
  settle(() => finished.loader(routeArgs(request(location, { cookie }))));

async function signIn(login: string, options: Partial<BuildResponseOptions> = {}) {
  const flow = await startFlow();
  const accepted = await postAnswer(await answerFor(flow.requestId, login, options));
  expect(accepted.status).toBe(303);
  const location = accepted.headers.get("Location") ?? "";
  expect(location).toBe(`/sso/faerdig?f=${flow.requestId}`);
  return { response: await finish(location, flow.cookie), flow, location };
}

const userByEmail = (email: string) => db.select().from(users).where(eq(users.email, email)).get();
const messageOf = async (response: Response) => ((await response.json()) as { message: string }).message;
const membershipOf = (userId: number) =>
  db
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, 1)))
    .get();

describe("signing in with the municipality's SAML provider", () => {
  it("creates a new person with unit, seat and session from an RSA-SHA256 signed assertion", async () => {
    const { response } = await signIn("anna-1");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/kurser");
    const user = userByEmail("anna.sko@demo-kommune.dk");
    expect(user?.name).toBe("Anna Skov");
    const membership = membershipOf(user!.id);
    const unit = db.select().from(organisationUnits).where(eq(organisationUnits.id, membership!.unitId!)).get();
    expect(unit?.name).toBe("Sundhedsplejen");
    expect(db.select().from(seats).where(eq(seats.userId, user!.id)).all()).toHaveLength(1);
    expect(db.select().from(sessions).where(eq(sessions.userId, user!.id)).all()).toHaveLength(1);
    expect(db.select().from(externalIdentities).where(eq(externalIdentities.userId, user!.id)).get()).toMatchObject({
      issuer: idp.entityId,
      subject: "anna-1",
    });
    // The flow is spent: the same finishing address does nothing a second time.
    expect(await db.$count(ssoFlows)).toBe(0);
  });

  it("accepts an RSASSA-PSS signed assertion", async () => {
    const { response } = await signIn("anna-1", { signature: "pss" });
    expect(response.status).toBe(302);
    expect(userByEmail("anna.sko@demo-kommune.dk")).toBeDefined();
  });

  it("accepts an assertion encrypted for the municipality's certificate", async () => {
    const { response } = await signIn("anna-1", { encryptFor: testSpCertificate });
    expect(response.status).toBe(302);
    expect(userByEmail("anna.sko@demo-kommune.dk")).toBeDefined();
  });

  const refusals: [string, Partial<BuildResponseOptions>, string][] = [
    ["an unsigned", { signature: "none" }, "sso.signIn.samlUnsigned"],
    ["a tampered", { tamper: true }, "sso.signIn.samlInvalid"],
    ["a SHA-1 signed", { signature: "rsa-sha1" }, "sso.signIn.samlInvalid"],
    ["an expired", { expired: true }, "sso.signIn.samlExpired"],
    ["another service's", { wrongAudience: true }, "sso.signIn.samlAudience"],
    ["another issuer's", { issuer: "https://idp.example.org/other" }, "sso.signIn.samlIssuer"],
    ["a misaddressed", { recipient: "https://rettidig.example/sso/demo-kommune/saml/acs" }, "sso.signIn.samlRecipient"],
  ];
  it.each(refusals)("refuses %s answer in Danish, creates nothing and logs it", async (_name, options, reason) => {
    const usersBefore = await db.$count(users);
    const flow = await startFlow();
    const response = await postAnswer(await answerFor(flow.requestId, "anna-1", options));
    expect(response.status).toBe(400);
    expect(await messageOf(response)).toBe(reason);
    expect(await db.$count(users)).toBe(usersBefore);
    expect(await db.$count(externalIdentities)).toBe(0);
    expect(db.select({ verified: ssoFlows.verifiedPerson }).from(ssoFlows).all()).toEqual([{ verified: null }]);
    expect(db.select({ code: ssoErrors.code }).from(ssoErrors).all()).toEqual([{ code: reason }]);
    // The request is spent too: a good answer to it afterwards finds no flow.
    const late = await postAnswer(await answerFor(flow.requestId, "anna-1"));
    expect(late.status).toBe(400);
    expect(await messageOf(late)).toBe("sso.signIn.flowInvalid");
  });

  it("refuses an answer that is not SAML, or brings a DOCTYPE, without a 500", async () => {
    await startFlow();
    const doctype = `<!DOCTYPE r [<!ENTITY a "${"x".repeat(100)}">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&a;</samlp:Response>`;
    for (const answer of [
      "ikke base64 æøå",
      Buffer.from("ikke xml").toString("base64"),
      Buffer.from(doctype).toString("base64"),
    ]) {
      const response = await postAnswer(answer);
      expect(response.status, answer).toBe(400);
      expect(await messageOf(response), answer).toBe("sso.signIn.samlInvalid");
    }
    expect(await db.$count(externalIdentities)).toBe(0);
  });

  it("refuses a replayed assertion, whether the same answer again or its id in a new answer", async () => {
    const first = await signIn("anna-1");
    expect(first.response.status).toBe(302);
    const assertionId = idp.lastAssertionId() ?? "";
    expect(await db.$count(samlAssertionIds)).toBe(1);

    const flow = await startFlow();
    const replayed = await postAnswer(await answerFor(flow.requestId, "anna-1", { assertionId }));
    expect(replayed.status).toBe(400);
    expect(await messageOf(replayed)).toBe("sso.signIn.samlReplayed");
    const again = await finish(`/sso/faerdig?f=${flow.requestId}`, flow.cookie);
    expect(again.status).toBe(400);
    expect(await db.$count(sessions, eq(sessions.userId, userByEmail("anna.sko@demo-kommune.dk")!.id))).toBe(1);
  });

  it("finishes only in the browser whose cookie started the flow, and only once", async () => {
    const flow = await startFlow();
    const accepted = await postAnswer(await answerFor(flow.requestId, "anna-1"));
    expect(accepted.status).toBe(303);
    const location = accepted.headers.get("Location") ?? "";

    const noCookie = await finish(location, "");
    expect(noCookie.status).toBe(400);
    expect(await messageOf(noCookie)).toBe("sso.signIn.flowInvalid");
    const otherFlow = await startFlow();
    const foreignCookie = await finish(location, otherFlow.cookie);
    expect(foreignCookie.status).toBe(400);
    expect(userByEmail("anna.sko@demo-kommune.dk")).toBeUndefined();

    const own = await finish(location, flow.cookie);
    expect(own.status).toBe(302);
    const twice = await finish(location, flow.cookie);
    expect(twice.status).toBe(400);
  });

  it("refuses a Nabo Kommune address through Demo Kommune's provider, and Demo's answer at Nabo's address", async () => {
    const { response } = await signIn("nina-1");
    expect(response.status).toBe(400);
    expect(await messageOf(response)).toBe("sso.signIn.domainNotOurs");
    expect(userByEmail("nina@nabo-kommune.dk")).toBeUndefined();

    const flow = await startFlow();
    const atNabo = await postAnswer(await answerFor(flow.requestId, "anna-1"), "nabo-kommune");
    expect(atNabo.status).toBe(404);
    expect(userByEmail("anna.sko@demo-kommune.dk")).toBeUndefined();
  });

  it("makes a leader of KOMBIT's privilege for this CVR, and ignores one scoped to another municipality", async () => {
    const leader = await signIn("bo-1");
    expect(leader.response.status).toBe(302);
    expect(membershipOf(userByEmail("bo.leder@demo-kommune.dk")!.id)?.role).toBe("leader");
    const foreign = await signIn("carl-1");
    expect(foreign.response.status).toBe(302);
    expect(membershipOf(userByEmail("carl@demo-kommune.dk")!.id)?.role).toBe("learner");
  });

  it("starts no SAML sign-in when the connection is switched off", async () => {
    db.update(identityProviders).set({ enabled: false }).run();
    const response = await settle(() => start.loader(routeArgs(request(`/sso/${slug}/start`), { slug })));
    expect(response.status).toBe(404);
    expect(await db.$count(ssoFlows)).toBe(0);
  });
});

describe("the platform's SAML metadata", () => {
  it("names the entity id, the ACS and the municipality's certificate, and is the same every time", async () => {
    const first = await settle(() => metadata.loader(routeArgs(request(`/sso/${slug}/saml/metadata`), { slug })));
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toContain("application/samlmetadata+xml");
    const xml = await first.text();
    expect(xml).toContain(`entityID="${samlEntityId(slug)}"`);
    expect(xml).toContain(`Location="${samlAcsUrl(slug)}"`);
    const certificateBody = testSpCertificate.replace(/-----[^-]+-----|\s+/g, "");
    expect(xml.replace(/\s+/g, "")).toContain(certificateBody);
    const second = await settle(() => metadata.loader(routeArgs(request(`/sso/${slug}/saml/metadata`), { slug })));
    expect(await second.text()).toBe(xml);
  });

  it("makes a certificate of its own on the first save when the admin gives none, and never shows the key", async () => {
    db.delete(identityProviders).run();
    const saved = await saveSamlConnection({ id: userIdByEmail(demoEmails.admin) }, 1, {
      metadataUrl: idp.metadataUrl,
      claimMap: defaultSamlClaimMap,
      leaderGroups: [],
      adminGroups: [],
      seatPolicy: "auto",
      enabled: true,
      passwordSignInDisabled: false,
    });
    expect(saved).toEqual({ outcome: "saved" });
    const provider = db.select().from(identityProviders).get();
    expect(provider?.samlSpCertPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(provider?.samlSpKeyEnc).toMatch(/^v1\./);
    expect(provider?.samlSpKeyEnc).not.toContain("PRIVATE KEY");
    // And it signs in with it, an encrypted answer included.
    const { response } = await signIn("anna-1", { encryptFor: provider?.samlSpCertPem ?? "" });
    expect(response.status).toBe(302);
  });
});
