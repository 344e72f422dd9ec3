import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { eq, like, sql } from "drizzle-orm";
import { moduleProgress, modules, users } from "#db/schema";
import { db } from "~/db.server";
import type { ProgressReport, Range } from "~/learning/played-ranges";
import { openPlaybackView, recordProgress } from "~/learning/progress.server";
import * as progressRoute from "~/routes/api.progress";
import { request, routeArgs, sessionCookieFor, settle } from "../utils/requests";
import { fixed, printTable, summarise, whole, type Summary } from "./report";
import { seededRandom, type Random } from "./random";

/** The player's REPORT_INTERVAL_MS. */
const REPORT_EVERY_SECONDS = 10;

export type ProgressOptions = {
  reports: number;
  warmup: number;
  /** Films being watched at the same time; their reports are interleaved as a server would see them. */
  concurrentViewings: number;
  actionReports: number;
  /** The HTTP action needs a session per learner, so it uses a subset of them. */
  actionUsers: number;
  databaseFile: string;
};

type Viewing = {
  userId: number;
  moduleId: number;
  durationSeconds: number;
  viewId: string;
  openedAtMs: number;
  startSeconds: number;
  /** After this many reports the viewer jumps ahead, which makes the stored ranges non-contiguous. */
  seekAfter: number | null;
  seekToSeconds: number;
  reportsPlanned: number;
  sent: number;
  cookie?: string;
};

type Learner = { id: number; cookie?: string };
type Film = { id: number; durationSeconds: number };

const hundredths = (seconds: number) => Math.round(seconds * 100) / 100;

/** Cumulative, as the player sends it: every range played since the view opened. */
function nextReport(viewing: Viewing, random: Random): { report: ProgressReport; finished: boolean } {
  const k = viewing.sent + 1;
  const end = (from: number, reports: number) =>
    Math.min(viewing.durationSeconds, from + reports * REPORT_EVERY_SECONDS);
  // The open range ends wherever the last timeupdate happened to land; a closed one no longer moves.
  const openEnd = (from: number, reports: number) =>
    Math.min(viewing.durationSeconds, end(from, reports) + random.between(0, 0.25));
  const ranges: Range[] =
    viewing.seekAfter !== null && k > viewing.seekAfter
      ? [
          [viewing.startSeconds, end(viewing.startSeconds, viewing.seekAfter)],
          [viewing.seekToSeconds, openEnd(viewing.seekToSeconds, k - viewing.seekAfter)],
        ]
      : [[viewing.startSeconds, openEnd(viewing.startSeconds, k)]];
  const rounded = ranges.map(([start, stop]): Range => [hundredths(start), hundredths(stop)]);
  const position = rounded.at(-1)?.[1] ?? 0;
  const ended = position >= viewing.durationSeconds;
  viewing.sent = k;
  return {
    report: { viewId: viewing.viewId, ranges: rounded, positionSeconds: position, ended },
    finished: ended || k >= viewing.reportsPlanned,
  };
}

function planViewing(random: Random, learner: Learner, film: Film, openedAtMs: number, viewId: string): Viewing {
  const duration = film.durationSeconds;
  // Resumed viewings land next to ranges stored earlier, which is the merge work a returning viewer causes.
  const startSeconds = random.chance(0.6) ? 0 : hundredths(random.between(0, duration * 0.8));
  const seekAfter = random.chance(0.2) ? random.int(2, 8) : null;
  const seekFrom = startSeconds + (seekAfter ?? 0) * REPORT_EVERY_SECONDS;
  const seekToSeconds = hundredths(Math.min(duration - 20, seekFrom + random.between(30, 200)));
  return {
    userId: learner.id,
    moduleId: film.id,
    durationSeconds: duration,
    viewId,
    openedAtMs,
    startSeconds,
    seekAfter: seekAfter !== null && seekToSeconds > seekFrom ? seekAfter : null,
    seekToSeconds,
    reportsPlanned: random.int(6, 60),
    sent: 0,
    cookie: learner.cookie,
  };
}

type PhaseResult = {
  latency: Summary;
  openLatency: Summary;
  acceptedSeconds: number;
  refusedSeconds: number;
  viewings: number;
};

type Send = (viewing: Viewing, report: ProgressReport, nowMs: number) => Promise<{ accepted: number; refused: number }>;

/**
 * Keeps `concurrent` viewings going and sends their reports round-robin; a viewing that ends
 * is replaced by a new one for another learner and film, as on a busy morning of training.
 */
