import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { asc, eq } from "drizzle-orm";
import {
  certificates,
  courses,
  invoices,
  licences,
  meetingSessions,
  memberships,
  moduleProgress,
  modules,
  orders,
  organisations,
  outboxEmails,
  scimGroups,
  scimUsers,
  users,
} from "#db/schema";
import { demoMunicipality } from "~/cli/seed/accounts";
import { openDatabase, type Db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { BadInputClient, SLOW_MS, type Finding } from "../bad-input/client";
import { parserPage } from "../bad-input/html";
import { MEDIA_ROUTE, appRoutes, routePath, type Route } from "../bad-input/routes";
import { Walker } from "../bad-input/walk";
import { personas, type Persona } from "../integration/route-roles/checks";
import { pilotOrderFields } from "../utils/fixtures";
import { givenPairedAnswers } from "../utils/measurement-seed";
import { serverDatabaseFile } from "./helpers";

/**
 * "Bad input, everywhere": every route, every form and every URL parameter, as each kind of
 * person, sent what people paste and what attackers try, against a server of its own (the
 * Playwright config's second web server, with its own seeded database). Fails on any 5xx, any
 * answer slower than 5 s, and any body that shows the platform's internals.
 */

// The walk is bounded; a run that cannot finish in this time fails instead of covering less. About
// 27,000 requests took under 6 minutes on one development machine and would take 8 on another (the
// same walk reached 20,000 in 6), so the bound leaves room for the slower one.
const BUDGET_MS = 10 * 60_000;
test.setTimeout(BUDGET_MS + 3 * 60_000);

const routes = appRoutes();

/** Sign-out is sent last, so no one signs themselves out mid-run; the sign-in form is fuzzed by the anonymous walk after the others. */
const LAST = new Set(["log-ud.tsx"]);
/** Who walks first: the roles whose sessions others' actions could end or whose access they could take go before them. */
const ORDER: Persona[] = ["learner", "leader", "otherAdmin", "admin", "owner", "anonymous"];

type RunData = { db: Db; joinLinks: string[] };

const mailedTokens = (db: Db, route: string) =>
  db
    .select({ text: outboxEmails.text })
    .from(outboxEmails)
    .orderBy(asc(outboxEmails.id))
    .all()
    .flatMap(({ text }) =>
      [...text.matchAll(new RegExp(`/${route}/([A-Za-z0-9_.~-]+)`, "g"))].map((match) => ({ token: match[1]! })),
    );
const courseSlugs = ({ db }: RunData) =>
  db.select({ courseSlug: courses.slug }).from(courses).orderBy(asc(courses.id)).all();
const courseIds = ({ db }: RunData) =>
  db
    .select({ id: courses.id })
    .from(courses)
    .orderBy(asc(courses.id))
    .all()
    .map(({ id }) => ({ courseId: String(id) }));
const moduleIds = ({ db }: RunData) =>
  db
    .select({ id: modules.id })
    .from(modules)
    .orderBy(asc(modules.id))
    .all()
    .map(({ id }) => ({ moduleId: String(id) }));
const moduleSlugs = ({ db }: RunData) =>
  db
    .select({ courseSlug: courses.slug, moduleSlug: modules.slug })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .orderBy(asc(modules.id))
    .all();
const invoiceIds = ({ db }: RunData) =>
  db
    .select({ id: invoices.id })
    .from(invoices)
    .orderBy(asc(invoices.id))
    .all()
    .map(({ id }) => ({ invoiceId: String(id) }));
const meetingIds = ({ db }: RunData) =>
  db
    .select({ id: meetingSessions.id })
    .from(meetingSessions)
    .orderBy(asc(meetingSessions.id))
    .all()
    .map(({ id }) => ({ sessionId: String(id) }));
const personIds = ({ db }: RunData) =>
  db
    .select({ id: memberships.userId })
    .from(memberships)
    .orderBy(asc(memberships.organisationId), asc(memberships.userId))
    .all()
    .map(({ id }) => ({ userId: String(id) }));

/**
 * Real values for each route's path params, from the server's database or made by the run's
 * own requests; the walk adds what it finds on pages. A route with params and no entry here fails
 * the first test, so a new route is never walked only with made-up ids.
 */
const REAL_PARAMS: Record<string, (data: RunData) => Array<Record<string, string>>> = {
  "bevis.$code.tsx": ({ db }) => db.select({ code: certificates.code }).from(certificates).all(),
  "deltag.$token.tsx": ({ joinLinks }) => joinLinks.map((token) => ({ token })),
  "invitation.$token.tsx": ({ db }) => mailedTokens(db, "invitation"),
  "nulstil-adgangskode.$token.tsx": ({ db }) => mailedTokens(db, "nulstil-adgangskode"),
  // Media addresses carry a token issued on the module page; the walk takes them from there.
  [MEDIA_ROUTE]: () => [],
  "kurser.$courseSlug._index.tsx": courseSlugs,
  "kurser.$courseSlug.feedback/route.tsx": courseSlugs,
  "kurser.$courseSlug.maaling/route.tsx": courseSlugs,
  "kurser.$courseSlug.kursusbevis[.]pdf.ts": courseSlugs,
  "kurser.$courseSlug.$moduleSlug._index.tsx": moduleSlugs,
  "kurser.$courseSlug.$moduleSlug.quiz.tsx": moduleSlugs,
  "ejer.studie.kurser.$courseId._index/route.tsx": courseIds,
  "ejer.studie.kurser.$courseId.feedback.$audience/route.tsx": (data) =>
    courseIds(data).flatMap((ids) => ["medarbejdere", "ledere"].map((audience) => ({ ...ids, audience }))),
  "ejer.studie.kurser.$courseId.maaling/route.tsx": courseIds,
  "ejer.studie.moduler.$moduleId._index/route.tsx": moduleIds,
  "ejer.studie.moduler.$moduleId.film.tsx": moduleIds,
  "ejer.studie.moduler.$moduleId.film.dele.ts": moduleIds,
  "ejer.studie.moduler.$moduleId.film.overfoersel.ts": moduleIds,
  "ejer.studie.moduler.$moduleId.quiz/route.tsx": moduleIds,
  "ejer.statistik_.film.$moduleId.tsx": moduleIds,
  "administration.ordrer.$orderId.tsx": ({ db }) =>
    db
      .select({ id: orders.id })
      .from(orders)
      .orderBy(asc(orders.id))
      .all()
      .map(({ id }) => ({ orderId: String(id) })),
  // The erase page's form is walked with the health visitor's id; no fuzzed confirmation names her.
  "administration.personer.$userId_.slet/route.tsx": ({ db }) =>
    db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, "sundhedsplejerske@demo-kommune.dk"))
      .all()
      .map(({ id }) => ({ userId: String(id) })),
  "fakturaer.$invoiceId.pdf.ts": invoiceIds,
  "fakturaer.$invoiceId.xml.ts": invoiceIds,
  "sso.$slug.start.tsx": () => [{ slug: demoMunicipality.slug }],
  "sso.$slug.oidc.callback.tsx": () => [{ slug: demoMunicipality.slug }],
  // The SCIM routes answer a bearer token only; the walk has none, so it checks the 401s hold for anything.
  "scim.$slug.v2.Users.ts": () => [{ slug: demoMunicipality.slug }],
  "scim.$slug.v2.Users_.$id.ts": ({ db }) =>
    db
      .select({ id: scimUsers.id })
      .from(scimUsers)
      .all()
      .map(({ id }) => ({ slug: demoMunicipality.slug, id })),
  "scim.$slug.v2.Groups.ts": () => [{ slug: demoMunicipality.slug }],
  "scim.$slug.v2.Groups_.$id.ts": ({ db }) =>
    db
      .select({ id: scimGroups.id })
      .from(scimGroups)
      .all()
      .map(({ id }) => ({ slug: demoMunicipality.slug, id })),
  "scim.$slug.v2.ServiceProviderConfig.ts": () => [{ slug: demoMunicipality.slug }],
  "sso.$slug.saml.metadata.ts": () => [{ slug: demoMunicipality.slug }],
  "sso.$slug.saml.acs.tsx": () => [{ slug: demoMunicipality.slug }],
  "moede.$sessionId._index/route.tsx": meetingIds,
  "moede.$sessionId.afspilning.ts": meetingIds,
  "moede.$sessionId.deltager.tsx": meetingIds,
  "moede.$sessionId.deltagere.ts": meetingIds,
  "moede.$sessionId.tilstede.ts": meetingIds,
  "administration.personer.$userId._index.tsx": personIds,
  "administration.personer.$userId.data[.]json.ts": personIds,
  "administration.personer.$userId.data[.]pdf.ts": personIds,
};

