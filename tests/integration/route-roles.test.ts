import { randomUUID } from "node:crypto";
import { eq, like } from "drizzle-orm";
import { invitations, joinLinks, licences, orders, organisationUnits } from "#db/schema";
import { placeOrder } from "~/billing/orders.server";
import { db } from "~/db.server";
import { danishDate } from "~/i18n/dates";
import { pilotOrderFields } from "../utils/fixtures";
import { formRequest, request, routeArgs, sessionCookieFor, userIdByEmail } from "../utils/requests";
import { routeFiles, routeImport } from "../utils/route-files";
import {
  all,
  adminsOnly,
  course,
  COURSE,
  invoiceFiles,
  MODULE,
  ownerOnly,
  ownMunicipalityOnly,
  personas,
  signedIn,
  type Check,
  type Expected,
  type Fixture,
  type Persona,
} from "./route-roles/checks";
import { accessibilityChecks } from "./route-roles/accessibility";
import { certificateChecks } from "./route-roles/certificates";
import { feedbackChecks } from "./route-roles/feedback";
import { measurementChecks } from "./route-roles/measurement";
import { measurementReportChecks } from "./route-roles/measurement-report";
import { privacyErasureChecks } from "./route-roles/privacy-erasure";
import { mediaChecks } from "./route-roles/media";
import { meetingChecks } from "./route-roles/meetings";
import { privacyRetentionChecks } from "./route-roles/privacy-retention";
import { quizChecks } from "./route-roles/quizzes";
import { personDataChecks } from "./route-roles/privacy-person-data";
import { retentionChecks } from "./route-roles/retention";
import { scimChecks } from "./route-roles/scim";
import { ssoChecks } from "./route-roles/sso";
import { studioChecks } from "./route-roles/studio";
import { trainingCoreChecks } from "./route-roles/training-core";
import { trainingReminderChecks } from "./route-roles/training-reminders";
import { trainingComplianceChecks } from "./route-roles/training-compliance";

/**
 * Every route of the app, walked as each kind of person, so that a new route cannot be added
 * without deciding who may use it. A 2xx means the person got the page or file; a 3xx that they
 * were sent to sign in (or on); 403/404 that they were refused without learning what exists.
 */
// Set before anything reads the environment, so the webhook gets as far as checking the signature.
process.env.STRIPE_WEBHOOK_SECRET = "whsec_route_roles_test_secret";

const NEW_PASSWORD = "Et-helt-nyt-kodeord-2026";

/** The CSV import form as the page posts it: one new address for the fixture licence. */
function importForm(licenceId: number) {
  const form = new FormData();
  form.set("licenceId", String(licenceId));
  form.set("file", new File(["email\nimporteret@demo-kommune.dk\n"], "medarbejdere.csv", { type: "text/csv" }));
  return form;
}

