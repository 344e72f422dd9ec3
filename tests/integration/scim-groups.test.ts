import { and, eq } from "drizzle-orm";
import { memberships, organisationUnits, scimGroupMembers, scimGroups } from "#db/schema";
import { db } from "~/db.server";
import { userIdByEmail } from "../utils/requests";
import { demoScimToken, scim, scimJsonOf } from "../utils/scim";

const patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
type ScimGroup = { id: string; displayName: string; externalId?: string; members: { value: string }[] };

let token: string;
beforeEach(() => {
  token = demoScimToken();
});

async function createUser(email: string) {
  const response = await scim("POST", "/Users", {
    token,
    body: {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: email,
      active: true,
      emails: [{ primary: true, type: "work", value: email }],
      externalId: `e-${email}`,
    },
  });
  return (await scimJsonOf<{ id: string }>(response, 201)).id;
}

/** The body Entra ID sends to create a group. */
async function createGroup(displayName: string) {
  const response = await scim("POST", "/Groups", {
    token,
    body: {
      schemas: [
        "urn:ietf:params:scim:schemas:core:2.0:Group",
        "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group",
      ],
      externalId: `g-${displayName}`,
      displayName,
      meta: { resourceType: "Group" },
    },
  });
  return scimJsonOf<ScimGroup>(response, 201);
}

const members = (groupId: string) =>
  db
    .select({ id: scimGroupMembers.scimUserId })
    .from(scimGroupMembers)
    .where(eq(scimGroupMembers.groupId, groupId))
    .all()
    .map((row) => row.id);

describe("SCIM groups as Entra ID sends them", () => {
  it("creates a group with 201 and Location, finds it by displayName, and refuses a second of that name", async () => {
    const group = await createGroup("Sundhedsplejen alle");
    expect(group).toMatchObject({
      displayName: "Sundhedsplejen alle",
      externalId: "g-Sundhedsplejen alle",
      members: [],
    });
    const found = await scimJsonOf<{ Resources: ScimGroup[] }>(
      await scim("GET", `/Groups?filter=${encodeURIComponent('displayName eq "Sundhedsplejen alle"')}`, { token }),
      200,
    );
    expect(found.Resources.map((g) => g.id)).toEqual([group.id]);
    const again = await scim("POST", "/Groups", { token, body: { displayName: "sundhedsplejen ALLE" } });
    expect(await scimJsonOf(again, 409)).toMatchObject({ scimType: "uniqueness" });
  });

  it("adds and removes members, also one by one in the path, and renames the group", async () => {
    const group = await createGroup("Team A");
    const anna = await createUser("anna@demo-kommune.dk");
    const bo = await createUser("bo@demo-kommune.dk");

    const added = await scim("PATCH", `/Groups/${group.id}`, {
      token,
      body: {
        schemas: [patchOp],
        Operations: [
          {
            op: "Add",
            path: "members",
            value: [
              { $ref: null, value: anna },
              { $ref: null, value: bo },
            ],
          },
        ],
      },
    });
    expect((await scimJsonOf<ScimGroup>(added, 200)).members.map((m) => m.value).sort()).toEqual([anna, bo].sort());

    const removed = await scim("PATCH", `/Groups/${group.id}`, {
      token,
      body: {
        schemas: [patchOp],
        Operations: [{ op: "Remove", path: "members", value: [{ $ref: null, value: anna }] }],
      },
    });
    expect((await scimJsonOf<ScimGroup>(removed, 200)).members.map((m) => m.value)).toEqual([bo]);

    const byPath = await scim("PATCH", `/Groups/${group.id}`, {
      token,
      body: {
        schemas: [patchOp],
        Operations: [
          { op: "Remove", path: `members[value eq "${bo}"]` },
          { op: "Replace", path: "displayName", value: "Team B" },
        ],
      },
    });
    expect(await scimJsonOf<ScimGroup>(byPath, 200)).toMatchObject({ displayName: "Team B", members: [] });
    expect(members(group.id)).toEqual([]);
  });

  it("places members added to a group the admin tied to a unit in that unit", async () => {
    const group = await createGroup("Sundhedsplejersker");
    const unit = db.select().from(organisationUnits).where(eq(organisationUnits.name, "Sundhedsplejen")).get()!;
    db.update(scimGroups).set({ unitId: unit.id }).where(eq(scimGroups.id, group.id)).run();
    const anna = await createUser("anna@demo-kommune.dk");
    const response = await scim("PATCH", `/Groups/${group.id}`, {
      token,
      body: { schemas: [patchOp], Operations: [{ op: "Add", path: "members", value: [{ value: anna }] }] },
    });
    expect(response.status).toBe(200);
    const membership = db
      .select({ unitId: memberships.unitId })
      .from(memberships)
      .where(and(eq(memberships.userId, userIdByEmail("anna@demo-kommune.dk")), eq(memberships.organisationId, 1)))
      .get();
    expect(membership?.unitId).toBe(unit.id);
    expect(members(group.id)).toEqual([anna]);
  });

  it("deletes a group with 204, after which it is unknown; its people stay", async () => {
    const group = await createGroup("Midlertidig");
    const anna = await createUser("anna@demo-kommune.dk");
    await scimJsonOf(
      await scim("PATCH", `/Groups/${group.id}`, {
        token,
        body: { schemas: [patchOp], Operations: [{ op: "Add", path: "members", value: [{ value: anna }] }] },
      }),
      200,
    );
    expect((await scim("DELETE", `/Groups/${group.id}`, { token })).status).toBe(204);
    expect(await scimJsonOf(await scim("GET", `/Groups/${group.id}`, { token }), 404)).toMatchObject({ status: "404" });
    expect((await scim("GET", `/Users/${anna}`, { token })).status).toBe(200);
  });
});
