import { and, eq, isNull } from "drizzle-orm";
import { licences, memberships, organisationUnits, scimUsers, seatEvents, seats, sessions, users } from "#db/schema";
import { getSessionUser } from "~/auth/session.server";
import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import * as signInRoute from "~/routes/log-ind/route";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { demoScimToken, scim, scimJsonOf } from "../utils/scim";

type ScimUser = {
  id: string;
  userName: string;
  active: boolean;
  externalId?: string;
  displayName: string;
  emails: { value: string; type: string }[];
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department?: string };
  meta: { location: string };
};
type ListResponse = { totalResults: number; startIndex: number; itemsPerPage: number; Resources: ScimUser[] };

const userSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** The body Entra ID sends to create a user, with the attribute mappings of a default app. */
const entraCreate = (userName: string, email: string, externalId: string, extra: Record<string, unknown> = {}) => ({
  schemas: [userSchema, enterprise],
  externalId,
  userName,
  active: true,
  emails: [{ primary: true, type: "work", value: email }],
  meta: { resourceType: "User" },
  name: { formatted: "Anna Skov", familyName: "Skov", givenName: "Anna" },
  roles: [],
  ...extra,
});

let token: string;
beforeEach(() => {
  token = demoScimToken();
});

async function createAnna(extra: Record<string, unknown> = {}) {
  const response = await scim("POST", "/Users", {
    token,
    body: entraCreate("anna.skov@demo-kommune.dk", "anna.skov@demo-kommune.dk", "e-anna-1", extra),
  });
  return scimJsonOf<ScimUser>(response, 201);
}

const accountOf = (email: string) => db.select().from(users).where(eq(users.email, email)).get();
const membershipOf = (userId: number) =>
  db
    .select({ role: memberships.role, unitName: organisationUnits.name })
    .from(memberships)
    .leftJoin(organisationUnits, eq(organisationUnits.id, memberships.unitId))
    .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, 1)))
    .get();
const heldSeats = (userId: number) =>
  db
    .select({ id: seats.id })
    .from(seats)
    .innerJoin(licences, eq(licences.id, seats.licenceId))
    .where(and(eq(seats.userId, userId), isNull(seats.revokedAt), eq(licences.organisationId, 1)))
    .all();
const deprovisionedEvents = (email: string) =>
  db
    .select()
    .from(seatEvents)
    .where(and(eq(seatEvents.kind, "deprovisioned"), eq(seatEvents.subjectEmail, email)))
    .all();

