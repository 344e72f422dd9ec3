import { eq } from "drizzle-orm";
import {
  courses,
  licenceCourses,
  licences,
  memberships,
  moduleProgress,
  modules,
  organisationUnits,
  outboxEmails,
  quizAttempts,
  quizzes,
  users,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { parse } from "csv-parse/sync";
import { peopleOverview } from "~/licensing/people.server";
import * as adminRoute from "~/routes/administration._index/route";
import * as csvRoute from "~/routes/administration.personer[.]csv";
import * as leader from "~/routes/leder";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

function markWatched(email: string, moduleSlugs: string[]) {
  const userId = userIdByEmail(email);
  for (const slug of moduleSlugs) {
    const moduleId = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, slug)).get()!.id;
    db.insert(moduleProgress)
      .values({
        userId,
        moduleId,
        playedRanges: "[[0,30]]",
        playedMs: 30_000,
        lastPositionMs: 0,
        watchedAt: new Date(),
        updatedAt: new Date("2026-11-20T09:00:00Z"),
      })
      .run();
  }
}

describe("the admin's view of people", () => {
  // The leader has watched every film of the first course; the other demo people have not started.
  beforeEach(() =>
    markWatched(demoEmails.leader, [
      "sofie-ingen-spurgte-til-mig",
      "mikkel-den-stille-dreng-bagerst",
      "amira-vi-flyttede-hele-tiden",
      "jonas-paedagogen-der-blev-ved",
    ]),
  );

  it("shows seat, films watched, courses completed, last activity and status", () => {
    const people = peopleOverview(1);
    expect(people.map((p) => p.email).sort()).toEqual([
      demoEmails.admin,
      demoEmails.leader,
      demoEmails.learner,
      demoEmails.healthVisitor,
    ]);
    const leader = people.find((p) => p.email === demoEmails.leader)!;
    // Every film of the first course is watched, but its first film's quiz is not yet passed.
    expect(leader).toMatchObject({
      hasSeat: true,
      filmsWatched: 4,
      filmsTotal: 16,
      coursesCompleted: 0,
      coursesTotal: 4,
      status: "started",
    });
    expect(leader.lastActivity?.toISOString()).toBe("2026-11-20T09:00:00.000Z");
    const sofieQuiz = db
      .select({ id: quizzes.id })
      .from(quizzes)
      .innerJoin(modules, eq(modules.id, quizzes.moduleId))
      .where(eq(modules.slug, "sofie-ingen-spurgte-til-mig"))
      .get()!;
    const passed = { quizId: sofieQuiz.id, userId: leader.userId, questionCount: 3, submittedAt: new Date() };
    db.insert(quizAttempts)
      .values({ ...passed, correctCount: 1, scorePercent: 33, passed: false })
      .run();
    expect(peopleOverview(1).find((p) => p.email === demoEmails.leader)).toMatchObject({ coursesCompleted: 0 });
    db.insert(quizAttempts)
      .values({ ...passed, correctCount: 3, scorePercent: 100, passed: true })
      .run();
    expect(peopleOverview(1).find((p) => p.email === demoEmails.leader)).toMatchObject({ coursesCompleted: 1 });

    // A course the owner has granted the licence but not yet published is nobody's to complete.
    const draft = db
      .insert(courses)
      .values({ slug: "kladde", position: 99, title: "Kladde", summary: "Endnu ikke udgivet.", published: false })
      .returning()
      .get();
    db.insert(modules)
      .values({
        courseId: draft.id,
        slug: "kladde-modul",
        position: 1,
        title: "Kladde",
        description: "Uden film.",
        published: false,
      })
      .run();
    for (const licence of db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).all()) {
      db.insert(licenceCourses).values({ licenceId: licence.id, courseId: draft.id }).run();
    }
    expect(peopleOverview(1).find((p) => p.email === demoEmails.leader)).toMatchObject({
      coursesCompleted: 1,
      coursesTotal: 4,
      filmsTotal: 16,
    });
    expect(people.find((p) => p.email === demoEmails.learner)).toMatchObject({
      filmsWatched: 0,
      status: "notStarted",
      lastActivity: null,
    });
  });

  it("exports the list as CSV for the admin's own municipality only", async () => {
    const cookie = await sessionCookieFor(demoEmails.admin);
    const csv = await settle(() =>
      csvRoute.loader(routeArgs(request("/administration/personer.csv?organisation=1&status=notStarted", { cookie }))),
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(bytes.toString("utf8"), { delimiter: ";", bom: true }) as string[][];
    expect(header?.slice(0, 4)).toEqual(["Person", "E-mail", "Enhed", "Plads"]);
    expect(rows).toContainEqual([
      "Sofie Nørgaard",
      demoEmails.learner,
      "Skovbrynets Børnehus",
      "Har plads",
      "0",
      "16",
      "0",
      "4",
      "",
      "Ikke startet",
    ]);
    expect(rows.flat()).not.toContain(demoEmails.leader);

    const neighbour = await sessionCookieFor(demoEmails.neighbourAdmin);
    expect(
      (
        await settle(() =>
          csvRoute.loader(routeArgs(request("/administration/personer.csv?organisation=1", { cookie: neighbour }))),
        )
      ).status,
    ).toBe(404);
    const learner = await sessionCookieFor(demoEmails.learner);
    expect(
      (
        await settle(() =>
          csvRoute.loader(routeArgs(request("/administration/personer.csv?organisation=1", { cookie: learner }))),
        )
      ).status,
    ).toBe(404);
  });

  it("filters by unit, and shows a leader their own unit only, whatever they ask for", async () => {
    const admin = await sessionCookieFor(demoEmails.admin);
    const units = db.select().from(organisationUnits).all();
    const health = units.find((unit) => unit.name === "Sundhedsplejen")!;
    const page = await settle(() =>
      adminRoute.loader(routeArgs(request(`/administration?unit=${health.id}`, { cookie: admin }))),
    );
    expect(page.status).toBe(200);
    const body = (await page.json()) as { people: { people: { email: string }[] }[] };
    expect(body.people[0]?.people.map((p) => p.email)).toEqual([demoEmails.healthVisitor]);
    // Another municipality's unit is no filter at all here.
    const naboUnit = units.find((unit) => unit.organisationId === 2)!;
    const unfilteredPage = await settle(() =>
      adminRoute.loader(routeArgs(request(`/administration?unit=${naboUnit.id}`, { cookie: admin }))),
    );
    expect(unfilteredPage.status).toBe(200);
    const unfiltered = (await unfilteredPage.json()) as typeof body;
    expect(unfiltered.people[0]?.people).toHaveLength(4);

    const leaderCookie = await sessionCookieFor(demoEmails.leader);
    const leaderResponse = await settle(() => leader.loader(routeArgs(request("/leder", { cookie: leaderCookie }))));
    expect(leaderResponse.status).toBe(200);
    const leaderPage = (await leaderResponse.json()) as { units: { unitName: string; people: { email: string }[] }[] };
    expect(leaderPage.units.map((u) => u.unitName)).toEqual(["Skovbrynets Børnehus"]);
    expect(leaderPage.units[0]?.people.map((p) => p.email).sort()).toEqual([demoEmails.leader, demoEmails.learner]);
    const leaderCsv = await settle(() =>
      csvRoute.loader(
        routeArgs(request(`/administration/personer.csv?organisation=1&unit=${health.id}`, { cookie: leaderCookie })),
      ),
    );
    expect(leaderCsv.status).toBe(200);
    const csvText = await leaderCsv.text();
    expect(csvText).toContain(demoEmails.learner);
    expect(csvText).not.toContain(demoEmails.healthVisitor);
    for (const email of [demoEmails.learner, demoEmails.neighbourAdmin]) {
      expect(
        (
          await settle(async () =>
            leader.loader(routeArgs(request("/leder", { cookie: await sessionCookieFor(email) }))),
          )
        ).status,
        email,
      ).toBe(403);
    }
    expect((await settle(() => leader.loader(routeArgs(request("/leder"))))).status).toBe(302);
  });

  it("exports a name someone chose to attack the spreadsheet with as one inert cell", async () => {
    const names = [
      "Anne,=cmd|' /C calc'!A0",
      '=HYPERLINK("http://evil.example";"Klik")',
      "@SUM(1+1)",
      'Bo "Bøf"; Hansen',
      "\t=1+1",
    ];
    for (const [index, name] of names.entries()) {
      const user = db
        .insert(users)
        .values({ email: `angriber${index}@demo-kommune.dk`, name })
        .returning({ id: users.id })
        .get();
      db.insert(memberships).values({ userId: user.id, organisationId: 1, role: "learner" }).run();
    }
    const cookie = await sessionCookieFor(demoEmails.admin);
    const csv = await settle(() =>
      csvRoute.loader(routeArgs(request("/administration/personer.csv?organisation=1", { cookie }))),
    );
    expect(csv.status).toBe(200);
    const [header, ...rows] = parse(await csv.text(), { delimiter: ";", bom: true }) as string[][];
    const row = (email: string) => rows.find((cells) => cells[1] === email);
    expect(row("angriber0@demo-kommune.dk")?.[0]).toBe("Anne,=cmd|' /C calc'!A0");
    expect(row("angriber1@demo-kommune.dk")?.[0]).toBe(`'=HYPERLINK("http://evil.example";"Klik")`);
    expect(row("angriber2@demo-kommune.dk")?.[0]).toBe("'@SUM(1+1)");
    expect(row("angriber3@demo-kommune.dk")?.[0]).toBe('Bo "Bøf"; Hansen');
    // A spreadsheet drops a leading tab on import, which would leave the formula behind it.
    expect(row("angriber4@demo-kommune.dk")?.[0]).toBe("'\t=1+1");
    // No cell slid into the next column.
    for (const cells of rows) expect(cells).toHaveLength(header!.length);
  });

  it("reminds only those with a seat who have not started", async () => {
    const before = db.select().from(outboxEmails).all().length;
    const cookie = await sessionCookieFor(demoEmails.admin);
    const response = await settle(() =>
      adminRoute.action(routeArgs(formRequest("/administration", { intent: "remind", organisationId: "1" }, cookie))),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { notice: { values: { count: number } } }).notice.values.count).toBe(3);
    const sent = db.select().from(outboxEmails).all().slice(before);
    expect(sent.map((m) => m.to).sort()).toEqual([demoEmails.admin, demoEmails.learner, demoEmails.healthVisitor]);
    expect(sent[0]?.subject).toBe("Husk dine film på Rettidig");
  });
});