/** The addresses a walk starts from: every route, with up to two sets of real params. */
function seeds(data: RunData): string[] {
  return routes.flatMap((route) => {
    if (LAST.has(route.file)) return [];
    if (route.params.length === 0) return [routePath(route, {})];
    return (REAL_PARAMS[route.file]?.(data) ?? []).slice(0, 2).map((params) => routePath(route, params));
  });
}

// tests/e2e/serve.ts names each server's database by its port.

/**
 * What the seed lacks and the walk needs real addresses for, made the way people make them:
 * an order (and so an invoice), a join link, an invitation and a password reset in the outbox.
 * Only what takes watching films is written straight to the database: films seen, and a certificate.
 */
async function arrange(client: BadInputClient, db: Db): Promise<RunData> {
  const demo = db.select({ id: organisations.id }).from(organisations).orderBy(asc(organisations.id)).get()!;
  const licence = db
    .select({ id: licences.id })
    .from(licences)
    .where(eq(licences.organisationId, demo.id))
    .orderBy(asc(licences.id))
    .get()!;
  const form = (entries: Record<string, string>) => ({ kind: "urlencoded" as const, entries: Object.entries(entries) });

  const ordered = await client.one({
    role: "admin",
    method: "POST",
    path: "/administration/bestil",
    body: form(pilotOrderFields({ orderReference: "PO-FUZZ" })),
    what: "arrange: an order",
  });
  expect(ordered?.status, "the order is placed").toBeLessThan(400);
  const joinLink = await client.one({
    role: "admin",
    method: "POST",
    path: "/administration/tilmeldingslinks",
    body: form({
      intent: "create",
      licenceId: String(licence.id),
      expiresOn: shiftDays(danishDate(), 7),
      maxUses: "5",
    }),
    what: "arrange: a join link",
  });
  expect(joinLink?.status, "the join link is made").toBe(200);
  const invited = await client.one({
    role: "admin",
    method: "POST",
    path: "/administration?index",
    body: form({ intent: "invite", licenceId: String(licence.id), email: "fuzz-inviteret@demo-kommune.dk" }),
    what: "arrange: an invitation",
  });
  expect(invited?.status, "the invitation is sent").toBe(200);
  const reset = await client.one({
    role: "anonymous",
    method: "POST",
    path: "/glemt-adgangskode",
    body: form({ email: "sundhedsplejerske@demo-kommune.dk" }),
    what: "arrange: a password reset",
  });
  expect(reset?.status, "the reset is mailed").toBeLessThan(400);
  // A staff meeting the leader shows and the learner has joined, so both their pages of it are walked.
  const presented = await client.one({
    role: "leader",
    method: "POST",
    path: "/moede/ny",
    body: form({ moduleId: String(db.select({ id: modules.id }).from(modules).orderBy(asc(modules.id)).get()!.id) }),
    what: "arrange: a staff meeting",
  });
  expect(presented?.status, "the meeting starts").toBeLessThan(400);
  const meeting = db.select({ code: meetingSessions.code }).from(meetingSessions).get();
  expect(meeting, "the meeting is stored").toBeDefined();
  const joined = await client.one({
    role: "learner",
    method: "POST",
    path: "/moede?index",
    body: form({ code: meeting!.code }),
    what: "arrange: joining the meeting",
  });
  expect(joined?.status, "the learner joins").toBeLessThan(400);

  const learner = db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(eq(users.email, personas.learner))
    .get()!;
  // Films count as seen, so the learner's quizzes open and their forms are walked too.
  for (const { id } of db.select({ id: modules.id }).from(modules).all()) {
    db.insert(moduleProgress)
      .values({ userId: learner.id, moduleId: id, watchedAt: new Date(), updatedAt: new Date() })
      .onConflictDoUpdate({ target: [moduleProgress.userId, moduleProgress.moduleId], set: { watchedAt: new Date() } })
      .run();
  }
  const course = db.select({ id: courses.id, title: courses.title }).from(courses).orderBy(asc(courses.id)).get()!;
  db.insert(certificates)
    .values({
      code: "FZZZ2345BADN",
      userId: learner.id,
      courseId: course.id,
      recipientName: learner.name,
      courseTitle: course.title,
      organisationName: "Demo Kommune",
      minutes: 60,
      completedOn: danishDate(),
      issuedAt: new Date(),
    })
    .onConflictDoNothing()
    .run();
  // Five pairs, so the before-and-after report's filters are walked over figures, not an empty page.
  givenPairedAnswers(db, { courseId: course.id, organisationId: demo.id }, 5);

  const joinLinks = [
    ...new Set([...(joinLink?.text ?? "").matchAll(/\/deltag\/([A-Za-z0-9_.~-]+)/g)].map((match) => match[1]!)),
  ];
  expect(joinLinks, "the new join link is shown").not.toEqual([]);
  expect(mailedTokens(db, "invitation"), "the invitation is in the outbox").not.toEqual([]);
  expect(mailedTokens(db, "nulstil-adgangskode"), "the reset link is in the outbox").not.toEqual([]);
  const data = { db, joinLinks };
  expect(invoiceIds(data), "the order has its invoice").not.toEqual([]);
  return data;
}

