import { performance } from "node:perf_hooks";
import { submitAttempt } from "~/learning/quizzes.server";
import { openPlaybackView, recordProgress } from "~/learning/progress.server";
import { claimSeat, revokeSeat } from "~/licensing/licences.server";
import { seededRandom } from "./random";

/**
 * One writing process of the write-capacity bench (write-capacity.ts forks it): its own
 * connection to the bench database, through the app's own functions and pragmas, writing the
 * platform's mix until the deadline, as fast as it can or at a given pace.
 */
export type WriterTask = {
  seed: number;
  seconds: number;
  /** Operations a second for this process; absent: as fast as the database takes them. */
  perSecond?: number;
  viewers: number[];
  films: { id: number; durationSeconds: number }[];
  quiz: { moduleId: number; answers: [number, number[]][] };
  licenceId: number;
  seatHolders: { userId: number; seatId: number }[];
  mix: { quiz: number; seat: number };
};

export type WriterResult = {
  progressMs: number[];
  quizMs: number[];
  seatMs: number[];
  errors: Record<string, number>;
  elapsedMs: number;
};

const REPORT_EVERY_SECONDS = 10;

type Viewing = { userId: number; moduleId: number; duration: number; viewId: string; openedAt: number; sent: number };

function run(task: WriterTask): Promise<WriterResult> {
  const random = seededRandom(task.seed);
  const answers = new Map(task.quiz.answers);
  const seatHolders = task.seatHolders.map((holder) => ({ ...holder }));
  const result: WriterResult = { progressMs: [], quizMs: [], seatMs: [], errors: {}, elapsedMs: 0 };
  const open = (): Viewing => {
    const userId = random.pick(task.viewers);
    const film = random.pick(task.films);
    const openedAt = Date.now() - random.int(0, 3600) * 1000;
    const viewId = openPlaybackView(userId, film.id, new Date(openedAt));
    return { userId, moduleId: film.id, duration: film.durationSeconds, viewId, openedAt, sent: 0 };
  };
  const viewings = Array.from({ length: 64 }, open);

  const progress = () => {
    const slot = random.int(0, viewings.length - 1);
    const viewing = viewings[slot]!;
    viewing.sent += 1;
    const end = Math.min(viewing.duration, viewing.sent * REPORT_EVERY_SECONDS);
    const ended = end >= viewing.duration;
    const outcome = recordProgress(
      viewing.userId,
      { viewId: viewing.viewId, ranges: [[0, end]], positionSeconds: end, ended },
      new Date(viewing.openedAt + viewing.sent * REPORT_EVERY_SECONDS * 1000),
    );
    if (outcome.status !== "ok") throw new Error(`progress ${outcome.status}`);
    if (ended || viewing.sent >= 60) viewings[slot] = open();
  };
  const quiz = () => {
    const outcome = submitAttempt(random.pick(task.viewers), task.quiz.moduleId, answers);
    if (outcome.status !== "graded") throw new Error(`quiz ${outcome.status}`);
  };
  // An admin takes a seat back and it is taken again: two writes, as on the people page.
  const seat = () => {
    const holder = random.pick(seatHolders);
    revokeSeat(holder.seatId);
    const claimed = claimSeat(task.licenceId, holder.userId);
    if (claimed.status !== "claimed") throw new Error(`seat ${claimed.status}`);
    holder.seatId = claimed.seatId;
  };

  const started = performance.now();
  const deadline = started + task.seconds * 1000;
  const gap = task.perSecond ? 1000 / task.perSecond : 0;
  let due = started;
  return new Promise((resolve) => {
    const loop = async () => {
      while (performance.now() < deadline) {
        if (gap > 0) {
          const wait = due - performance.now();
          if (wait > 1) await new Promise((next) => setTimeout(next, wait));
        }
        const roll = random.next();
        const [kind, operation, samples] =
          roll < task.mix.seat
            ? (["seat", seat, result.seatMs] as const)
            : roll < task.mix.seat + task.mix.quiz
              ? (["quiz", quiz, result.quizMs] as const)
              : (["progress", progress, result.progressMs] as const);
        // Paced, latency counts from when the operation was due, so time spent queued behind a slow write shows.
        const from = gap > 0 ? due : performance.now();
        try {
          operation();
          samples.push(performance.now() - from);
        } catch (error) {
          const code = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
          result.errors[`${kind}: ${code}`] = (result.errors[`${kind}: ${code}`] ?? 0) + 1;
        }
        due += gap;
      }
      result.elapsedMs = performance.now() - started;
      resolve(result);
    };
    void loop();
  });
}

let task: WriterTask | undefined;
process.on("message", (message: { task?: WriterTask; go?: true }) => {
  if (message.task) {
    task = message.task;
    process.send?.("ready");
  } else if (message.go && task) {
    void run(task).then((result) => process.send?.(result, () => process.exit(0)));
  }
});