const checks: Check[] = [
  ...quizChecks,
  ...feedbackChecks,
  ...certificateChecks,
  ...studioChecks,
  ...mediaChecks,
  ...meetingChecks,
  ...ssoChecks,
  ...scimChecks,
  ...trainingCoreChecks,
  ...trainingReminderChecks,
  ...trainingComplianceChecks,
  ...measurementChecks,
  ...measurementReportChecks,
  ...retentionChecks,
  ...privacyErasureChecks,
  ...privacyRetentionChecks,
  ...personDataChecks,
  ...accessibilityChecks,
  { route: "_index.tsx", method: "loader", url: () => "/", expected: all(302) },
  { route: "log-ind/route.tsx", method: "loader", url: () => "/log-ind", expected: { ...all(302), anonymous: 200 } },
  {
    route: "log-ind/route.tsx",
    method: "action",
    url: () => "/log-ind",
    form: () => ({ intent: "email", email: "leder@demo-kommune.dk" }),
    expected: { ...all(302), anonymous: 200 },
  },
  // Whoever is signed in is sent on before the form is read; a wrong password gets 401, not a session.
  {
    route: "log-ind/route.tsx",
    method: "action",
    url: () => "/log-ind",
    form: () => ({ email: "leder@demo-kommune.dk", password: "forkert-adgangskode" }),
    expected: { ...all(302), anonymous: 401 },
  },
  { route: "log-ud.tsx", method: "loader", url: () => "/log-ud", expected: all(200) },
  {
    route: "log-ud.tsx",
    method: "action",
    url: () => "/log-ud",
    form: () => ({}),
    expected: all(302),
    endsSession: true,
  },
  {
    route: "glemt-adgangskode.tsx",
    method: "action",
    url: () => "/glemt-adgangskode",
    form: () => ({ email: "ikke-en-adresse" }),
    expected: all(400),
  },
  {
    route: "nulstil-adgangskode.$token.tsx",
    method: "loader",
    url: () => "/nulstil-adgangskode/ukendt",
    params: () => ({ token: "ukendt" }),
    expected: all(410),
  },
  {
    route: "nulstil-adgangskode.$token.tsx",
    method: "action",
    url: () => "/nulstil-adgangskode/ukendt",
    params: () => ({ token: "ukendt" }),
    form: () => ({ password: NEW_PASSWORD, confirm: NEW_PASSWORD }),
    expected: all(410),
  },
  { route: "sprog.tsx", method: "loader", url: () => "/sprog", expected: all(302) },
  {
    route: "sprog.tsx",
    method: "action",
    url: () => "/sprog",
    form: () => ({ language: "en", redirectTo: "/" }),
    expected: all(302),
  },
  { route: "healthz.ts", method: "loader", url: () => "/healthz", expected: all(200) },
  // For Prometheus with METRICS_TOKEN, or the owner; a session of anyone else is refused, no session asked for one.
  {
    route: "metrics.ts",
    method: "loader",
    url: () => "/metrics",
    expected: { anonymous: 401, learner: 403, leader: 403, admin: 403, otherAdmin: 403, owner: 200 },
  },
  { route: "favicon[.]ico.ts", method: "loader", url: () => "/favicon.ico", expected: all(200) },
  { route: "priser.tsx", method: "loader", url: () => "/priser", expected: all(200) },
  { route: "kurser._index.tsx", method: "loader", url: () => "/kurser", expected: signedIn(200) },
  {
    route: "kurser.$courseSlug._index.tsx",
    method: "loader",
    url: () => `/kurser/${COURSE}`,
    params: () => ({ courseSlug: COURSE }),
    expected: course,
  },
  {
    route: "kurser.$courseSlug.$moduleSlug._index.tsx",
    method: "loader",
    url: () => `/kurser/${COURSE}/${MODULE}`,
    params: () => ({ courseSlug: COURSE, moduleSlug: MODULE }),
    expected: course,
  },
  { route: "api.progress.ts", method: "loader", url: () => "/api/progress", expected: all(405) },
  {
    route: "api.progress.ts",
    method: "action",
    url: () => "/api/progress",
    form: () => ({}),
    expected: { ...all(400), anonymous: 401 },
  },
  {
    route: "invitation.$token.tsx",
    method: "loader",
    url: () => "/invitation/ukendt",
    params: () => ({ token: "ukendt" }),
    expected: all(410),
  },
  {
    route: "invitation.$token.tsx",
    method: "action",
    url: () => "/invitation/ukendt",
    params: () => ({ token: "ukendt" }),
    form: () => ({ name: "Ny Medarbejder", password: NEW_PASSWORD, confirm: NEW_PASSWORD }),
    expected: all(410),
  },
  {
    route: "deltag.$token.tsx",
    method: "loader",
    url: () => "/deltag/ukendt",
    params: () => ({ token: "ukendt" }),
    expected: all(404),
  },
  {
    route: "deltag.$token.tsx",
    method: "action",
    url: () => "/deltag/ukendt",
    params: () => ({ token: "ukendt" }),
    form: () => ({ email: "ny@demo-kommune.dk" }),
    expected: all(404),
  },
  { route: "udvikler.udbakke.tsx", method: "loader", url: () => "/udvikler/udbakke", expected: ownerOnly },
  {
    route: "leder.tsx",
    method: "loader",
    url: () => "/leder",
    expected: { anonymous: 302, learner: 403, leader: 200, admin: 403, otherAdmin: 403, owner: 403 },
  },

  { route: "administration._index/route.tsx", method: "loader", url: () => "/administration", expected: adminsOnly },
  {
    route: "administration._index/route.tsx",
    method: "action",
    url: () => "/administration",
    form: (f) => ({ intent: "invite", licenceId: String(f.licenceId), email: "ny@demo-kommune.dk" }),
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.personer[.]csv.ts",
    method: "loader",
    url: () => "/administration/personer.csv?organisation=1",
    expected: { anonymous: 302, learner: 404, leader: 200, admin: 200, otherAdmin: 404, owner: 404 },
  },
  {
    route: "administration.kommune/route.tsx",
    method: "loader",
    url: () => "/administration/kommune",
    expected: adminsOnly,
  },
  {
    route: "administration.kommune/route.tsx",
    method: "loader",
    url: () => "/administration/kommune?organisation=1",
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.kommune/route.tsx",
    method: "action",
    url: () => "/administration/kommune",
    form: () => ({ intent: "addUnit", organisationId: "1", name: `Enhed ${randomUUID()}`, kind: "afdeling" }),
    expected: ownMunicipalityOnly,
  },
  { route: "administration.bestil.tsx", method: "loader", url: () => "/administration/bestil", expected: adminsOnly },
  {
    route: "administration.bestil.tsx",
    method: "loader",
    url: (f) => `/administration/bestil?forny=${f.licenceId}`,
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.bestil.tsx",
    method: "action",
    url: () => "/administration/bestil",
    form: () => ({ ...pilotOrderFields({ orderReference: "PO-ROLLER" }), intent: "review" }),
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.ordrer.$orderId.tsx",
    method: "loader",
    url: (f) => `/administration/ordrer/${f.orderId}`,
    params: (f) => ({ orderId: String(f.orderId) }),
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.tilbud[.]pdf.ts",
    method: "action",
    url: () => "/administration/tilbud.pdf",
    form: () => ({ ...pilotOrderFields({ orderReference: "PO-ROLLER" }), intent: "quote" }),
    expected: ownMunicipalityOnly,
  },
  { route: "administration.import.tsx", method: "loader", url: () => "/administration/import", expected: adminsOnly },
  {
    route: "administration.import.tsx",
    method: "action",
    url: () => "/administration/import",
    multipart: (f) => importForm(f.licenceId),
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.tilmeldingslinks.tsx",
    method: "loader",
    url: () => "/administration/tilmeldingslinks",
    expected: adminsOnly,
  },
  {
    route: "administration.tilmeldingslinks.tsx",
    method: "action",
    url: () => "/administration/tilmeldingslinks",
    form: (f) => ({
      intent: "create",
      licenceId: String(f.licenceId),
      expiresOn: danishDate(new Date(Date.now() + 7 * 86_400_000)),
      maxUses: "5",
    }),
    expected: ownMunicipalityOnly,
  },
  {
    route: "fakturaer.$invoiceId.pdf.ts",
    method: "loader",
    url: (f) => `/fakturaer/${f.invoiceId}/pdf`,
    params: (f) => ({ invoiceId: String(f.invoiceId) }),
    expected: invoiceFiles,
  },
  {
    route: "fakturaer.$invoiceId.xml.ts",
    method: "loader",
    url: (f) => `/fakturaer/${f.invoiceId}/xml`,
    params: (f) => ({ invoiceId: String(f.invoiceId) }),
    expected: invoiceFiles,
  },
  { route: "ejer.fakturaer.tsx", method: "loader", url: () => "/ejer/fakturaer", expected: ownerOnly },
  {
    route: "ejer.fakturaer.tsx",
    method: "action",
    url: () => "/ejer/fakturaer",
    form: (f) => ({ intent: "markPaid", invoiceId: String(f.invoiceId) }),
    expected: ownerOnly,
  },
  { route: "ejer.priser/route.tsx", method: "loader", url: () => "/ejer/priser", expected: ownerOnly },
  {
    route: "ejer.priser/route.tsx",
    method: "action",
    url: () => "/ejer/priser",
    form: () => ({ intent: "setDiscountActive", discountId: "1", active: "false" }),
    expected: ownerOnly,
  },
  { route: "webhooks.stripe.ts", method: "loader", url: () => "/webhooks/stripe", expected: all(405) },
  // The webhook trusts no session, only Stripe's signature, which none of these requests has.
  {
    route: "webhooks.stripe.ts",
    method: "action",
    url: () => "/webhooks/stripe",
    form: () => ({}),
    expected: all(400),
  },
];