async function simulate(
  random: Random,
  learners: Learner[],
  films: Film[],
  options: { reports: number; warmup: number; concurrent: number; openedAt: (round: number) => number },
  send: Send,
): Promise<PhaseResult> {
  const samples: number[] = [];
  const openSamples: number[] = [];
  let accepted = 0;
  let refused = 0;
  let viewings = 0;

  const open = (round: number): Viewing => {
    const learner = random.pick(learners);
    const film = random.pick(films);
    const openedAtMs = options.openedAt(round) + random.between(0, REPORT_EVERY_SECONDS * 1000);
    const started = performance.now();
    const viewId = openPlaybackView(learner.id, film.id, new Date(openedAtMs));
    openSamples.push(performance.now() - started);
    viewings++;
    return planViewing(random, learner, film, openedAtMs, viewId);
  };

  const pool = Array.from({ length: options.concurrent }, () => open(0));
  const total = options.warmup + options.reports;
  let sent = 0;
  for (let round = 1; sent < total; round++) {
    for (let slot = 0; slot < pool.length && sent < total; slot++) {
      const viewing = pool[slot]!;
      const { report, finished } = nextReport(viewing, random);
      const nowMs = viewing.openedAtMs + viewing.sent * REPORT_EVERY_SECONDS * 1000 + random.between(0, 400);
      const started = performance.now();
      const result = await send(viewing, report, nowMs);
      const elapsed = performance.now() - started;
      if (sent >= options.warmup) {
        samples.push(elapsed);
        accepted += result.accepted;
        refused += result.refused;
      }
      sent++;
      if (finished) pool[slot] = open(round);
    }
  }
  return {
    latency: summarise(samples),
    openLatency: summarise(openSamples),
    acceptedSeconds: accepted,
    refusedSeconds: refused,
    viewings,
  };
}

function row(label: string, summary: Summary): (string | number)[] {
  return [
    label,
    whole(summary.count),
    whole((summary.count / summary.totalMs) * 1000),
    fixed(summary.p50, 3),
    fixed(summary.p95, 3),
    fixed(summary.p99, 3),
    fixed(summary.maxMs, 3),
  ];
}

export async function benchProgress(options: ProgressOptions) {
  const random = seededRandom(20260101);

  // Real films are several minutes long, so a viewing spans many reports and ranges grow as they would.
  const films: Film[] = db
    .select({ id: modules.id })
    .from(modules)
    .all()
    .map((film) => ({ id: film.id, durationSeconds: random.int(8, 25) * 60 }));
  db.transaction((tx) => {
    for (const film of films)
      tx.update(modules).set({ durationSeconds: film.durationSeconds }).where(eq(modules.id, film.id)).run();
  });

  const learners: Learner[] = db.select({ id: users.id }).from(users).where(like(users.email, "bench-%")).all();
  if (learners.length === 0) throw new Error("The bench database has no bench learners");

  const simStart = Date.UTC(2026, 0, 5, 8, 0, 0);
  const direct = await simulate(
    random,
    learners,
    films,
    {
      reports: options.reports,
      warmup: options.warmup,
      concurrent: options.concurrentViewings,
      openedAt: (round) => simStart + round * REPORT_EVERY_SECONDS * 1000,
    },
    async (viewing, report, nowMs) => {
      const result = recordProgress(viewing.userId, report, new Date(nowMs));
      if (result.status !== "ok") throw new Error(`recordProgress answered ${result.status}`);
      return { accepted: result.acceptedSeconds, refused: result.refusedSeconds };
    },
  );

  // The action reads the real clock, so its views are opened far enough back for every report to fit the budget.
  const actionLearners: Learner[] = [];
  for (const learner of learners.slice(0, options.actionUsers)) {
    const email = db.select({ email: users.email }).from(users).where(eq(users.id, learner.id)).get()?.email ?? "";
    actionLearners.push({ id: learner.id, cookie: await sessionCookieFor(email) });
  }
  const longAgo = Date.now() - 6 * 3600 * 1000;
  const viaAction = await simulate(
    random,
    actionLearners,
    films,
    {
      reports: options.actionReports,
      warmup: Math.min(options.warmup, options.actionReports),
      concurrent: Math.min(options.concurrentViewings, options.actionUsers * 2),
      openedAt: () => longAgo,
    },
    async (viewing, report) => {
      const response = await settle(() =>
        progressRoute.action(
          routeArgs(
            request("/api/progress", {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify(report),
              cookie: viewing.cookie,
            }),
          ),
        ),
      );
      if (response.status !== 200)
        throw new Error(`POST /api/progress answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      return { accepted: 0, refused: 0 };
    },
  );

  const stored = db
    .select({
      rows: sql<number>`count(*)`,
      ranges: sql<number>`avg(json_array_length(${moduleProgress.playedRanges}))`,
    })
    .from(moduleProgress)
    .get();
  const bytes = ["", "-wal"].reduce(
    (sum, suffix) => sum + (fs.statSync(`${options.databaseFile}${suffix}`, { throwIfNoEntry: false })?.size ?? 0),
    0,
  );

  printTable(
    "1. Progress recording (SQLite, WAL, synchronous=NORMAL; one call at a time)",
    ["operation", "calls", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms"],
    [
      row("recordProgress()", direct.latency),
      row("POST /api/progress action", viaAction.latency),
      row("openPlaybackView()", direct.openLatency),
    ],
    [
      `${whole(direct.viewings)} viewings by ${learners.length} learners over ${films.length} films (8–25 min), ${options.concurrentViewings} at a time, a report every ${REPORT_EVERY_SECONDS} s of film; first ${options.warmup} reports not timed.`,
      `recordProgress credited ${whole(direct.acceptedSeconds / 60)} min of viewing and refused ${fixed(direct.refusedSeconds, 1)} s; ops/s = calls ÷ time inside the call.`,
      `The action row adds the session cookie lookup, JSON parsing and zod validation (${actionLearners.length} signed-in learners).`,
      `Afterwards: ${whole(stored?.rows ?? 0)} module_progress rows, ${fixed(stored?.ranges ?? 0, 2)} ranges each on average, ${fixed(bytes / 2 ** 20, 1)} MB database + WAL.`,
    ],
  );
}