describe("SCIM users as Entra ID sends them", () => {
  it("creates a person with an account and a learner's membership in the unit of their department, and no seat", async () => {
    const created = await createAnna({ [enterprise]: { department: "sundhedsplejen" } });
    expect(created.userName).toBe("anna.skov@demo-kommune.dk");
    expect(created.active).toBe(true);
    expect(created.externalId).toBe("e-anna-1");
    expect(created[enterprise].department).toBe("Sundhedsplejen");
    const account = accountOf("anna.skov@demo-kommune.dk");
    expect(account?.name).toBe("Anna Skov");
    expect(membershipOf(account!.id)).toEqual({ role: "learner", unitName: "Sundhedsplejen" });
    expect(heldSeats(account!.id)).toEqual([]);
  });

  it("answers 201 with the new person's address in Location", async () => {
    const response = await scim("POST", "/Users", {
      token,
      body: entraCreate("bo@demo-kommune.dk", "bo@demo-kommune.dk", "e-bo"),
    });
    expect(response.status).toBe(201);
    const created = await scimJsonOf<ScimUser>(response, 201);
    expect(response.headers.get("Location")).toBe(`http://localhost:3000/scim/demo-kommune/v2/Users/${created.id}`);
    expect(created.meta.location).toBe(response.headers.get("Location"));
  });

  it("refuses a second person with the same userName with 409 uniqueness, whatever its case", async () => {
    await createAnna();
    const again = await scim("POST", "/Users", {
      token,
      body: entraCreate("Anna.Skov@Demo-Kommune.dk", "anna.skov@demo-kommune.dk", "e-anna-2"),
    });
    const error = await scimJsonOf<{ status: string; scimType: string; schemas: string[] }>(again, 409);
    expect(error).toMatchObject({ status: "409", scimType: "uniqueness" });
    expect(error.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });

  it("refuses an address outside the municipality's own domains with 400 and says which domain", async () => {
    const response = await scim("POST", "/Users", {
      token,
      body: entraCreate("nina@nabo-kommune.dk", "nina@nabo-kommune.dk", "e-nina"),
    });
    const error = await scimJsonOf<{ status: string; detail: string }>(response, 400);
    expect(error.status).toBe("400");
    expect(error.detail).toContain("nabo-kommune.dk");
    expect(accountOf("nina@nabo-kommune.dk")).toBeUndefined();
  });

  it("links an existing account with the address instead of making a second one", async () => {
    const before = await db.$count(users);
    const response = await scim("POST", "/Users", {
      token,
      body: entraCreate("sofie", demoEmails.learner, "e-sofie"),
    });
    const created = await scimJsonOf<ScimUser>(response, 201);
    expect(await db.$count(users)).toBe(before);
    expect(db.select().from(scimUsers).where(eq(scimUsers.id, created.id)).get()?.userId).toBe(
      userIdByEmail(demoEmails.learner),
    );
    expect(membershipOf(userIdByEmail(demoEmails.learner))?.unitName).toBe("Skovbrynets Børnehus");
  });

  it("finds a person by userName (without regard to case) and by externalId, and an empty list for nobody", async () => {
    const anna = await createAnna();
    const byName = await scimJsonOf<ListResponse>(
      await scim(
        "GET",
        `/Users?filter=${encodeURIComponent('userName eq "ANNA.skov@demo-kommune.dk"')}&startIndex=1&count=100`,
        { token },
      ),
      200,
    );
    expect(byName).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(byName.Resources[0]?.id).toBe(anna.id);

    const byExternalId = await scimJsonOf<ListResponse>(
      await scim("GET", `/Users?filter=${encodeURIComponent('externalId eq "e-anna-1"')}`, { token }),
      200,
    );
    expect(byExternalId.Resources.map((user) => user.id)).toEqual([anna.id]);

    const nobody = await scimJsonOf<ListResponse>(
      await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "nobody@demo-kommune.dk"')}`, { token }),
      200,
    );
    expect(nobody).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
  });

  it("answers any other filter with 400 invalidFilter", async () => {
    for (const filter of [
      'displayName eq "Anna"',
      'userName co "anna"',
      'userName eq "a" or userName eq "b"',
      "userName eq anna",
    ]) {
      const response = await scim("GET", `/Users?filter=${encodeURIComponent(filter)}`, { token });
      expect(await scimJsonOf(response, 400)).toMatchObject({ status: "400", scimType: "invalidFilter" });
    }
  });

  it("pages the list with startIndex and count", async () => {
    await createAnna();
    await scimJsonOf(
      await scim("POST", "/Users", { token, body: entraCreate("bo@demo-kommune.dk", "bo@demo-kommune.dk", "e-bo") }),
      201,
    );
    const second = await scimJsonOf<ListResponse>(await scim("GET", "/Users?startIndex=2&count=1", { token }), 200);
    expect(second).toMatchObject({ totalResults: 2, startIndex: 2, itemsPerPage: 1 });
    expect(second.Resources[0]?.userName).toBe("bo@demo-kommune.dk");
  });

  it('deactivates on PATCH Replace active "False": seat back, sessions ended, seat log written, sign-in refused', async () => {
    const sofieId = userIdByEmail(demoEmails.learner);
    const cookie = await sessionCookieFor(demoEmails.learner);
    expect(await getSessionUser(request("/kurser", { cookie }))).not.toBeNull();
    expect(heldSeats(sofieId)).toHaveLength(1);
    const sofie = await scimJsonOf<ScimUser>(
      await scim("POST", "/Users", { token, body: entraCreate(demoEmails.learner, demoEmails.learner, "e-sofie") }),
      201,
    );

    const response = await scim("PATCH", `/Users/${sofie.id}`, {
      token,
      body: { schemas: [patchOp], Operations: [{ op: "Replace", path: "active", value: "False" }] },
    });
    expect((await scimJsonOf<ScimUser>(response, 200)).active).toBe(false);

    expect(heldSeats(sofieId)).toEqual([]);
    expect(deprovisionedEvents(demoEmails.learner)).toEqual([
      expect.objectContaining({ kind: "deprovisioned", actorUserId: null }),
    ]);
    expect(db.select().from(sessions).where(eq(sessions.userId, sofieId)).all()).toEqual([]);
    expect(await getSessionUser(request("/kurser", { cookie }))).toBeNull();
    expect(accountOf(demoEmails.learner)?.deactivatedAt).toBeInstanceOf(Date);

    const signIn = await settle(() =>
      signInRoute.action(routeArgs(formRequest("/log-ind", { email: demoEmails.learner, password: DEMO_PASSWORD }))),
    );
    expect(signIn.status).toBe(403);
    expect(JSON.stringify(await signIn.json())).toContain("sso.signIn.deactivated");
  });

  it("refuses a session made before deactivation even when its cookie comes back later", async () => {
    const cookie = await sessionCookieFor(demoEmails.learner);
    const sofie = await scimJsonOf<ScimUser>(
      await scim("POST", "/Users", { token, body: entraCreate(demoEmails.learner, demoEmails.learner, "e-sofie") }),
      201,
    );
    // A session row written back (a copy of the database) still carries nobody: the account is closed.
    const rows = db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userIdByEmail(demoEmails.learner)))
      .all();
    await scimJsonOf(
      await scim("PATCH", `/Users/${sofie.id}`, {
        token,
        body: { schemas: [patchOp], Operations: [{ op: "replace", value: { active: false } }] },
      }),
      200,
    );
    db.insert(sessions).values(rows).run();
    expect(await getSessionUser(request("/kurser", { cookie }))).toBeNull();
  });

  it('reactivates on active "True" without a seat', async () => {
    const sofie = await scimJsonOf<ScimUser>(
      await scim("POST", "/Users", { token, body: entraCreate(demoEmails.learner, demoEmails.learner, "e-sofie") }),
      201,
    );
    const set = (value: string) =>
      scim("PATCH", `/Users/${sofie.id}`, {
        token,
        body: { schemas: [patchOp], Operations: [{ op: "Replace", path: "active", value }] },
      });
    await scimJsonOf(await set("False"), 200);
    expect((await scimJsonOf<ScimUser>(await set("True"), 200)).active).toBe(true);
    expect(accountOf(demoEmails.learner)?.deactivatedAt).toBeNull();
    expect(heldSeats(userIdByEmail(demoEmails.learner))).toEqual([]);
  });

  it("applies a PATCH of several operations as Entra ID sends them, ignoring paths it does not keep", async () => {
    const anna = await createAnna();
    const response = await scim("PATCH", `/Users/${anna.id}`, {
      token,
      body: {
        schemas: [patchOp],
        Operations: [
          { op: "Replace", path: 'emails[type eq "work"].value', value: "anna.holm@demo-kommune.dk" },
          { op: "Replace", path: "displayName", value: "Anna Holm" },
          { op: "Add", path: `${enterprise}:department`, value: "Skovbrynets Børnehus" },
          { op: "Replace", path: "externalId", value: "e-anna-9" },
          { op: "Add", path: 'phoneNumbers[type eq "work"].value', value: "12345678" },
          { op: "Replace", path: "name.familyName", value: "Holm" },
        ],
      },
    });
    const patched = await scimJsonOf<ScimUser>(response, 200);
    expect(patched).toMatchObject({ displayName: "Anna Holm", externalId: "e-anna-9" });
    expect(patched.emails[0]?.value).toBe("anna.holm@demo-kommune.dk");
    expect(patched[enterprise].department).toBe("Skovbrynets Børnehus");
    const account = accountOf("anna.holm@demo-kommune.dk");
    expect(membershipOf(account!.id)?.unitName).toBe("Skovbrynets Børnehus");
  });

  it("keeps the whole name when a PATCH names only the family name", async () => {
    const anna = await createAnna();
    const response = await scim("PATCH", `/Users/${anna.id}`, {
      token,
      body: { schemas: [patchOp], Operations: [{ op: "Replace", path: "name.familyName", value: "Holm" }] },
    });
    expect((await scimJsonOf<ScimUser>(response, 200)).displayName).toBe("Anna Skov");
  });

  it("refuses a PATCH with an op that does not exist, changing nothing", async () => {
    const anna = await createAnna();
    const response = await scim("PATCH", `/Users/${anna.id}`, {
      token,
      body: {
        schemas: [patchOp],
        Operations: [
          { op: "Replace", path: "displayName", value: "Changed" },
          { op: "Move", path: "active", value: false },
        ],
      },
    });
    expect(await scimJsonOf(response, 400)).toMatchObject({ status: "400" });
    expect(accountOf("anna.skov@demo-kommune.dk")?.name).toBe("Anna Skov");
  });

  it("replaces the person on PUT, and deactivates when the resource says active false", async () => {
    const anna = await createAnna();
    const response = await scim("PUT", `/Users/${anna.id}`, {
      token,
      body: entraCreate("anna.skov@demo-kommune.dk", "anna.skov@demo-kommune.dk", "e-anna-put", {
        active: false,
        displayName: "Anna S. Skov",
      }),
    });
    const replaced = await scimJsonOf<ScimUser>(response, 200);
    expect(replaced).toMatchObject({ active: false, externalId: "e-anna-put", displayName: "Anna S. Skov" });
    expect(accountOf("anna.skov@demo-kommune.dk")?.deactivatedAt).toBeInstanceOf(Date);
  });

  it("deletes with 204: the seat comes back, the account stays closed, and the id is unknown after", async () => {
    const sofieId = userIdByEmail(demoEmails.learner);
    const cookie = await sessionCookieFor(demoEmails.learner);
    const sofie = await scimJsonOf<ScimUser>(
      await scim("POST", "/Users", { token, body: entraCreate(demoEmails.learner, demoEmails.learner, "e-sofie") }),
      201,
    );
    const deleted = await scim("DELETE", `/Users/${sofie.id}`, { token });
    expect(deleted.status).toBe(204);
    expect(heldSeats(sofieId)).toEqual([]);
    expect(deprovisionedEvents(demoEmails.learner)).toHaveLength(1);
    expect(await getSessionUser(request("/kurser", { cookie }))).toBeNull();
    expect(accountOf(demoEmails.learner)?.deactivatedAt).toBeInstanceOf(Date);
    expect(await scimJsonOf(await scim("GET", `/Users/${sofie.id}`, { token }), 404)).toMatchObject({ status: "404" });
  });

  it("answers 404 for a person of another municipality, as for an id nobody has", async () => {
    const naboToken = (await import("~/scim/tokens.server")).issueScimToken(
      { id: userIdByEmail(demoEmails.neighbourAdmin) },
      2,
    );
    if (naboToken === "forbidden") throw new Error("Nabo Kommune's admin could not make a token");
    const nina = await scimJsonOf<ScimUser>(
      await scim("POST", "/Users", {
        token: naboToken,
        slug: "nabo-kommune",
        body: entraCreate("nina@nabo-kommune.dk", "nina@nabo-kommune.dk", "e-nina"),
      }),
      201,
    );
    for (const method of ["GET", "PATCH", "PUT", "DELETE"]) {
      const body =
        method === "PATCH"
          ? { schemas: [patchOp], Operations: [{ op: "Replace", path: "active", value: false }] }
          : method === "PUT"
            ? entraCreate("x@demo-kommune.dk", "x@demo-kommune.dk", "x")
            : undefined;
      const response = await scim(method, `/Users/${nina.id}`, { token, body });
      expect(await scimJsonOf(response, 404)).toMatchObject({ status: "404" });
    }
    expect(accountOf("nina@nabo-kommune.dk")?.deactivatedAt).toBeNull();
  });
});
