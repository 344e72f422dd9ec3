import { and, eq } from "drizzle-orm";
import { memberships, organisationUnits, scimTokens } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import * as page from "~/routes/administration.brugerkatalog/route";
import { formRequest, jsonOf, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { scim, scimJsonOf } from "../utils/scim";

const path = "/administration/brugerkatalog";
type Page = {
  baseUrl: string;
  token: { lastUsedAt: string | null } | null;
  groups: { id: string; displayName: string; unitId: number | null; members: number }[];
  provisioned: number;
  deactivated: number;
};

async function post(fields: Record<string, string>, cookie: string) {
  return settle(() => page.action(routeArgs(formRequest(path, fields, cookie))));
}
const load = async (cookie: string) =>
  jsonOf<Page>(await settle(() => page.loader(routeArgs(request(path, { cookie })))));

describe("the admin's directory page", () => {
  it("shows a new token once, which then works, and tells when it was last used", async () => {
    const cookie = await sessionCookieFor(demoEmails.admin);
    const before = await load(cookie);
    expect(before.baseUrl).toBe("http://localhost:3000/scim/demo-kommune/v2");
    expect(before.token).toBeNull();

    const issued = await jsonOf<{ token: string }>(await post({ intent: "issue", organisationId: "1" }, cookie));
    expect(db.select().from(scimTokens).get()?.tokenHash).not.toBe(issued.token);
    expect((await scim("GET", "/Users", { token: issued.token })).status).toBe(200);
    const after = await load(cookie);
    expect(after.token?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(after)).not.toContain(issued.token);

    const revoked = await post({ intent: "revoke", organisationId: "1" }, cookie);
    expect(revoked.status).toBe(200);
    expect((await scim("GET", "/Users", { token: issued.token })).status).toBe(401);
  });

  it("ties a group to a unit and places its members there; another municipality's unit is refused", async () => {
    const cookie = await sessionCookieFor(demoEmails.admin);
    const { token } = await jsonOf<{ token: string }>(await post({ intent: "issue", organisationId: "1" }, cookie));
    const anna = await scimJsonOf<{ id: string }>(
      await scim("POST", "/Users", {
        token,
        body: { userName: "anna@demo-kommune.dk", emails: [{ type: "work", value: "anna@demo-kommune.dk" }] },
      }),
      201,
    );
    const group = await scimJsonOf<{ id: string }>(
      await scim("POST", "/Groups", { token, body: { displayName: "Sundhed", members: [{ value: anna.id }] } }),
      201,
    );
    const unitId = (name: string, organisationId: number) =>
      db
        .select({ id: organisationUnits.id })
        .from(organisationUnits)
        .where(and(eq(organisationUnits.name, name), eq(organisationUnits.organisationId, organisationId)))
        .get()!.id;
    const health = unitId("Sundhedsplejen", 1);

    const saved = await post(
      { intent: "groupUnit", organisationId: "1", groupId: group.id, unitId: String(health) },
      cookie,
    );
    expect(saved.status).toBe(200);
    const annaUnit = db
      .select({ unitId: memberships.unitId })
      .from(memberships)
      .where(and(eq(memberships.userId, userIdByEmail("anna@demo-kommune.dk")), eq(memberships.organisationId, 1)))
      .get();
    expect(annaUnit?.unitId).toBe(health);
    expect((await load(cookie)).groups).toEqual([
      expect.objectContaining({ displayName: "Sundhed", unitId: health, members: 1 }),
    ]);

    const [naboUnit] = db.select().from(organisationUnits).where(eq(organisationUnits.organisationId, 2)).all();
    const foreign = await post(
      { intent: "groupUnit", organisationId: "1", groupId: group.id, unitId: String(naboUnit!.id) },
      cookie,
    );
    expect(foreign.status).toBe(409);
    expect((await load(cookie)).groups[0]?.unitId).toBe(health);
  });

  it("refuses Nabo Kommune's admin Demo Kommune's token", async () => {
    const cookie = await sessionCookieFor(demoEmails.neighbourAdmin);
    const response = await post({ intent: "issue", organisationId: "1" }, cookie);
    expect(response.status).toBe(404);
    expect(db.select().from(scimTokens).all()).toEqual([]);
  });
});
