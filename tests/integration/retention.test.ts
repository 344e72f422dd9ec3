import { eq, inArray } from "drizzle-orm";
import { memberships, moduleProgressArchive, modules, users, type Profession } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import type { Range } from "~/learning/played-ranges";
import { openPlaybackView, recordProgress } from "~/learning/progress.server";
import { filmRetention, type FilmRetention, type RetentionFilters } from "~/learning/retention.server";
import * as page from "~/routes/ejer.statistik_.film.$moduleId";
import { restartCourse } from "~/training/restart.server";
import { addDemoPeople } from "../utils/feedback";
import { moduleIdBySlug } from "../utils/quizzes";
import { jsonOf, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { bruteForceRetention } from "../utils/retention";
import { givenAssignment, givenCycle, organisationIdBySlug } from "../utils/training";

const FILM = "sofie-ingen-spurgte-til-mig";
const DURATION = 60;
const opened = new Date("2027-02-01T09:00:00Z");
const hours = (count: number) => new Date(opened.getTime() + count * 3_600_000);

/** A round of viewing reported the way the player reports it, an hour after the film was opened. */
function played(userId: number, ranges: Range[], openedAt = opened) {
  const moduleId = moduleIdBySlug(FILM);
  const viewId = openPlaybackView(userId, moduleId, openedAt);
  const result = recordProgress(
    userId,
    { viewId, ranges, positionSeconds: 0, ended: false },
    new Date(openedAt.getTime() + 3_600_000),
  );
  expect(result.status).toBe("ok");
}

type Viewer = { id: number; profession: Profession | null; organisations: string[]; rounds: Range[][] };

/**
 * Seven people whose rounds cover a whole second, in two municipalities; one of them in both, one
 * with a refresher round, one who only glimpsed the film, and the owner, who is never counted.
 */
function givenViewings(): Viewer[] {
  const [p1, p2, p3, p4] = addDemoPeople(4);
  const sofie = userIdByEmail(demoEmails.learner);
  const viewers: Viewer[] = [
    { id: sofie, profession: "pedagogue", organisations: ["demo-kommune"], rounds: [[[0, 60]]] },
    {
      id: userIdByEmail(demoEmails.leader),
      profession: "pedagogue",
      organisations: ["demo-kommune"],
      rounds: [
        [
          [0, 12.3],
          [30.2, 41.75],
        ],
      ],
    },
    {
      id: userIdByEmail(demoEmails.healthVisitor),
      profession: "healthVisitor",
      organisations: ["demo-kommune", "nabo-kommune"],
      rounds: [[[0, 33.5]]],
    },
    { id: p1!, profession: "pedagogue", organisations: ["demo-kommune"], rounds: [[[0, 60]]] },
    { id: p2!, profession: "pedagogue", organisations: ["demo-kommune"], rounds: [[[5, 59.7]]] },
    {
      id: p3!,
      profession: "pedagogue",
      organisations: ["demo-kommune"],
      rounds: [
        [
          [0, 8.8],
          [8.9, 14.42],
          [20, 22.1],
        ],
      ],
    },
    { id: p4!, profession: "teacher", organisations: ["demo-kommune"], rounds: [[[10.2, 10.4]]] },
    {
      id: userIdByEmail(demoEmails.neighbourLearner),
      profession: "teacher",
      organisations: ["nabo-kommune"],
      rounds: [[[0, 25]]],
    },
  ];
  db.update(modules).set({ durationSeconds: DURATION }).where(eq(modules.slug, FILM)).run();
  db.insert(memberships)
    .values({ userId: viewers[2]!.id, organisationId: organisationIdBySlug("nabo-kommune"), role: "learner" })
    .run();
  for (const viewer of viewers) {
    db.update(users).set({ profession: viewer.profession }).where(eq(users.id, viewer.id)).run();
    played(viewer.id, viewer.rounds[0]!);
  }
  played(userIdByEmail(demoEmails.owner), [[0, 60]]);

  // Sofie's refresher: the first round is archived, and she watches again and stops a third in.
  const assignment = givenAssignment();
  const round = givenCycle(demoEmails.learner, assignment);
  expect(db.transaction((tx) => restartCourse(tx, sofie, assignment.courseId, round.id, hours(24)))).toBe(true);
  const secondRound: Range[] = [
    [0, 20.4],
    [45, 60],
  ];
  played(sofie, secondRound, hours(48));
  viewers[0]!.rounds.push(secondRound);
  return viewers;
}

/** The figures for a group, worked out second by second from the ranges the test itself played. */
function byHand(viewers: Viewer[], include: (viewer: Viewer) => boolean) {
  return bruteForceRetention(
    viewers.filter(include).flatMap((viewer) => viewer.rounds),
    DURATION,
  );
}

function shown(retention: FilmRetention) {
  expect(retention.status).toBe("shown");
  if (retention.status !== "shown") throw new Error(retention.status);
  return retention;
}

const film = () => ({ id: moduleIdBySlug(FILM), durationSeconds: DURATION });
const all: RetentionFilters = { organisationId: null, profession: null };

describe("the owner's retention curve", () => {
  it("matches, second by second, the ranges played, with each refresher round a viewing of its own", () => {
    const viewers = givenViewings();
    const archived = db
      .select({ playedRanges: moduleProgressArchive.playedRanges })
      .from(moduleProgressArchive)
      .where(inArray(moduleProgressArchive.userId, [viewers[0]!.id]))
      .all();
    expect(archived.map((row) => JSON.parse(row.playedRanges))).toContainEqual([[0, 60]]);

    const retention = shown(filmRetention(film(), all));
    const expected = byHand(viewers, () => true);
    expect(retention.people).toBe(7);
    expect(retention.counts.viewings).toBe(8);
    for (let second = 0; second < DURATION; second += 1) {
      expect([second, retention.counts.watching[second]]).toEqual([second, expected.watching[second]]);
      expect([second, retention.counts.dropOffs[second]]).toEqual([second, expected.dropOffs[second]]);
      expect([second, retention.counts.seekAways[second]]).toEqual([second, expected.seekAways[second]]);
    }
    // Spot checks of the hand count itself: everyone but the latecomer at the start; two whole
    // viewings, the late starter and Sofie's second round in the last second.
    expect(expected.watching[0]).toBe(7);
    expect(expected.watching[59]).toBe(4);
    expect(expected.dropOffs[33]).toBe(1);
    expect(expected.seekAways[20]).toBe(1);
  });

  it("narrows to a municipality, counting a member of two in each, and to a profession", () => {
    const viewers = givenViewings();
    const demo = organisationIdBySlug("demo-kommune");
    const inDemo = shown(filmRetention(film(), { organisationId: demo, profession: null }));
    expect(inDemo.people).toBe(6);
    expect(inDemo.counts).toEqual(byHand(viewers, (viewer) => viewer.organisations.includes("demo-kommune")));

    const pedagogues = shown(filmRetention(film(), { organisationId: null, profession: "pedagogue" }));
    expect(pedagogues.people).toBe(5);
    expect(pedagogues.counts).toEqual(byHand(viewers, (viewer) => viewer.profession === "pedagogue"));

    // Two people in Nabo Kommune (its own learner and the health visitor who is a member of both),
    // and one teacher whose round counts (the other only glimpsed the film): fewer than five.
    const nabo = organisationIdBySlug("nabo-kommune");
    expect(filmRetention(film(), { organisationId: nabo, profession: null })).toEqual({ status: "tooFew" });
    expect(filmRetention(film(), { organisationId: null, profession: "teacher" })).toEqual({ status: "tooFew" });
    expect(filmRetention(film(), { organisationId: demo, profession: "healthVisitor" })).toEqual({ status: "tooFew" });
  });

  it("says nothing for a film that has no length yet", () => {
    givenViewings();
    expect(filmRetention({ id: moduleIdBySlug(FILM), durationSeconds: null }, all)).toEqual({ status: "noFilm" });
  });

  it("is the owner's page: status first, the figures, the filters from the address and refusals", async () => {
    const viewers = givenViewings();
    const moduleId = String(moduleIdBySlug(FILM));
    const owner = await sessionCookieFor(demoEmails.owner);
    const load = (query: string, cookie = owner, id = moduleId) =>
      settle(() => page.loader(routeArgs(request(`/ejer/statistik/film/${id}${query}`, { cookie }), { moduleId: id })));

    type Data = { film: { id: number }; retention: FilmRetention };
    const whole = await jsonOf<Data>(await load(""));
    expect(whole.film.id).toBe(Number(moduleId));
    expect(shown(whole.retention).counts).toEqual(byHand(viewers, () => true));

    const pedagogues = await jsonOf<Data>(await load("?faggruppe=pedagogue"));
    expect(shown(pedagogues.retention).people).toBe(5);
    const nabo = await jsonOf<Data>(await load(`?kommune=${organisationIdBySlug("nabo-kommune")}`));
    expect(nabo.retention).toEqual({ status: "tooFew" });

    // Picking another film in the form leads to that film's own address, the chosen filters kept.
    const picked = await load("?film=3&kommune=&faggruppe=teacher");
    expect(picked.status).toBe(302);
    expect(picked.headers.get("Location")).toBe("/ejer/statistik/film/3?faggruppe=teacher");

    for (const [query, status, message] of [
      ["?kommune=to", 400, "retention.filterUnreadable"],
      ["?faggruppe=astronaut", 400, "retention.filterUnreadable"],
      ["?film=1e3", 400, "retention.filterUnreadable"],
      ["?kommune=999", 404, "notFound.organisation"],
    ] as const) {
      const refused = await load(query);
      expect([query, refused.status]).toEqual([query, status]);
      expect(await refused.json()).toEqual({ message });
    }
    expect((await load("", owner, "999")).status).toBe(404);
    expect((await load("", owner, "abc")).status).toBe(404);

    const learner = await sessionCookieFor(demoEmails.learner);
    const admin = await sessionCookieFor(demoEmails.admin);
    expect((await load("", learner)).status).toBe(404);
    expect((await load("", admin)).status).toBe(404);
    const anonymous = await load("", "");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/log-ind/);
  });
});
