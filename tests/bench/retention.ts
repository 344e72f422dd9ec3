import { asc, desc, eq, isNull } from "drizzle-orm";
import { moduleProgress, modules, organisations, professions, users } from "#db/schema";
import { db } from "~/db.server";
import type { Range } from "~/learning/played-ranges";
import { filmRetention, retentionFilm, type RetentionFilters } from "~/learning/retention.server";
import { seededRandom, type Random } from "./random";
import { fixed, printTable, summarise, timed, whole } from "./report";
import * as page from "~/routes/ejer.statistik_.film.$moduleId";
import { request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

export type RetentionOptions = {
  /** Learners with played ranges on the film, taken from those the earlier benches added. */
  viewers: number;
  durationSeconds: number;
  runs: number;
};

/**
 * How a viewing might go: most start at the beginning, a few late; some skip ahead once or twice;
 * the stop is anywhere, weighted towards the end, as on a film most people finish.
 */
function viewing(random: Random, duration: number): Range[] {
  const ranges: Range[] = [];
  let cursor = random.chance(0.9) ? 0 : random.between(0, duration / 3);
  const stop = random.chance(0.6) ? duration : random.between(cursor + 1, duration);
  while (cursor < stop) {
    const end = random.chance(0.2) ? Math.min(stop, cursor + random.between(5, duration / 3)) : stop;
    ranges.push([Math.round(cursor * 100) / 100, Math.round(end * 100) / 100]);
    cursor = end + random.between(3, 30);
  }
  return ranges;
}

/** The owner's retention curve over many viewers: the figures, filtered and whole, and the page's loader. */
export async function benchRetention(options: RetentionOptions) {
  const random = seededRandom(1313);
  const film = db.select({ id: modules.id }).from(modules).orderBy(desc(modules.id)).get();
  if (!film) throw new Error("The bench database has no module");
  db.update(modules).set({ durationSeconds: options.durationSeconds }).where(eq(modules.id, film.id)).run();
  const learners = db
    .select({ id: users.id })
    .from(users)
    .where(isNull(users.platformRole))
    .orderBy(asc(users.id))
    .limit(options.viewers)
    .all();
  if (learners.length < options.viewers) throw new Error(`Only ${learners.length} learners in the bench database`);
  const now = new Date();
  db.transaction((tx) => {
    for (const learner of learners) {
      tx.update(users)
        .set({ profession: random.pick(professions) })
        .where(eq(users.id, learner.id))
        .run();
      const playedRanges = JSON.stringify(viewing(random, options.durationSeconds));
      tx.insert(moduleProgress)
        .values({ userId: learner.id, moduleId: film.id, playedRanges, playedMs: 0, updatedAt: now })
        .onConflictDoUpdate({ target: [moduleProgress.userId, moduleProgress.moduleId], set: { playedRanges } })
        .run();
    }
  });

  const measured = retentionFilm(film.id)!;
  const demo = db.select({ id: organisations.id }).from(organisations).orderBy(asc(organisations.id)).get()!;
  const cases: Array<[string, RetentionFilters]> = [
    ["filmRetention() (all municipalities)", { organisationId: null, profession: null }],
    ["filmRetention() (one municipality)", { organisationId: demo.id, profession: null }],
    ["filmRetention() (one profession)", { organisationId: null, profession: "pedagogue" }],
  ];
  const rows = [];
  let people = 0;
  for (const [name, filters] of cases) {
    const samples: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      const result = await timed(samples, () => filmRetention(measured, filters));
      if (result.status === "shown" && filters.organisationId == null && filters.profession == null)
        people = result.people;
    }
    const summary = summarise(samples);
    rows.push([name, whole(summary.count), fixed(summary.p50), fixed(summary.p95), fixed(summary.maxMs)]);
  }

  const cookie = await sessionCookieFor("ejer@rettidig.dk");
  const loaderSamples: number[] = [];
  for (let run = 0; run < options.runs; run++)
    await timed(loaderSamples, async () => {
      const response = await settle(() =>
        page.loader(routeArgs(request(`/ejer/statistik/film/${film.id}`, { cookie }), { moduleId: String(film.id) })),
      );
      if (response.status !== 200) throw new Error(`The page answered ${response.status}`);
      return response.text();
    });
  const loader = summarise(loaderSamples);
  rows.push([
    "page loader (session, figures, JSON)",
    whole(loader.count),
    fixed(loader.p50),
    fixed(loader.p95),
    fixed(loader.maxMs),
  ]);

  printTable("Where viewers stop", ["Operation", "count", "p50 ms", "p95 ms", "max ms"], rows, [
    `${whole(people)} viewers of a ${whole(options.durationSeconds)} s film; a viewing has 1–4 ranges, and each viewer is given a random profession.`,
  ]);
}