/** The offenders, one line per route, status and kind with how many there were, and one example in full. */
function describe(findings: Finding[], max = 25) {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${finding.route} ${finding.status} ${finding.detail.split(":")[0]!.slice(0, 40)}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...groups.values()]
    .sort((a, b) => b.length - a.length)
    .slice(0, max)
    .map(
      ([f, ...more]) =>
        `  ${f!.route}: ${f!.status} × ${more.length + 1}, e.g. ${f!.ms} ms as ${f!.role}: ${f!.method} ${f!.path}\n      ${f!.what}\n      ${f!.detail}`,
    )
    .join("\n");
}

test("every route with path params has real values to walk it with", () => {
  const missing = routes
    .filter((route: Route) => route.params.length > 0 && !REAL_PARAMS[route.file])
    .map((route) => route.file);
  expect(missing, "add the route's real params to REAL_PARAMS").toEqual([]);
  // An entry for a route that is gone would hide that the list is stale.
  expect(Object.keys(REAL_PARAMS).filter((file) => !routes.some((route) => route.file === file))).toEqual([]);
});

test("no route answers bad input with a 5xx, a wait over 5 s or its internals, as anyone", async ({
  browser,
  baseURL,
}) => {
  const { db, sqlite } = openDatabase(serverDatabaseFile(baseURL!));
  // The measurement's pseudonyms are made under the key beside the server's database.
  process.env.DATABASE_PATH = serverDatabaseFile(baseURL!);
  const client = new BadInputClient(baseURL!, routes, BUDGET_MS);
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    for (const role of ORDER) await client.signIn(role);
    const data = await arrange(client, db);
    const walker = new Walker(client, routes, await parserPage(await context.newPage()), {
      last: LAST,
      maxAddressesPerRoute: 4,
    });
    for (const role of ORDER) await walker.walk(role, seeds(data));
    client.renewSessions = false;
    for (const role of ORDER) await walker.finish(role);

    const { serverErrors, slow, dropped, internals, crossSiteAccepted } = client.findings;
    const unreached = routes.filter((route) => !client.reached.has(route.file)).map((route) => route.file);
    const unposted = routes
      .filter((route) => route.hasAction && !walker.posted.has(route.file))
      .map((route) => route.file);
    const summary = [
      `Bad input: ${routes.length} routes (${routes.length - unreached.length} reached), ${walker.pages.size} pages as ${ORDER.length} roles, ` +
        `${walker.forms.size} forms (${walker.formSubmissions} form × role), ${client.requests} requests in ${client.elapsedSeconds} s`,
      `  5xx: ${serverErrors.length}, over ${SLOW_MS / 1000} s: ${slow.length}, internals shown: ${internals.length}, ` +
        `connections closed without an answer: ${dropped.length}, cross-site accepted: ${crossSiteAccepted.length}`,
      `  without Origin: ${client.withoutOrigin.sent} sent, ${client.withoutOrigin.refused} refused with 4xx; left unsent when time ran out: ${client.skipped}`,
      ...(serverErrors.length ? ["5xx:", describe(serverErrors)] : []),
      ...(slow.length ? [`Over ${SLOW_MS / 1000} s:`, describe(slow)] : []),
      ...(dropped.length ? ["Closed without an answer:", describe(dropped)] : []),
      ...(internals.length ? ["Internals:", describe(internals)] : []),
      ...(crossSiteAccepted.length ? ["Cross-site requests accepted:", describe(crossSiteAccepted)] : []),
    ].join("\n");
    console.log(summary);
    await test.info().attach("bad-input-summary.txt", { body: summary, contentType: "text/plain" });
    // Every offender, for whoever fixes them; a file, so the JSON report stays small.
    const findingsFile = test.info().outputPath("bad-input-findings.json");
    const details = {
      findings: client.findings,
      requestsByRoute: Object.fromEntries(client.requestsByRoute),
      msByRoute: Object.fromEntries(client.msByRoute),
    };
    fs.writeFileSync(findingsFile, JSON.stringify(details, null, 2));
    await test.info().attach("bad-input-findings.json", { path: findingsFile, contentType: "application/json" });

    // Past the budget the walk stops where it is, so a run that used it all has covered less than it should.
    expect(client.outOfTime, `the walk finished within ${BUDGET_MS / 60_000} minutes`).toBe(false);
    expect(unreached, "routes no request reached (only 404/405 answers)").toEqual([]);
    expect(unposted, "routes with an action that no form and no recipe posted to").toEqual([]);
    expect(serverErrors.length, `5xx answers\n${describe(serverErrors, 10)}`).toBe(0);
    expect(slow.length, `answers over ${SLOW_MS / 1000} s\n${describe(slow, 10)}`).toBe(0);
    expect(internals.length, `bodies showing internals\n${describe(internals, 10)}`).toBe(0);
    // A person whose browser gets no answer sees a browser error page instead of ours.
    expect(dropped.length, `connections closed without an answer\n${describe(dropped, 10)}`).toBe(0);
    expect(crossSiteAccepted.length, `cross-site requests not refused\n${describe(crossSiteAccepted, 10)}`).toBe(0);
  } finally {
    await context.close();
    sqlite.close();
  }
});
