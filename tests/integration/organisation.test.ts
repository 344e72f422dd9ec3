import { eq } from "drizzle-orm";
import { eanLocations, memberships, organisations, organisationUnits } from "#db/schema";
import { db } from "~/db.server";
import * as page from "~/routes/administration.kommune";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const details = { intent: "details", organisationId: "1", cvr: "29181004", streetName: "Torvet", buildingNumber: "3", postalCode: "7100", city: "Vejle", invoiceEmail: "bogholderi@demo-kommune.dk" };

async function post(fields: Record<string, string>, as = "admin@demo-kommune.dk") {
  const cookie = await sessionCookieFor(as);
  return settle(() => page.action(routeArgs(formRequest("/administration/kommune", fields, cookie))));
}

describe("the municipality's details page", () => {
  it("is for the municipality's own admins", async () => {
    expect((await settle(() => page.loader(routeArgs(request("/administration/kommune"))))).status).toBe(302);
    for (const email of ["medarbejder@demo-kommune.dk", "leder@demo-kommune.dk", "ejer@rettidig.dk"]) {
      expect((await settle(async () => page.loader(routeArgs(request("/administration/kommune", { cookie: await sessionCookieFor(email) }))))).status, email).toBe(403);
    }
    const nabo = await sessionCookieFor("admin@nabo-kommune.dk");
    expect((await settle(() => page.loader(routeArgs(request("/administration/kommune?organisation=1", { cookie: nabo }))))).status).toBe(404);
    expect((await post(details, "admin@nabo-kommune.dk")).status).toBe(404);
    for (const intent of ["constructor", "toString", "__proto__", "slet-alt"]) expect((await post({ intent, organisationId: "1" })).status, intent).toBe(400);
    expect(db.select().from(organisations).where(eq(organisations.id, 1)).get()?.streetName).toBe("Rådhustorvet");
  });

  it("saves the address and invoice e-mail, and refuses a bad or taken CVR", async () => {
    expect((await post(details)).status).toBe(200);
    expect(db.select().from(organisations).where(eq(organisations.id, 1)).get()).toMatchObject({ streetName: "Torvet", invoiceEmail: "bogholderi@demo-kommune.dk" });
    expect((await post({ ...details, cvr: "29181005" })).status).toBe(400);
    expect((await post({ ...details, postalCode: "71" })).status).toBe(400);
    expect((await post({ ...details, cvr: "37461008" })).status).toBe(409);
    expect(db.select().from(organisations).where(eq(organisations.id, 1)).get()?.cvr).toBe("29181004");
  });

  it("adds and removes EAN numbers, but keeps at least one and never another municipality's", async () => {
    expect((await post({ intent: "addEan", organisationId: "1", ean: "5798000123457", label: "Skoler" })).status).toBe(400);
    expect((await post({ intent: "addEan", organisationId: "1", ean: "5798000543218", label: "Skoler" })).status).toBe(409);
    expect((await post({ intent: "addEan", organisationId: "1", ean: "5790000000005", label: "Skoler" })).status).toBe(200);
    const eans = () => db.select().from(eanLocations).where(eq(eanLocations.organisationId, 1)).all().map((row) => row.ean).sort();
    expect(eans()).toEqual(["5790000000005", "5798000123458"]);
    expect((await post({ intent: "removeEan", organisationId: "1", ean: "5790000000005" })).status).toBe(200);
    expect((await post({ intent: "removeEan", organisationId: "1", ean: "5798000123458" })).status).toBe(409);
    expect(eans()).toEqual(["5798000123458"]);
  });

  it("adds units and places people in them, only within the municipality", async () => {
    expect((await post({ intent: "addUnit", organisationId: "1", name: "Tandplejen", kind: "afdeling" })).status).toBe(200);
    expect((await post({ intent: "addUnit", organisationId: "1", name: "Tandplejen", kind: "afdeling" })).status).toBe(409);
    expect((await post({ intent: "addUnit", organisationId: "1", name: "Tandplejen", kind: "kontor" })).status).toBe(400);
    const unit = db.select().from(organisationUnits).where(eq(organisationUnits.name, "Tandplejen")).get()!;
    const learner = String(userIdByEmail("medarbejder@demo-kommune.dk"));
    expect((await post({ intent: "setUnit", organisationId: "1", userId: learner, unitId: String(unit.id) })).status).toBe(200);
    const membership = () => db.select().from(memberships).where(eq(memberships.userId, Number(learner))).get();
    expect(membership()?.unitId).toBe(unit.id);

    const naboUnit = db.select().from(organisationUnits).where(eq(organisationUnits.organisationId, 2)).get()!;
    expect((await post({ intent: "setUnit", organisationId: "1", userId: learner, unitId: String(naboUnit.id) })).status).toBe(404);
    const naboPerson = String(userIdByEmail("medarbejder@nabo-kommune.dk"));
    expect((await post({ intent: "setUnit", organisationId: "1", userId: naboPerson, unitId: String(unit.id) })).status).toBe(404);

    expect((await post({ intent: "removeUnit", organisationId: "1", unitId: String(unit.id) })).status).toBe(200);
    expect(membership()?.unitId).toBeNull();
    expect((await post({ intent: "removeUnit", organisationId: "1", unitId: String(naboUnit.id) })).status).toBe(404);
  });
});
