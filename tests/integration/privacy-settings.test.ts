import { eq } from "drizzle-orm";
import { privacySettings } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import * as settingsPage from "~/routes/administration.databeskyttelse";
import * as annexPage from "~/routes/administration.databehandling";
import * as annexPdf from "~/routes/administration.databehandling[.]pdf";
import { pdfText } from "../utils/pdf-text";
import { formRequest, jsonOf, request, routeArgs, sessionCookieFor, settle } from "../utils/requests";
import { organisationIdBySlug } from "../utils/training";

const PATH = "/administration/databeskyttelse";
const NABO_ADMIN = demoEmails.neighbourAdmin;

type PolicyReply = { formId: string; result: { error?: Record<string, string[]> }; notice?: { key: string } };

async function savePolicy(email: string, fields: Record<string, string>) {
  const cookie = await sessionCookieFor(email);
  return settle(() => settingsPage.action(routeArgs(formRequest(PATH, fields, cookie))));
}

const storedPolicy = (organisationId: number) =>
  db.select().from(privacySettings).where(eq(privacySettings.organisationId, organisationId)).get();

describe("the privacy policy form", () => {
  const demo = () => String(organisationIdBySlug("demo-kommune"));

  it("saves the municipality's choice, and the page shows it instead of the defaults", async () => {
    const response = await savePolicy(demoEmails.admin, {
      organisationId: demo(),
      retentionMonths: "24",
      unlistGraceDays: "0",
    });
    const reply = await jsonOf<PolicyReply>(response);
    expect(reply.notice?.key).toBe("privacy.policy.saved");
    expect(storedPolicy(Number(demo()))).toMatchObject({ retentionMonths: 24, unlistGraceDays: 0 });

    const cookie = await sessionCookieFor(demoEmails.admin);
    const page = await jsonOf<{ policy: { retentionMonths: number; isDefault: boolean }; nextPurgeAt: string }>(
      await settle(() => settingsPage.loader(routeArgs(request(PATH, { cookie })))),
    );
    expect(page.policy).toMatchObject({ retentionMonths: 24, isDefault: false });
    expect(Number.isNaN(Date.parse(page.nextPurgeAt))).toBe(false);
  });

  it.each([
    ["0", "30", "retentionMonths", "privacy.policy.retentionInvalid"],
    ["121", "30", "retentionMonths", "privacy.policy.retentionInvalid"],
    ["12,5", "30", "retentionMonths", "privacy.policy.retentionInvalid"],
    ["12", "366", "unlistGraceDays", "privacy.policy.graceInvalid"],
    ["12", "-1", "unlistGraceDays", "privacy.policy.graceInvalid"],
    ["12", "", "unlistGraceDays", "privacy.policy.graceInvalid"],
  ])("refuses %s months and %s days beside the field, saving nothing", async (months, days, field, key) => {
    const response = await savePolicy(demoEmails.admin, {
      organisationId: demo(),
      retentionMonths: months,
      unlistGraceDays: days,
    });
    const reply = await jsonOf<PolicyReply>(response, 400);
    expect(reply.result.error?.[field]).toEqual([key]);
    expect(storedPolicy(Number(demo()))).toBeUndefined();
  });

  it("answers another municipality's admin as if the municipality did not exist", async () => {
    const response = await savePolicy(NABO_ADMIN, {
      organisationId: demo(),
      retentionMonths: "1",
      unlistGraceDays: "0",
    });
    expect(response.status).toBe(404);
    expect(storedPolicy(Number(demo()))).toBeUndefined();
  });

  it("lets no learner in", async () => {
    const response = await savePolicy(demoEmails.learner, {
      organisationId: demo(),
      retentionMonths: "1",
      unlistGraceDays: "0",
    });
    expect(response.status).toBe(403);
    expect(storedPolicy(Number(demo()))).toBeUndefined();
  });
});

describe("the processing annex", () => {
  it("is a PDF naming the municipality, its retention and the configured sub-processors", async () => {
    const organisationId = organisationIdBySlug("demo-kommune");
    db.insert(privacySettings)
      .values({ organisationId, retentionMonths: 18, unlistGraceDays: 10, updatedAt: new Date() })
      .run();
    const env = getEnv();
    const configured = { ...env };
    Object.assign(env, {
      HOSTING_PROVIDER: "Nordisk Drift A/S",
      HOSTING_COUNTRY: "Danmark",
      SMTP_URL: "smtps://user:secret@smtp.postvaerk.dk:465",
      STRIPE_SECRET_KEY: "sk_test_annex",
    });
    try {
      const cookie = await sessionCookieFor(demoEmails.admin);
      const response = await settle(() =>
        annexPdf.loader(
          routeArgs(request(`/administration/databehandling.pdf?organisation=${organisationId}`, { cookie })),
        ),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("application/pdf");
      const text = (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, " ");
      expect(text).toContain("Beskrivelse af behandlingen");
      expect(text).toContain("Demo Kommune");
      expect(text).toContain("18 måneder");
      expect(text).toContain("Nordisk Drift A/S, Danmark");
      expect(text).toContain("smtp.postvaerk.dk");
      expect(text).not.toContain("secret");
      expect(text).toContain("Stripe Payments Europe");
      expect(text).toContain(`${getEnv().ACCESS_LOG_RETENTION_MONTHS} måneder`);
    } finally {
      Object.assign(env, configured);
    }
  });

  it("names no sub-processor that is not configured", async () => {
    const env = getEnv();
    const configured = { ...env };
    Object.assign(env, { HOSTING_PROVIDER: undefined, SMTP_URL: undefined, STRIPE_SECRET_KEY: undefined });
    try {
      const cookie = await sessionCookieFor(demoEmails.admin);
      const page = await jsonOf<{ annex: { subProcessors: unknown[]; mailLeaves: boolean } }>(
        await settle(() => annexPage.loader(routeArgs(request("/administration/databehandling", { cookie })))),
      );
      expect(page.annex.subProcessors).toEqual([]);
      expect(page.annex.mailLeaves).toBe(false);
    } finally {
      Object.assign(env, configured);
    }
  });

  it("is another municipality's admin's 404", async () => {
    const cookie = await sessionCookieFor(NABO_ADMIN);
    const organisationId = organisationIdBySlug("demo-kommune");
    const response = await settle(() =>
      annexPdf.loader(
        routeArgs(request(`/administration/databehandling.pdf?organisation=${organisationId}`, { cookie })),
      ),
    );
    expect(response.status).toBe(404);
  });
});
