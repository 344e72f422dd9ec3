import { eq } from "drizzle-orm";
import { identityProviders, ssoErrors } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import type * as env from "~/env.server";
import { da } from "~/i18n/da";
import * as page from "~/routes/administration.kommunelogin/route";
import { oidcRedirectUri } from "~/sso/connections.server";
import { openSecret } from "~/sso/secrets.server";
import { sealSecret } from "~/sso/secrets.server";
import { startTestOidcProvider, type TestOidcProvider } from "../fakes/oidc-provider";
import { formRequest, jsonOf, request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

// Stands in for a production server started without SSO_ENCRYPTION_KEY, for the one test that needs it.
const keyState = vi.hoisted(() => ({ missing: false }));
vi.mock("~/env.server", async (importOriginal) => {
  const original = await importOriginal<typeof env>();
  return {
    ...original,
    getSsoEncryptionKeys: () => {
      if (keyState.missing) throw new Error("SSO_ENCRYPTION_KEY mangler");
      return original.getSsoEncryptionKeys();
    },
  };
});

type Reply = {
  formId: string;
  result: { status?: string; error?: Record<string, string[] | null> };
  notice: { key: string } | null;
};

const URL_PATH = "/administration/kommunelogin";

let provider: TestOidcProvider;
beforeAll(async () => {
  provider = await startTestOidcProvider({ redirectUris: [oidcRedirectUri("demo-kommune")], accounts: {} });
});
afterAll(() => provider.close());
afterEach(() => {
  keyState.missing = false;
});

function settings(overrides: Record<string, string> = {}) {
  return {
    intent: "save",
    organisationId: "1",
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    claimEmail: "email",
    claimName: "name",
    claimUnit: "department",
    claimProfession: "jobTitle",
    claimGroups: "groups",
    leaderGroups: "ledere\n\n  sundhedsledere \n",
    adminGroups: "",
    seatPolicy: "auto",
    ...overrides,
  };
}

async function post(fields: Record<string, string>, as = demoEmails.admin) {
  const cookie = await sessionCookieFor(as);
  return settle(() => page.action(routeArgs(formRequest(URL_PATH, fields, cookie))));
}

async function load(as = demoEmails.admin, path = URL_PATH) {
  const cookie = await sessionCookieFor(as);
  return settle(() => page.loader(routeArgs(request(path, { cookie }))));
}

const demoProvider = () => db.select().from(identityProviders).where(eq(identityProviders.organisationId, 1)).get();
const errorsOf = (providerId: number) => db.select().from(ssoErrors).where(eq(ssoErrors.providerId, providerId)).all();

describe("the municipality's sign-in connection page", () => {
  it("is for the municipality's own admins only", async () => {
    expect((await settle(() => page.loader(routeArgs(request(URL_PATH))))).status).toBe(302);
    for (const email of [demoEmails.learner, demoEmails.leader, demoEmails.owner]) {
      expect((await load(email)).status, email).toBe(403);
      expect((await post(settings(), email)).status, email).toBe(403);
    }
    expect((await load(demoEmails.neighbourAdmin, `${URL_PATH}?organisation=1`)).status).toBe(404);
    expect((await post(settings(), demoEmails.neighbourAdmin)).status).toBe(404);
    expect((await post({ intent: "test", organisationId: "1" }, demoEmails.neighbourAdmin)).status).toBe(404);
    for (const intent of ["constructor", "__proto__", "slet-alt"])
      expect((await post({ intent, organisationId: "1" })).status, intent).toBe(400);
    expect(demoProvider()).toBeUndefined();
  });

  it("shows the redirect URI and the domains, and says a test needs saved settings", async () => {
    const data = await jsonOf<{ redirectUri: string; domains: string[] }>(await load());
    expect(data.redirectUri).toBe(oidcRedirectUri("demo-kommune"));
    expect(data.redirectUri).toMatch(/\/sso\/demo-kommune\/oidc\/callback$/);
    expect(data.domains).toEqual(["demo-kommune.dk"]);
    const response = await post({ intent: "test", organisationId: "1" });
    expect(response.status).toBe(409);
    expect((await jsonOf<Reply>(response, 409)).result.error?.[""]).toEqual(["sso.admin.notSaved"]);
  });

  it("refuses a bad issuer beside the field and asks for a secret when none is stored", async () => {
    for (const issuer of ["", "login.example.com", "ftp://login.example.com", "http://login.example.com"]) {
      const response = await post(settings({ issuer }));
      expect(response.status, issuer).toBe(400);
      const reply = await jsonOf<Reply>(response, 400);
      expect(reply.result.error?.issuer?.length, issuer).toBe(1);
      expect(JSON.stringify(reply)).not.toContain(provider.clientSecret);
    }
    const insecure = await jsonOf<Reply>(await post(settings({ issuer: "http://login.example.com" })), 400);
    expect(insecure.result.error?.issuer).toEqual(["sso.test.insecure"]);
    const noSecret = await post(settings({ clientSecret: "" }));
    expect(noSecret.status).toBe(400);
    expect((await jsonOf<Reply>(noSecret, 400)).result.error?.clientSecret).toEqual(["sso.admin.secretRequired"]);
    expect(demoProvider()).toBeUndefined();
  });

  it("saves the connection, seals the secret and tests it at the provider", async () => {
    const saved = await post(settings());
    expect(saved.status).toBe(200);
    expect((await jsonOf<Reply>(saved)).notice?.key).toBe("sso.admin.saved");
    const row = demoProvider();
    expect(row).toMatchObject({
      protocol: "oidc",
      oidcIssuer: provider.issuer,
      oidcClientId: provider.clientId,
      leaderGroups: JSON.stringify(["ledere", "sundhedsledere"]),
      adminGroups: "[]",
      seatPolicy: "auto",
      enabled: false,
      lastTestedAt: null,
    });
    expect(row?.oidcClientSecretEnc).not.toContain(provider.clientSecret);
    expect(openSecret(row!.oidcClientSecretEnc!, `identity_provider:${row!.id}:oidc_client_secret`)).toBe(
      provider.clientSecret,
    );

    const tested = await post({ intent: "test", organisationId: "1" });
    expect(tested.status).toBe(200);
    expect((await jsonOf<Reply>(tested)).notice?.key).toBe("sso.admin.testOk");
    expect(demoProvider()).toMatchObject({ lastTestOk: true });
    expect(demoProvider()?.lastTestedAt).toBeInstanceOf(Date);
  });

  it("switches passwords off for the municipality's domains when the admin asks, and on again", async () => {
    expect((await post(settings({ enabled: "on", passwordSignInDisabled: "on" }))).status).toBe(200);
    expect(demoProvider()).toMatchObject({ enabled: true, passwordSignInDisabled: true });
    const shown = await load();
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as { connection: { passwordSignInDisabled: boolean } }).connection).toMatchObject({
      passwordSignInDisabled: true,
    });
    expect((await post(settings({ enabled: "on" }))).status).toBe(200);
    expect(demoProvider()?.passwordSignInDisabled).toBe(false);
  });

  it("never sends the secret to the page, and keeps it when the field is left empty", async () => {
    expect((await post(settings())).status).toBe(200);
    const response = await load();
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(provider.clientSecret);
    expect(text).not.toContain(demoProvider()!.oidcClientSecretEnc!);
    expect((JSON.parse(text) as { connection: { secretStored: boolean } }).connection.secretStored).toBe(true);

    const before = demoProvider()!.oidcClientSecretEnc;
    const saved = await post(settings({ clientSecret: "", seatPolicy: "approval", enabled: "on" }));
    expect(saved.status).toBe(200);
    expect(await saved.text()).not.toContain(provider.clientSecret);
    expect(demoProvider()).toMatchObject({ oidcClientSecretEnc: before, seatPolicy: "approval", enabled: true });
  });

  it("says in place that the provider refused a wrong secret, and logs it", async () => {
    expect((await post(settings({ clientSecret: "not-the-secret" }))).status).toBe(200);
    const tested = await post({ intent: "test", organisationId: "1" });
    expect(tested.status).toBe(409);
    const reply = await jsonOf<Reply>(tested, 409);
    expect(reply.formId).toBe("sso-connection");
    expect(reply.result.error?.[""]).toEqual(["sso.test.wrongSecret"]);
    expect(da["sso.test.wrongSecret"]).toMatch(/afviste/);
    const row = demoProvider()!;
    expect(row.lastTestOk).toBe(false);
    const errors = errorsOf(row.id);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "sso.test.wrongSecret" });
    expect(errors[0]?.detail).not.toContain("not-the-secret");

    const data = await jsonOf<{ errors: { code: string }[] }>(await load());
    expect(data.errors.map((error) => error.code)).toEqual(["sso.test.wrongSecret"]);
  });

  it("keeps only the latest 20 errors", async () => {
    expect((await post(settings({ clientSecret: "not-the-secret" }))).status).toBe(200);
    for (let attempt = 0; attempt < 21; attempt++) {
      expect((await post({ intent: "test", organisationId: "1" })).status).toBe(409);
    }
    expect(errorsOf(demoProvider()!.id)).toHaveLength(20);
  });

  it("says above the form that a stored secret the server cannot open must be entered again", async () => {
    expect((await post(settings())).status).toBe(200);
    // Sealed for another row: as good as sealed under a key the server no longer has.
    db.update(identityProviders)
      .set({ oidcClientSecretEnc: sealSecret(provider.clientSecret, "identity_providers:999:oidc_client_secret") })
      .run();
    const tested = await post({ intent: "test", organisationId: "1" });
    expect(tested.status).toBe(409);
    expect((await jsonOf<Reply>(tested, 409)).result.error?.[""]).toEqual(["sso.admin.secretUnreadable"]);
    expect(errorsOf(demoProvider()!.id).map((error) => error.code)).toEqual(["sso.admin.secretUnreadable"]);

    expect((await post(settings())).status).toBe(200);
    expect((await post({ intent: "test", organisationId: "1" })).status).toBe(200);
  });

  it("refuses above the form, not with an error page, when the server has no encryption key", async () => {
    expect((await post(settings())).status).toBe(200);
    keyState.missing = true;
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const saved = await post(settings());
    expect(saved.status).toBe(409);
    expect((await jsonOf<Reply>(saved, 409)).result.error?.[""]).toEqual(["sso.admin.noKey"]);
    const tested = await post({ intent: "test", organisationId: "1" });
    expect(tested.status).toBe(409);
    expect((await jsonOf<Reply>(tested, 409)).result.error?.[""]).toEqual(["sso.admin.noKey"]);
    expect(logged).toHaveBeenCalledTimes(2);
    logged.mockRestore();
  });
});
