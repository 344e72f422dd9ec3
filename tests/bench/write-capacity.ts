import { fork } from "node:child_process";
import path from "node:path";
import { and, asc, eq, isNull, like } from "drizzle-orm";
import { courses, moduleProgress, modules, seats, users } from "#db/schema";
import { db, sqlite } from "~/db.server";
import { projectRoot } from "../setup/paths";
import { answers as quizAnswers, storedQuestions } from "../utils/quizzes";
import { fixed, printTable, summarise, whole } from "./report";
import type { WriterResult, WriterTask } from "./write-capacity-worker";

/** The player's report interval: one viewer is one progress write every ten seconds. */
const REPORT_EVERY_SECONDS = 10;
/** What one machine should carry at most: half its measured capacity, leaving room for bursts, backups and page views. */
const HEADROOM = 0.5;

export type WriteCapacityOptions = {
  seconds: number;
  /** How many processes write at once in each run. */
  processCounts: number[];
  /** The national peak: of 50,000 staff, this many watching at the same moment. */
  nationalViewers: number;
  /** Share of writes that are quiz attempts and seat changes; the rest are progress reports. */
  mix: WriterTask["mix"];
};

type Run = { processes: number; paced?: number; results: WriterResult[] };

function writerProcess(task: WriterTask): Promise<{ start: () => Promise<WriterResult> }> {
  const child = fork(path.join(projectRoot, "tests/bench/write-capacity-worker.ts"), [], {
    execArgv: ["--import", "tsx"],
    cwd: projectRoot,
    env: process.env,
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", () =>
      resolve({
        start: () =>
          new Promise<WriterResult>((done, failed) => {
            child.once("message", (result) => done(result as WriterResult));
            child.once("exit", (code) => code !== 0 && failed(new Error(`writer exited with ${code}`)));
            child.send({ go: true });
          }),
      }),
    );
    child.send({ task });
  });
}

/** Everything the writers need, read from the bench database: learners with seats, films, the demo quiz. */
function workload(mix: WriterTask["mix"]) {
  const learners = db
    .select({ id: users.id, seatId: seats.id, licenceId: seats.licenceId })
    .from(users)
    .innerJoin(seats, and(eq(seats.userId, users.id), isNull(seats.revokedAt)))
    .where(like(users.email, "bench-%"))
    .orderBy(asc(users.id))
    .all();
  const licenceId = learners[0]?.licenceId;
  if (licenceId === undefined) throw new Error("The bench database has no bench learners with seats");
  // A demo film not built in the bench's media folder has no length yet; a real one runs about 12 minutes.
  db.update(modules)
    .set({ durationSeconds: 12 * 60 })
    .where(isNull(modules.durationSeconds))
    .run();
  const films = db
    .select({ id: modules.id, durationSeconds: modules.durationSeconds })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(and(eq(modules.published, true), eq(courses.published, true)))
    .all()
    .map((film) => ({ id: film.id, durationSeconds: film.durationSeconds ?? 12 * 60 }));
  const quizModule = db
    .select({ id: modules.id, slug: modules.slug })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(courses.published, true))
    .orderBy(asc(courses.position), asc(modules.position))
    .get();
  if (!quizModule || films.length === 0) throw new Error("The bench database has no published films");
  // A quiz opens once its film is watched.
  db.insert(moduleProgress)
    .values(
      learners.map((learner) => ({
        userId: learner.id,
        moduleId: quizModule.id,
        playedRanges: "[[0,40]]",
        playedMs: 40_000,
        lastPositionMs: 40_000,
        watchedAt: new Date(),
        updatedAt: new Date(),
      })),
    )
    .onConflictDoNothing()
    .run();
  const answers = [...quizAnswers(storedQuestions(quizModule.slug)).entries()];
  return { learners, licenceId, films, quiz: { moduleId: quizModule.id, answers }, mix };
}

async function runWriters(base: ReturnType<typeof workload>, processes: number, seconds: number, paced?: number) {
  const share = Math.floor(base.learners.length / processes);
  const writers = await Promise.all(
    Array.from({ length: processes }, (_, index) => {
      const mine = base.learners.slice(index * share, (index + 1) * share);
      // A tenth of each process's learners have their seat taken back and given again; the others watch and answer.
      const churn = mine.slice(0, Math.max(1, Math.floor(mine.length / 10)));
      return writerProcess({
        seed: 1500 + index,
        seconds,
        perSecond: paced === undefined ? undefined : paced / processes,
        viewers: mine.map((learner) => learner.id),
        films: base.films,
        quiz: base.quiz,
        licenceId: base.licenceId,
        seatHolders: churn.map((learner) => ({ userId: learner.id, seatId: learner.seatId })),
        mix: base.mix,
      });
    }),
  );
  // Started together, once every process has its connection open.
  return Promise.all(writers.map((writer) => writer.start()));
}

