import { eq } from "drizzle-orm";
import { generate } from "selfsigned";
import { identityProviders, ssoErrors } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import * as page from "~/routes/administration.kommunelogin/route";
import { samlAcsUrl, samlEntityId } from "~/sso/saml.server";
import { startTestSamlIdp, testIdpMetadata, type TestSamlIdp } from "../fakes/saml-idp";
import { samlConnectionForm, testSpCertificate } from "../utils/saml-login";
import { formRequest, jsonOf, request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

type Reply = {
  result: { status?: string; error?: Record<string, string[] | null> };
  notice: { key: string } | null;
};

const URL_PATH = "/administration/kommunelogin";

let idp: TestSamlIdp;
beforeAll(async () => {
  idp = await startTestSamlIdp({ users: {} });
});
afterAll(() => idp.close());

function samlForm(fields: Record<string, string | File> = {}) {
  return samlConnectionForm({ metadataUrl: idp.metadataUrl, enabled: "on", ...fields });
}

async function post(body: FormData | Record<string, string>, as = demoEmails.admin) {
  const cookie = await sessionCookieFor(as);
  const req =
    body instanceof FormData
      ? request(URL_PATH, { method: "POST", body, cookie })
      : formRequest(URL_PATH, body, cookie);
  return settle(() => page.action(routeArgs(req)));
}

const demoProvider = () => db.select().from(identityProviders).where(eq(identityProviders.organisationId, 1)).get();
const test = () => post({ intent: "test", organisationId: "1" });

describe("connecting the municipality's SAML provider", () => {
  it("reads the provider's metadata from its address, shows what to hand over, and tests it", async () => {
    const saved = await post(samlForm());
    expect(saved.status).toBe(200);
    expect((await jsonOf<Reply>(saved)).notice?.key).toBe("sso.admin.saved");
    expect(demoProvider()).toMatchObject({
      protocol: "saml",
      enabled: true,
      samlMetadataUrl: idp.metadataUrl,
      samlIdpEntityId: idp.entityId,
      samlIdpSsoUrl: idp.ssoUrl,
    });

    const cookie = await sessionCookieFor(demoEmails.admin);
    const loaded = await settle(() => page.loader(routeArgs(request(URL_PATH, { cookie }))));
    expect(loaded.status).toBe(200);
    const text = await loaded.clone().text();
    expect(text).not.toContain("PRIVATE KEY");
    const data = await jsonOf<{ shown: string; saml: { entityId: string; acsUrl: string; idpEntityId: string } }>(
      loaded,
    );
    expect(data.shown).toBe("saml");
    expect(data.saml).toMatchObject({
      entityId: samlEntityId("demo-kommune"),
      acsUrl: samlAcsUrl("demo-kommune"),
      idpEntityId: idp.entityId,
    });

    const tested = await test();
    expect(tested.status).toBe(200);
    expect((await jsonOf<Reply>(tested)).notice?.key).toBe("sso.saml.testOk");
    expect(demoProvider()).toMatchObject({ lastTestOk: true });
  });

  it("takes the metadata as an uploaded file, and keeps it when the next save names none", async () => {
    const file = new File([testIdpMetadata("https://idp.example.org/saml", idp.ssoUrl)], "idp.xml", {
      type: "application/xml",
    });
    const saved = await post(samlForm({ metadataUrl: "", metadataFile: file }));
    expect(saved.status).toBe(200);
    expect(demoProvider()).toMatchObject({ samlMetadataUrl: null, samlIdpEntityId: "https://idp.example.org/saml" });
    const again = await post(samlForm({ metadataUrl: "", seatPolicy: "approval" }));
    expect(again.status).toBe(200);
    expect(demoProvider()).toMatchObject({ samlIdpEntityId: "https://idp.example.org/saml", seatPolicy: "approval" });
  });

  it("refuses metadata it cannot use beside the field, and writes nothing", async () => {
    const cases: [Record<string, string | File>, string, string][] = [
      [{ metadataUrl: "" }, "metadataUrl", "sso.saml.metadataRequired"],
      [{ metadataUrl: `${idp.ssoUrl}-not-here` }, "metadataUrl", "sso.saml.metadataUnreachable"],
      [{ metadataUrl: "http://idp.example.org/metadata" }, "metadataUrl", "sso.saml.metadataInsecure"],
      [{ metadataUrl: "idp.example.org" }, "metadataUrl", "sso.saml.metadataUrlInvalid"],
      [
        { metadataFile: new File(["<html>Log ind</html>"], "idp.xml", { type: "application/xml" }) },
        "metadataFile",
        "sso.saml.metadataInvalid",
      ],
    ];
    for (const [fields, field, reason] of cases) {
      const response = await post(samlForm(fields));
      expect(response.status, reason).toBe(400);
      expect((await jsonOf<Reply>(response, 400)).result.error?.[field], reason).toEqual([reason]);
    }
    expect(demoProvider()).toBeUndefined();
  });

  it("refuses a certificate and key that do not belong together, and never sends the key back", async () => {
    const other = await generate([{ name: "commonName", value: "Another" }], { keySize: 2048 });
    const response = await post(samlForm({ spPrivateKey: other.private }));
    expect(response.status).toBe(400);
    const reply = await jsonOf<Reply>(response, 400);
    expect(reply.result.error?.spCertificate).toEqual(["sso.saml.certificateMismatch"]);
    expect(JSON.stringify(reply)).not.toContain("PRIVATE KEY");
    expect(demoProvider()).toBeUndefined();
  });

  it("tells an expired provider certificate and a sign-on address that does not answer apart", async () => {
    expect((await post(samlForm())).status).toBe(200);
    const expired = await generate([{ name: "commonName", value: "Udløbet IdP" }], {
      keySize: 2048,
      notBeforeDate: new Date("2020-01-01T00:00:00Z"),
      notAfterDate: new Date("2021-01-01T00:00:00Z"),
    });
    db.update(identityProviders)
      .set({ samlMetadataUrl: null, samlIdpCerts: JSON.stringify([expired.cert]) })
      .run();
    const refused = await test();
    expect(refused.status).toBe(409);
    expect((await jsonOf<Reply>(refused, 409)).result.error?.[""]).toEqual(["sso.saml.idpCertificateExpired"]);

    const closed = await startTestSamlIdp({ users: {} });
    await closed.close();
    db.update(identityProviders)
      .set({ samlIdpCerts: JSON.stringify([testSpCertificate]), samlIdpSsoUrl: closed.ssoUrl })
      .run();
    const unreachable = await test();
    expect(unreachable.status).toBe(409);
    expect((await jsonOf<Reply>(unreachable, 409)).result.error?.[""]).toEqual(["sso.saml.ssoUnreachable"]);
    expect(
      db
        .select({ code: ssoErrors.code })
        .from(ssoErrors)
        .all()
        .map((row) => row.code),
    ).toEqual(["sso.saml.idpCertificateExpired", "sso.saml.ssoUnreachable"]);
    expect(demoProvider()).toMatchObject({ lastTestOk: false });
  });

  it("is for the municipality's own admins only", async () => {
    expect((await post(samlForm(), demoEmails.neighbourAdmin)).status).toBe(404);
    expect((await post(samlForm(), demoEmails.learner)).status).toBe(403);
    expect(demoProvider()).toBeUndefined();
  });
});