/** A loader that returns plain data (not a Response) renders the page with 200. */
async function statusOf(run: () => unknown) {
  try {
    const result = await run();
    return result instanceof Response ? result.status : 200;
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
}

let fixture: Fixture;
const cookies: Partial<Record<Persona, string>> = {};

beforeAll(async () => {
  const { orderSchema } = await import("~/billing/forms");
  const placed = await placeOrder(
    { id: userIdByEmail("admin@demo-kommune.dk") },
    orderSchema.parse(pilotOrderFields({ orderReference: "PO-ROLLER" })),
  );
  if (placed.status !== "placed") throw new Error(`the fixture order was not placed: ${placed.status}`);
  const licenceId = db.select({ id: orders.licenceId }).from(orders).where(eq(orders.id, placed.orderId)).get()!.id;
  fixture = { orderId: placed.orderId, invoiceId: placed.invoiceId, licenceId };
  for (const [persona, email] of Object.entries(personas))
    cookies[persona as Persona] = email ? await sessionCookieFor(email) : "";
});

describe("every route, as every kind of person", () => {
  it("has a check for each route file", () => {
    const files = routeFiles();
    const checked = new Set(checks.map((check) => check.route));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => !checked.has(file))).toEqual([]);
  });

  it("has a check for each loader and action a route file exports", async () => {
    const handlers: string[] = [];
    for (const file of routeFiles()) {
      const module = (await import(routeImport(file))) as Record<string, unknown>;
      for (const method of ["loader", "action"] as const)
        if (typeof module[method] === "function") handlers.push(`${method} ${file}`);
    }
    const checked = new Set(checks.map((check) => `${check.method} ${check.route}`));
    expect(handlers.length).toBeGreaterThan(0);
    expect(handlers.filter((handler) => !checked.has(handler))).toEqual([]);
  });

  for (const check of checks) {
    it(`${check.method} ${check.route} ${check.url({ orderId: 0, invoiceId: 0, licenceId: 0 })}`, async () => {
      const module = (await import(routeImport(check.route))) as Record<string, (args: unknown) => unknown>;
      const handler = module[check.method];
      if (!handler) throw new Error(`${check.route} has no ${check.method}`);
      const actual: Partial<Expected> = {};
      for (const persona of Object.keys(personas) as Persona[]) {
        const email = personas[persona];
        const cookie = check.endsSession && email ? await sessionCookieFor(email) : cookies[persona];
        const url = check.url(fixture);
        const req = check.multipart
          ? request(url, { method: "POST", body: check.multipart(fixture), cookie })
          : check.form
            ? formRequest(url, check.form(fixture), cookie)
            : request(url, { cookie });
        actual[persona] = await statusOf(() => handler(routeArgs(req, check.params?.(fixture) ?? {})));
      }
      expect(actual).toEqual(check.expected);
    });
  }

  // The statuses above could hide a refusal that came after the write; the database shows who acted.
  it("let no one but Demo Kommune's admin act on its licence and units", () => {
    const admin = userIdByEmail("admin@demo-kommune.dk");
    const invitedBy = db
      .select({ by: invitations.invitedBy })
      .from(invitations)
      .where(eq(invitations.licenceId, fixture.licenceId))
      .all();
    expect(invitedBy.length).toBeGreaterThan(0);
    expect(new Set(invitedBy.map((row) => row.by))).toEqual(new Set([admin]));
    const linksBy = db
      .select({ by: joinLinks.createdBy })
      .from(joinLinks)
      .where(eq(joinLinks.licenceId, fixture.licenceId))
      .all();
    expect(linksBy.map((row) => row.by)).toEqual([admin]);
    // Every persona sent a unit of its own name to Demo Kommune; only the admin's was added.
    const units = db
      .select({ organisationId: organisationUnits.organisationId })
      .from(organisationUnits)
      .where(like(organisationUnits.name, "Enhed %-%"))
      .all();
    expect(units).toEqual([{ organisationId: 1 }]);
    expect(db.select().from(licences).where(eq(licences.organisationId, 2)).all()).toEqual([]);
  });
});