function totals(run: Run) {
  const all = (pick: (result: WriterResult) => number[]) => run.results.flatMap(pick);
  const writes = all((r) => r.progressMs).length + all((r) => r.quizMs).length + 2 * all((r) => r.seatMs).length;
  const seconds = Math.max(...run.results.map((r) => r.elapsedMs)) / 1000;
  const errors = run.results.reduce((sum, r) => sum + Object.values(r.errors).reduce((a, b) => a + b, 0), 0);
  return {
    writesPerSecond: writes / seconds,
    progressPerSecond: all((r) => r.progressMs).length / seconds,
    progress: summarise(all((r) => r.progressMs)),
    quiz: summarise(all((r) => r.quizMs)),
    seat: summarise(all((r) => r.seatMs)),
    errors,
    errorKinds: [...new Set(run.results.flatMap((r) => Object.keys(r.errors)))],
  };
}

/**
 * The single SQLite writer under this platform's own writes (progress reports through the real
 * recordProgress, quiz attempts, seat changes), with WAL and the app's pragmas: as fast as 1 and
 * several processes can write, then paced at the national peak, turned into viewers per machine.
 */
export async function benchWriteCapacity(options: WriteCapacityOptions) {
  const runs: Run[] = [];
  for (const processes of options.processCounts) {
    const base = workload(options.mix);
    runs.push({ processes, results: await runWriters(base, processes, options.seconds) });
  }
  const nationalRate = options.nationalViewers / REPORT_EVERY_SECONDS;
  const pacedProcesses = Math.max(...options.processCounts);
  runs.push({
    processes: pacedProcesses,
    paced: nationalRate,
    results: await runWriters(workload(options.mix), pacedProcesses, options.seconds, nationalRate),
  });

  const rows = runs.map((run) => {
    const t = totals(run);
    return [
      run.paced === undefined
        ? `${run.processes} process(es), flat out`
        : `${run.processes} processes at ${whole(run.paced)}/s`,
      whole(t.writesPerSecond),
      fixed(t.progress.p50, 2),
      fixed(t.progress.p99, 2),
      fixed(t.quiz.p99, 2),
      fixed(t.seat.p99, 2),
      t.errors === 0 ? "0" : `${t.errors} (${t.errorKinds.join(", ")})`,
    ];
  });
  const version = String(sqlite().prepare("select sqlite_version()").pluck().get());
  printTable(
    `Write capacity of one SQLite file (${version}, WAL, synchronous=NORMAL, busy_timeout 5 s), ${options.seconds} s per run, mix ${fixed(100 * (1 - options.mix.quiz - options.mix.seat), 0)} % progress / ${fixed(100 * options.mix.quiz, 0)} % quiz / ${fixed(100 * options.mix.seat, 0)} % seat changes`,
    ["Run", "writes/s", "progress p50 ms", "progress p99 ms", "quiz p99 ms", "seat p99 ms", "errors"],
    rows,
  );

  const flatOut = runs.filter((run) => run.paced === undefined).map((run) => ({ run, t: totals(run) }));
  const single = flatOut.find((entry) => entry.run.processes === 1) ?? flatOut[0]!;
  const worst = flatOut.reduce((a, b) => (b.t.writesPerSecond < a.t.writesPerSecond ? b : a));
  // Every viewer also causes the odd quiz and seat change: the mix's other writes ride on the progress reports.
  const viewersAt = (writesPerSecond: number) =>
    writesPerSecond * (1 - options.mix.quiz - options.mix.seat) * REPORT_EVERY_SECONDS * HEADROOM;
  const carried = viewersAt(worst.t.writesPerSecond);
  const paced = totals(runs.at(-1)!);
  printTable(
    "What that carries",
    ["Figure", "Value"],
    [
      [
        "Concurrent viewers, one server process writing (50 % headroom)",
        `${whole(viewersAt(single.t.writesPerSecond))} (${whole(single.t.writesPerSecond)} writes/s)`,
      ],
      [
        `Concurrent viewers, ${worst.run.processes} processes writing (50 % headroom)`,
        `${whole(carried)} (${whole(worst.t.writesPerSecond)} writes/s)`,
      ],
      [
        `National peak: ${whole(options.nationalViewers)} viewers of 50,000 staff`,
        `${whole(nationalRate)} writes/s = ${fixed((100 * nationalRate) / worst.t.writesPerSecond, 1)} % of the lower capacity`,
      ],
      ["p99 of a progress report paced at the national peak (ms)", fixed(paced.progress.p99, 2)],
      ["Another engine is needed past this many viewers at once", whole(carried)],
    ],
    [
      "Ratios are against this run's own flat-out figures. Past the last row, one file's single writer is the limit:",
      "LiteFS or libSQL/Turso keep that one writer (they add replicas for reads and failover, not write capacity);",
      "PostgreSQL through Drizzle (drizzle-orm/node-postgres, the schema moved from sqlite-core to pg-core, async",
      "transactions) is the engine with concurrent writers from several machines.",
    ],
  );
}
