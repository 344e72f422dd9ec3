import { eq } from "drizzle-orm";
import { eanLocations, memberships, organisations, organisationUnits } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import * as page from "~/routes/administration.kommune/route";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

type Reply = { formId: string; result: { error?: Record<string, string[] | null> }; notice: { key: string } | null };
const body = async (response: Response) => (await response.json()) as Reply;

const details = {
  intent: "details",
  organisationId: "1",
  cvr: "29181004",
  streetName: "Torvet",
  buildingNumber: "3",
  postalCode: "7100",
  city: "Vejle",
  invoiceEmail: "bogholderi@demo-kommune.dk",
};

async function post(fields: Record<string, string>, as = demoEmails.admin) {
  const cookie = await sessionCookieFor(as);
  return settle(() => page.action(routeArgs(formRequest("/administration/kommune", fields, cookie))));
}

describe("the municipality's details page", () => {
  it("is for the municipality's own admins", async () => {
    expect((await settle(() => page.loader(routeArgs(request("/administration/kommune"))))).status).toBe(302);
    for (const email of [demoEmails.learner, demoEmails.leader, demoEmails.owner]) {
      expect(
        (
          await settle(async () =>
            page.loader(routeArgs(request("/administration/kommune", { cookie: await sessionCookieFor(email) }))),
          )
        ).status,
        email,
      ).toBe(403);
    }
    const nabo = await sessionCookieFor(demoEmails.neighbourAdmin);
    expect(
      (await settle(() => page.loader(routeArgs(request("/administration/kommune?organisation=1", { cookie: nabo })))))
        .status,
    ).toBe(404);
    expect((await post(details, demoEmails.neighbourAdmin)).status).toBe(404);
    for (const intent of ["constructor", "toString", "__proto__", "slet-alt"])
      expect((await post({ intent, organisationId: "1" })).status, intent).toBe(400);
    expect(db.select().from(organisations).where(eq(organisations.id, 1)).get()?.streetName).toBe("Rådhustorvet");
  });

  it("saves the address and invoice e-mail, and refuses a bad or taken CVR", async () => {
    expect((await post(details)).status).toBe(200);
    expect(db.select().from(organisations).where(eq(organisations.id, 1)).get()).toMatchObject({
      streetName: "Torvet",
      invoiceEmail: "bogholderi@demo-kommune.dk",
    });
    expect((await post({ ...details, cvr: "29181005" })).status).toBe(400);
    expect((await post({ ...details, postalCode: "71" })).status).toBe(400);
    expect((await post({ ...details, cvr: "37461008" })).status).toBe(409);
    expect(db.select().from(organisations).where(eq(organisations.id, 1)).get()?.cvr).toBe("29181004");
  });

  it("adds and removes EAN numbers, but keeps at least one and never another municipality's", async () => {
    expect((await post({ intent: "addEan", organisationId: "1", ean: "5798000123457", label: "Skoler" })).status).toBe(
      400,
    );
    expect((await post({ intent: "addEan", organisationId: "1", ean: "5798000543218", label: "Skoler" })).status).toBe(
      409,
    );
    expect((await post({ intent: "addEan", organisationId: "1", ean: "5790000000005", label: "Skoler" })).status).toBe(
      200,
    );
    const eans = () =>
      db
        .select()
        .from(eanLocations)
        .where(eq(eanLocations.organisationId, 1))
        .all()
        .map((row) => row.ean)
        .sort();
    expect(eans()).toEqual(["5790000000005", "5798000123458"]);
    expect((await post({ intent: "removeEan", organisationId: "1", ean: "5790000000005" })).status).toBe(200);
    expect((await post({ intent: "removeEan", organisationId: "1", ean: "5798000123458" })).status).toBe(409);
    expect(eans()).toEqual(["5798000123458"]);
  });

  it("adds units and places people in them, only within the municipality", async () => {
    expect((await post({ intent: "addUnit", organisationId: "1", name: "Tandplejen", kind: "afdeling" })).status).toBe(
      200,
    );
    const duplicate = await post({ intent: "addUnit", organisationId: "1", name: "Tandplejen", kind: "afdeling" });
    expect(duplicate.status).toBe(409);
    expect(await body(duplicate)).toMatchObject({ formId: "add-unit", result: { error: { name: ["org.duplicate"] } } });
    expect((await post({ intent: "addUnit", organisationId: "1", name: "Tandplejen", kind: "kontor" })).status).toBe(
      400,
    );
    const unit = db.select().from(organisationUnits).where(eq(organisationUnits.name, "Tandplejen")).get()!;
    const learner = String(userIdByEmail(demoEmails.learner));
    expect(
      (await post({ intent: "setUnit", organisationId: "1", userId: learner, unitId: String(unit.id) })).status,
    ).toBe(200);
    const membership = () =>
      db
        .select()
        .from(memberships)
        .where(eq(memberships.userId, Number(learner)))
        .get();
    expect(membership()?.unitId).toBe(unit.id);

    // Another municipality's unit or person is, seen from here, a unit or person that is not there; said in place.
    const naboUnit = db.select().from(organisationUnits).where(eq(organisationUnits.organisationId, 2)).get()!;
    const foreignUnit = await post({
      intent: "setUnit",
      organisationId: "1",
      userId: learner,
      unitId: String(naboUnit.id),
    });
    expect(foreignUnit.status).toBe(409);
    expect(await body(foreignUnit)).toMatchObject({
      formId: `member-${learner}`,
      result: { error: { "": ["org.unitGone"] } },
    });
    const naboPerson = String(userIdByEmail(demoEmails.neighbourLearner));
    const foreignPerson = await post({
      intent: "setUnit",
      organisationId: "1",
      userId: naboPerson,
      unitId: String(unit.id),
    });
    expect(foreignPerson.status).toBe(409);
    expect(await body(foreignPerson)).toMatchObject({
      formId: `member-${naboPerson}`,
      result: { error: { "": ["org.notMember"] } },
    });
    expect(membership()?.unitId).toBe(unit.id);
    expect(db.select().from(organisationUnits).where(eq(organisationUnits.id, naboUnit.id)).get()).toBeDefined();

    expect((await post({ intent: "removeUnit", organisationId: "1", unitId: String(unit.id) })).status).toBe(200);
    expect(membership()?.unitId).toBeNull();
    expect((await post({ intent: "removeUnit", organisationId: "1", unitId: String(naboUnit.id) })).status).toBe(409);
    expect(db.select().from(organisationUnits).where(eq(organisationUnits.id, naboUnit.id)).get()).toBeDefined();
  });

  it("says above the list of units that a unit was already removed, on the page the admin was on", async () => {
    expect(
      (await post({ intent: "addUnit", organisationId: "1", name: "Vuggestuen", kind: "institution" })).status,
    ).toBe(200);
    const unit = db.select().from(organisationUnits).where(eq(organisationUnits.name, "Vuggestuen")).get()!;
    const fields = { intent: "removeUnit", organisationId: "1", unitId: String(unit.id) };
    expect((await post(fields)).status).toBe(200);

    const cookie = await sessionCookieFor(demoEmails.admin);
    const { html } = await renderRoute(
      page,
      "/administration/kommune",
      formRequest("/administration/kommune", fields, cookie),
    );
    const units = html.slice(html.indexOf('id="units-heading"'));
    expect(units).toContain(escapeHtml("Enheden findes ikke længere"));
    expect(html.slice(0, html.indexOf('id="units-heading"'))).not.toContain(escapeHtml("Enheden findes ikke længere"));
  });

  it("refuses invisible control characters in a name beside the field, saving nothing", async () => {
    const before = db.select().from(organisationUnits).all().length;
    for (const name of ["Skole\u000Bvej", "Skole\u0000", "To\nlinjer"]) {
      const refused = await post({ intent: "addUnit", organisationId: "1", name, kind: "institution" });
      expect(refused.status, JSON.stringify(name)).toBe(400);
      expect(await body(refused)).toMatchObject({
        formId: "add-unit",
        result: { error: { name: ["validation.controlCharacter"] } },
      });
    }
    const label = await post({ intent: "addEan", organisationId: "1", ean: "5790000000005", label: "Skole\u000Bvej" });
    expect(label.status).toBe(400);
    expect((await body(label)).result.error?.label).toEqual(["validation.controlCharacter"]);
    const street = await post({ ...details, streetName: "Tor\u000Bvet" });
    expect(street.status).toBe(400);
    expect((await body(street)).result.error?.streetName).toEqual(["validation.controlCharacter"]);
    expect(db.select().from(organisationUnits).all()).toHaveLength(before);
    expect(db.select().from(organisations).where(eq(organisations.id, 1)).get()?.streetName).not.toContain("\u000B");
  });
});
