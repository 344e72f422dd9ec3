import { parse } from "csv-parse/sync";
import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  courses,
  memberships,
  modules,
  outboxEmails,
  trainingCycles,
  trainingDigests,
  trainingMailSettings,
  users,
  type Profession,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db, sqlite } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { peopleScope } from "~/licensing/people.server";
import * as adminPage from "~/routes/administration.obligatorisk.overblik/route";
import * as csvRoute from "~/routes/administration.obligatorisk.overblik[.]csv";
import * as leaderPage from "~/routes/leder_.obligatorisk_.overblik/route";
import { complianceSummary, overdueRounds, stateSql, type StateCounts } from "~/training/compliance.server";
import { cycleState, trainingStates, type CycleFacts, type TrainingState } from "~/training/states";
import { sendAdminSummaries } from "~/training/summaries.server";
import { courseIdOf } from "../utils/feedback";
import { formRequest, jsonOf, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { givenAssignment, givenCycle, organisationIdBySlug, unitIdByName } from "../utils/training";

// The pages and the reminder judge rounds by the real clock, so the rounds are laid out around today.
const NOW = new Date();
const TODAY = danishDate(NOW);
const MARCH = new Date("2027-03-10T09:00:00Z");
const COURSE = "unges-egne-fortaellinger";

function setProfession(email: string, profession: Profession | null) {
  db.update(users).set({ profession }).where(eq(users.email, email)).run();
}

function demoScope(asEmail = demoEmails.admin) {
  const scope = peopleScope({ id: userIdByEmail(asEmail) }, organisationIdBySlug("demo-kommune"), null);
  if (!scope) throw new Error(`${asEmail} sees nothing in Demo Kommune`);
  return scope;
}

/** A round's facts for each state on the given day. */
const factsFor = (today: string): Record<TrainingState, Partial<CycleFacts> & { dueOn: string }> => ({
  notStarted: { dueOn: shiftDays(today, 10) },
  inProgress: { dueOn: shiftDays(today, 10), startedAt: new Date(`${shiftDays(today, -2)}T10:00:00Z`) },
  overdue: { dueOn: shiftDays(today, -3), startedAt: new Date(`${shiftDays(today, -9)}T10:00:00Z`) },
  refresh: { dueOn: today, refresher: true },
  completedOnTime: { dueOn: today, completedOn: today },
  completedLate: { dueOn: shiftDays(today, -5), completedOn: shiftDays(today, -1) },
});

function givenRound(email: string, courseSlug: string, state: TrainingState, today = TODAY) {
  const assignment = givenAssignment({ courseId: courseIdOf(courseSlug) });
  const facts = factsFor(today)[state];
  return givenCycle(email, assignment, {
    dueOn: facts.dueOn,
    startedAt: facts.startedAt ?? null,
    refresher: facts.refresher ?? false,
    completedOn: facts.completedOn ?? null,
    completedAt: facts.completedOn ? new Date(`${facts.completedOn}T12:00:00Z`) : null,
  });
}

function countsOf(states: TrainingState[]): StateCounts {
  const counts = { assigned: states.length, ...Object.fromEntries(trainingStates.map((s) => [s, 0])) } as StateCounts;
  for (const state of states) counts[state] += 1;
  return counts;
}

const otherCourse = () =>
  db
    .select({ slug: courses.slug })
    .from(courses)
    .where(sql`${courses.slug} <> ${COURSE}`)
    .orderBy(asc(courses.id))
    .get()!.slug;

describe("the states counted in SQL", () => {
  it("agree with cycleState for every combination of a round's facts", () => {
    const assignment = givenAssignment();
    const dueDays = [shiftDays(TODAY, -1), TODAY, shiftDays(TODAY, 1)];
    const completions = [null, shiftDays(TODAY, -2), TODAY, shiftDays(TODAY, 2)];
    let checked = 0;
    for (const dueOn of dueDays)
      for (const completedOn of completions)
        for (const startedAt of [null, new Date("2027-03-01T10:00:00Z")])
          for (const refresher of [false, true]) {
            const round = givenCycle(demoEmails.learner, assignment, {
              dueOn,
              completedOn,
              completedAt: completedOn ? new Date(`${completedOn}T12:00:00Z`) : null,
              startedAt,
              refresher,
            });
            const inSql = db
              .select({ state: stateSql(TODAY) })
              .from(trainingCycles)
              .where(eq(trainingCycles.id, round.id))
              .get()!.state;
            expect(inSql, JSON.stringify({ dueOn, completedOn, startedAt, refresher })).toBe(
              cycleState({ dueOn, completedOn, startedAt, refresher }, TODAY),
            );
            db.delete(trainingCycles).where(eq(trainingCycles.id, round.id)).run();
            checked += 1;
          }
    expect(checked).toBe(48);
  });
});

describe("complianceSummary", () => {
  it("counts each state per course, unit and profession as cycleState judges each round", () => {
    setProfession(demoEmails.learner, "pedagogue");
    setProfession(demoEmails.leader, "pedagogue");
    setProfession(demoEmails.healthVisitor, "healthVisitor");
    const second = otherCourse();
    const rounds: [string, string, TrainingState][] = [
      [demoEmails.learner, COURSE, "overdue"],
      [demoEmails.leader, COURSE, "completedOnTime"],
      [demoEmails.healthVisitor, COURSE, "completedLate"],
      [demoEmails.admin, COURSE, "notStarted"],
      [demoEmails.learner, second, "inProgress"],
      [demoEmails.healthVisitor, second, "refresh"],
    ];
    for (const [email, slug, state] of rounds) givenRound(email, slug, state);

    const summary = complianceSummary(demoScope(), {}, NOW);
    expect(summary.total).toEqual(countsOf(rounds.map(([, , state]) => state)));
    const unit = (name: string) => summary.units.find((row) => row.name === name)?.counts;
    expect(unit("Skovbrynets Børnehus")).toEqual(countsOf(["overdue", "completedOnTime", "inProgress"]));
    expect(unit("Sundhedsplejen")).toEqual(countsOf(["completedLate", "refresh"]));
    expect(unit("Børne- og Ungeforvaltningen")).toEqual(countsOf(["notStarted"]));
    const profession = (value: Profession | null) =>
      summary.professions.find((row) => row.profession === value)?.counts;
    expect(profession("pedagogue")).toEqual(countsOf(["overdue", "completedOnTime", "inProgress"]));
    expect(profession(null)).toEqual(countsOf(["notStarted"]));
    expect(summary.courses.find((c) => c.id === courseIdOf(COURSE))?.counts).toEqual(
      countsOf(["overdue", "completedOnTime", "completedLate", "notStarted"]),
    );

    const filtered = complianceSummary(demoScope(), { courseId: courseIdOf(second) }, NOW);
    expect(filtered.total).toEqual(countsOf(["inProgress", "refresh"]));
    expect(filtered.courses).toHaveLength(2);
  });

  it("leaves out ended rounds and people who have left the municipality", () => {
    givenRound(demoEmails.learner, COURSE, "overdue");
    givenRound(demoEmails.healthVisitor, COURSE, "notStarted");
    const ended = givenRound(demoEmails.leader, COURSE, "overdue");
    db.update(trainingCycles)
      .set({ endedAt: NOW, endReason: "withdrawn" })
      .where(eq(trainingCycles.id, ended.id))
      .run();
    db.delete(memberships)
      .where(eq(memberships.userId, userIdByEmail(demoEmails.healthVisitor)))
      .run();
    expect(complianceSummary(demoScope(), {}, NOW).total).toEqual(countsOf(["overdue"]));
  });

  it("gives a leader their own unit only", () => {
    givenRound(demoEmails.learner, COURSE, "overdue");
    givenRound(demoEmails.healthVisitor, COURSE, "overdue");
    const scope = demoScope(demoEmails.leader);
    expect(scope.unitId).toBe(unitIdByName("Skovbrynets Børnehus"));
    expect(complianceSummary(scope, {}, NOW).total).toEqual(countsOf(["overdue"]));
    expect(overdueRounds(scope, NOW).map((round) => round.name)).toEqual(["Sofie Nørgaard"]);
  });

  it("lists the overdue oldest first, up to the limit", () => {
    const assignment = givenAssignment();
    givenCycle(demoEmails.learner, assignment, { dueOn: shiftDays(TODAY, -1) });
    givenCycle(demoEmails.healthVisitor, assignment, { dueOn: shiftDays(TODAY, -20) });
    givenCycle(demoEmails.leader, assignment, { dueOn: TODAY });
    expect(overdueRounds(demoScope(), NOW, 10).map((round) => [round.name, round.dueOn])).toEqual([
      ["Mette Dahl", shiftDays(TODAY, -20)],
      ["Sofie Nørgaard", shiftDays(TODAY, -1)],
    ]);
    expect(overdueRounds(demoScope(), NOW, 1)).toHaveLength(1);
  });
});

describe("the overview pages and the CSV file", () => {
  const demoId = () => organisationIdBySlug("demo-kommune");

  it("shows the admin their municipality, and another municipality's admin nothing", async () => {
    givenRound(demoEmails.learner, COURSE, "notStarted");
    const cookie = await sessionCookieFor(demoEmails.admin);
    const page = await settle(() =>
      adminPage.loader(routeArgs(request("/administration/obligatorisk/overblik", { cookie }))),
    );
    const data = await jsonOf<{ summary: { total: StateCounts } }>(page);
    expect(data.summary.total.assigned).toBe(1);

    const neighbour = await sessionCookieFor(demoEmails.neighbourAdmin);
    const refused = await settle(() =>
      adminPage.loader(
        routeArgs(request(`/administration/obligatorisk/overblik?organisation=${demoId()}`, { cookie: neighbour })),
      ),
    );
    expect(refused.status).toBe(404);
    const csv = await settle(() =>
      csvRoute.loader(
        routeArgs(request(`/administration/obligatorisk/overblik.csv?organisation=${demoId()}`, { cookie: neighbour })),
      ),
    );
    expect(csv.status).toBe(404);
  });

  it("writes one CSV line per person and course, with the states in Danish, and a leader's file holds their unit", async () => {
    setProfession(demoEmails.learner, "pedagogue");
    givenRound(demoEmails.learner, COURSE, "completedLate");
    givenRound(demoEmails.healthVisitor, COURSE, "notStarted");
    givenRound(demoEmails.leader, otherCourse(), "completedOnTime");
    const read = async (email: string) => {
      const signedIn = await settle(async () =>
        csvRoute.loader(
          routeArgs(
            request(`/administration/obligatorisk/overblik.csv?organisation=${demoId()}`, {
              cookie: await sessionCookieFor(email),
            }),
          ),
        ),
      );
      expect(signedIn.status).toBe(200);
      expect(signedIn.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      return parse((await signedIn.text()).replace(/^\uFEFF/, ""), { delimiter: ";" }) as string[][];
    };

    const [header, ...rows] = await read(demoEmails.admin);
    expect(header).toEqual(["Person", "E-mail", "Enhed", "Faggruppe", "Kursus", "Frist", "Status", "Gennemført den"]);
    expect(rows).toHaveLength(3);
    const sofie = rows.find((row) => row[1] === demoEmails.learner);
    expect(sofie).toEqual([
      "Sofie Nørgaard",
      demoEmails.learner,
      "Skovbrynets Børnehus",
      "Pædagog",
      "Unges egne fortællinger",
      factsFor(TODAY).completedLate.dueOn,
      "Gennemført for sent",
      factsFor(TODAY).completedLate.completedOn,
    ]);
    expect(rows.find((row) => row[1] === demoEmails.healthVisitor)?.[6]).toBe("Ikke startet");

    const [, ...leaderRows] = await read(demoEmails.leader);
    expect(leaderRows.map((row) => row[1]).sort()).toEqual([demoEmails.learner, demoEmails.leader].sort());
  });

  it("gives a leader their own unit's page and refuses those who lead nothing", async () => {
    givenRound(demoEmails.learner, COURSE, "overdue");
    givenRound(demoEmails.healthVisitor, COURSE, "overdue");
    const page = await settle(async () =>
      leaderPage.loader(
        routeArgs(request("/leder/obligatorisk/overblik", { cookie: await sessionCookieFor(demoEmails.leader) })),
      ),
    );
    const data = await jsonOf<{ overviews: { overdue: { name: string }[]; summary: { total: StateCounts } }[] }>(page);
    expect(data.overviews).toHaveLength(1);
    expect(data.overviews[0]?.summary.total).toEqual(countsOf(["overdue"]));
    expect(data.overviews[0]?.overdue.map((round) => round.name)).toEqual(["Sofie Nørgaard"]);

    const learner = await settle(async () =>
      leaderPage.loader(
        routeArgs(request("/leder/obligatorisk/overblik", { cookie: await sessionCookieFor(demoEmails.learner) })),
      ),
    );
    expect(learner.status).toBe(403);
  });
});

describe("Send påmindelse", () => {
  const remind = async (email: string, cycleId: number, page: "admin" | "leader" = "admin") => {
    const cookie = await sessionCookieFor(email);
    const route = page === "admin" ? adminPage : leaderPage;
    const path = page === "admin" ? "/administration/obligatorisk/overblik" : "/leder/obligatorisk/overblik";
    return settle(() =>
      route.action(routeArgs(formRequest(path, { intent: "remind", cycleId: String(cycleId) }, cookie))),
    );
  };
  const mailsTo = (email: string) => db.select().from(outboxEmails).where(eq(outboxEmails.to, email)).all();

  it("mails the overdue person once, with the due date and their first unfinished film, and refuses a second the same day", async () => {
    const round = givenRound(demoEmails.learner, COURSE, "overdue");
    db.update(trainingCycles).set({ dueOn: "2026-01-05" }).where(eq(trainingCycles.id, round.id)).run();
    const first = await remind(demoEmails.admin, round.id);
    const reply = await jsonOf<{ notice: { key: string; values: { name: string } } }>(first);
    expect(reply.notice).toEqual({ key: "compliance.remind.sent", values: { name: "Sofie Nørgaard" } });
    const [mail, ...more] = mailsTo(demoEmails.learner);
    expect(more).toHaveLength(0);
    expect(mail?.subject).toBe("Fristen for Unges egne fortællinger er overskredet");
    expect(mail?.text).toContain("senest 5. januar 2026");
    const firstFilm = db
      .select({ slug: modules.slug })
      .from(modules)
      .where(and(eq(modules.courseId, courseIdOf(COURSE)), eq(modules.published, true)))
      .orderBy(asc(modules.position))
      .get()!.slug;
    expect(mail?.text).toContain(`/kurser/${COURSE}/${firstFilm}\n`);

    const second = await remind(demoEmails.admin, round.id);
    expect(second.status).toBe(429);
    const refusal = (await second.json()) as { result: { error: Record<string, string[]> }; refusalValues: object };
    expect(refusal.result.error[""]).toEqual(["compliance.remind.today"]);
    expect(refusal.refusalValues).toEqual({ name: "Sofie Nørgaard" });
    expect(mailsTo(demoEmails.learner)).toHaveLength(1);
  });

  it("is answered as not found outside the leader's unit or another municipality, and refused when no longer overdue", async () => {
    const mette = givenRound(demoEmails.healthVisitor, COURSE, "overdue");
    expect((await remind(demoEmails.leader, mette.id, "leader")).status).toBe(404);
    expect((await remind(demoEmails.neighbourAdmin, mette.id)).status).toBe(404);
    expect((await remind(demoEmails.admin, 999_999)).status).toBe(404);
    const sofie = givenRound(demoEmails.learner, COURSE, "notStarted");
    const notOverdue = await remind(demoEmails.leader, sofie.id, "leader");
    expect(notOverdue.status).toBe(409);
    expect(mailsTo(demoEmails.healthVisitor)).toHaveLength(0);
    expect(mailsTo(demoEmails.learner)).toHaveLength(0);
  });

  it("lets the leader remind someone overdue in their own unit", async () => {
    const sofie = givenRound(demoEmails.learner, COURSE, "overdue");
    expect((await remind(demoEmails.leader, sofie.id, "leader")).status).toBe(200);
    expect(mailsTo(demoEmails.learner)).toHaveLength(1);
  });
});

describe("sendAdminSummaries", () => {
  const summaries = () =>
    db
      .select()
      .from(outboxEmails)
      .where(sql`${outboxEmails.subject} like 'Obligatoriske kurser: status for %'`)
      .all();

  it("mails each admin once a month, with the counts per course and a link to the overview", async () => {
    givenRound(demoEmails.learner, COURSE, "overdue", danishDate(MARCH));
    givenRound(demoEmails.healthVisitor, COURSE, "completedOnTime", danishDate(MARCH));
    expect(await sendAdminSummaries(MARCH)).toEqual({ sent: 1 });
    expect(await sendAdminSummaries(new Date("2027-03-31T12:00:00Z"))).toEqual({ sent: 0 });
    const [mail] = summaries();
    expect(mail?.to).toBe(demoEmails.admin);
    expect(mail?.subject).toBe("Obligatoriske kurser: status for marts 2027");
    expect(mail?.text).toContain(
      "Unges egne fortællinger: 2 tildelt, 1 gennemført til tiden, 0 gennemført for sent, 0 i gang, 0 ikke startet, 1 med overskredet frist",
    );
    expect(mail?.text).toContain(
      `/administration/obligatorisk/overblik?organisation=${organisationIdBySlug("demo-kommune")}`,
    );
    expect(await sendAdminSummaries(new Date("2027-04-01T08:00:00Z"))).toEqual({ sent: 1 });
    expect(summaries()).toHaveLength(2);
  });

  it("sends nothing when the municipality has switched it off", async () => {
    givenRound(demoEmails.learner, COURSE, "overdue", danishDate(MARCH));
    db.insert(trainingMailSettings)
      .values({ organisationId: organisationIdBySlug("demo-kommune"), adminSummary: false, updatedAt: MARCH })
      .run();
    expect(await sendAdminSummaries(MARCH)).toEqual({ sent: 0 });
    expect(summaries()).toHaveLength(0);
  });

  it("gives the claim back when the mail fails, so the next run sends it", async () => {
    givenRound(demoEmails.learner, COURSE, "overdue", danishDate(MARCH));
    // The outbox refuses the admin's mail, as a mail server that is down would.
    sqlite().exec(`create temp trigger outbox_down before insert on outbox_emails
      when new."to" = '${demoEmails.admin}' begin select raise(abort, 'udbakken er nede'); end`);
    try {
      expect(await sendAdminSummaries(MARCH)).toEqual({ sent: 0 });
    } finally {
      sqlite().exec("drop trigger outbox_down");
    }
    expect(db.select().from(trainingDigests).all()).toHaveLength(0);
    expect(await sendAdminSummaries(MARCH)).toEqual({ sent: 1 });
    expect(db.select().from(trainingDigests).all()).toMatchObject([{ kind: "adminMonthly", period: "2027-03" }]);
  });
});
