import http from "node:http";
import { performance } from "node:perf_hooks";
import { like } from "drizzle-orm";
import { users } from "#db/schema";
import { createSession } from "~/auth/session.server";
import { db } from "~/db.server";
import { freePort } from "../fakes/nginx";
import { SEGMENT_BYTES, SEGMENT_SECONDS, writeBenchFilm, type BenchFilm } from "./film-fixture";
import { startPlatform } from "../utils/platform-process";
import { ensureBuild } from "./platform-server";
import { fixed, printTable, summarise, whole } from "./report";

/** The player's REPORT_INTERVAL_MS (app/components/video-player/use-progress-reporter.ts). */
const REPORT_EVERY_SECONDS = 10;
/** Module pages rendered at the same time before the run. */
const PAGES_AT_ONCE = 8;
const KINDS = ["page", "playlist", "segment", "progress"] as const;
type Kind = (typeof KINDS)[number];

export type LoadOptions = {
  viewers: number;
  seconds: number;
  databaseFile: string;
  mediaDir: string;
  sessionSecret: string;
};

type Answer = { status: number; bytes: number; text: string | null };

/**
 * One request on a viewer's own keep-alive connections, read to its last byte. Only short answers
 * (pages, playlists, progress) are kept as text; a segment's bytes are counted and dropped.
 */
function send(
  agent: http.Agent,
  url: URL,
  init: { method?: string; headers: Record<string, string>; body?: string; keepText: boolean },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { agent, method: init.method ?? "GET", headers: init.headers }, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.byteLength;
        if (init.keepText) chunks.push(chunk);
      });
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          bytes,
          text: init.keepText ? Buffer.concat(chunks).toString("utf8") : null,
        }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

type Tally = {
  latencies: Record<Kind, number[]>;
  errors: Record<Kind, number>;
  firstErrors: string[];
  bytes: number;
};

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

type Viewer = {
  agent: http.Agent;
  /** One request, timed and checked; null (and counted as an error) unless the status, length and `check` all pass. */
  call(
    kind: Kind,
    path: string,
    expect: { status: number; bytes?: number },
    init?: { method?: string; body?: string; headers?: Record<string, string> },
    check?: (text: string) => string | null,
  ): Promise<string | null>;
};

function viewer(origin: string, cookie: string, tally: Tally): Viewer {
  // A browser holds up to six connections to a host; one viewer's requests never queue behind another's.
  // Without a timeout of its own, Node's agent ignores the server's Keep-Alive hint and reuses a
  // connection the server is closing that moment (ECONNRESET), which a browser would retry unseen.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6, timeout: 60_000 });
  const headers = { Cookie: cookie, Origin: origin };
  const failed = (kind: Kind, message: string) => {
    tally.errors[kind]++;
    if (tally.firstErrors.length < 5) tally.firstErrors.push(`${kind} ${message}`);
    return null;
  };
  return {
    agent,
    async call(kind, path, expect, init = {}, check = () => null) {
      const started = performance.now();
      try {
        const answer = await send(agent, new URL(path, origin), {
          ...init,
          headers: { ...headers, ...init.headers },
          keepText: kind !== "segment",
        });
        const elapsed = performance.now() - started;
        tally.bytes += answer.bytes;
        const problem =
          answer.status !== expect.status || (expect.bytes !== undefined && answer.bytes !== expect.bytes)
            ? `expected ${expect.status}${expect.bytes === undefined ? "" : ` with ${expect.bytes} bytes`}, got ${answer.status} with ${answer.bytes}: ${(answer.text ?? "").slice(0, 200)}`
            : check(answer.text ?? "");
        if (problem !== null) return failed(kind, `${path}: ${problem}`);
        tally.latencies[kind].push(elapsed);
        return answer.text;
      } catch (error) {
        return failed(kind, `${path}: ${String(error)}`);
      }
    },
  };
}

type Opened = { base: string; viewId: string };

/** The module page, as the viewer opens it: its loader signs the film's address and a playback view. */
async function openPage(person: Viewer, pagePath: string): Promise<Opened | null> {
  let opened: Opened | null = null;
  await person.call("page", pagePath, { status: 200 }, {}, (page) => {
    // The player's poster carries the film's signed address; the view id travels in the loader data Remix streams.
    const base = /poster="(\/media\/[^"/]+\/[^"/]+)\/poster\.jpg"/.exec(page)?.[1];
    const viewId = /viewId\\?",\\?"([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(page)?.[1];
    if (!base || !viewId) return "no film address or view id in the page";
    opened = { base, viewId };
    return null;
  });
  return opened;
}

/**
 * One person watching the film as the player does: the master and variant playlists, then one
 * segment per segment duration, and the ranges played reported every ten seconds. Nothing starts
 * after `deadline`; what is under way is finished and counted.
 */
async function watch(person: Viewer, { base, viewId }: Opened, startAt: number, deadline: number, film: BenchFilm) {
  await sleepUntil(startAt);
  const master = await person.call("playlist", `${base}/master.m3u8`, {
    status: 200,
    bytes: film.files.get("master.m3u8"),
  });
  const variantPath = master?.split("\n").find((line) => line.endsWith(".m3u8"));
  if (!variantPath) return;
  const variant = await person.call("playlist", `${base}/${variantPath}`, {
    status: 200,
    bytes: film.files.get(variantPath),
  });
  const variantDir = variantPath.slice(0, variantPath.lastIndexOf("/") + 1);
  const segments = (variant ?? "")
    .split("\n")
    .filter((line) => line.endsWith(".ts"))
    .map((line) => `${variantDir}${line}`);

  const playingFrom = performance.now();
  const reports = (async () => {
    for (let report = 1; ; report++) {
      const at = playingFrom + report * REPORT_EVERY_SECONDS * 1000;
      if (at > deadline) return;
      await sleepUntil(at);
      const played = report * REPORT_EVERY_SECONDS;
      await person.call(
        "progress",
        "/api/progress",
        { status: 200 },
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ viewId, ranges: [[0, played]], positionSeconds: played, ended: false }),
        },
      );
    }
  })();
  for (const [index, segment] of segments.entries()) {
    // A player that fell behind fetches the next segment at once, as it would to refill its buffer.
    const at = playingFrom + index * SEGMENT_SECONDS * 1000;
    if (at > deadline) break;
    await sleepUntil(at);
    await person.call("segment", `${base}/${segment}`, { status: 200, bytes: film.files.get(segment) });
  }
  await reports;
}

/** Runs `work` over `items`, `parallel` at a time. */
async function inBatches<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

/**
 * `viewers` people watching the bench film for `seconds` against the built platform in its own
 * process (app/cli/serve.ts, MEDIA_DELIVERY=app), with this process as their browsers: the load
 * generator never shares the server's thread. Starts are spread over one segment duration.
 */
export async function benchLoad(options: LoadOptions) {
  const rebuilt = ensureBuild();
  const learners = db
    .select({ id: users.id })
    .from(users)
    .where(like(users.email, "bench-%@demo-kommune.dk"))
    .limit(options.viewers)
    .all();
  if (learners.length < options.viewers)
    throw new Error(`The bench database has ${learners.length} bench learners, fewer than ${options.viewers} viewers`);
  const cookies = await Promise.all(learners.map(async ({ id }) => (await createSession(id)).split(";")[0] ?? ""));

  // Long enough that nobody reaches the end before the run does.
  const segmentCount = Math.ceil(options.seconds / SEGMENT_SECONDS) + 2;
  const film = writeBenchFilm("benchload1", segmentCount);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: options.databaseFile,
    MEDIA_DIR: options.mediaDir,
    MEDIA_DELIVERY: "app",
    NODE_ENV: "production",
    SESSION_SECRET: options.sessionSecret,
    PORT: String(port),
    PUBLIC_URL: origin,
  };
  const server = await startPlatform(env, origin);

  const newTally = (): Tally => ({
    latencies: { page: [], playlist: [], segment: [], progress: [] },
    errors: { page: 0, playlist: 0, segment: 0, progress: 0 },
    firstErrors: [],
    bytes: 0,
  });
  const opening = newTally();
  const tally = newTally();
  let openingMs = 0;
  let wallMs = 0;
  try {
    // People open the film's page before they press play; rendering 500 pages at once is a login
    // rush, not the viewing load measured here, so the pages are fetched first, a few at a time.
    const openingStarted = performance.now();
    const people = cookies.map((cookie) => viewer(origin, cookie, opening));
    const opened = await inBatches(people, PAGES_AT_ONCE, (person) => openPage(person, film.pagePath));
    openingMs = performance.now() - openingStarted;

    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(
      people.map(async (person, index) => {
        const view = opened[index];
        if (!view) return;
        const watching = viewer(origin, cookies[index] ?? "", tally);
        try {
          await watch(watching, view, started + (index / people.length) * SEGMENT_SECONDS * 1000, deadline, film);
        } finally {
          watching.agent.destroy();
          person.agent.destroy();
        }
      }),
    );
    wallMs = performance.now() - started;
  } finally {
    await server.stop();
  }

  const errors = KINDS.reduce((sum, kind) => sum + tally.errors[kind], 0) + opening.errors.page;
  const requests =
    KINDS.reduce((sum, kind) => sum + tally.latencies[kind].length + tally.errors[kind], 0) +
    opening.latencies.page.length +
    opening.errors.page;
  printTable(
    `2c. Load: ${options.viewers} viewers for ${options.seconds} s against the built platform (MEDIA_DELIVERY=app)`,
    ["request", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"],
    [
      ...KINDS.map((kind) => {
        const source = kind === "page" ? opening : tally;
        const summary = summarise(source.latencies[kind]);
        return [
          kind === "page" ? `page (before, ${PAGES_AT_ONCE} at a time)` : kind,
          whole(summary.count),
          whole(source.errors[kind]),
          fixed(summary.p50, 1),
          fixed(summary.p95, 1),
          fixed(summary.p99, 1),
          fixed(summary.maxMs, 1),
        ];
      }),
      ["all", whole(requests), whole(errors), "", "", "", ""],
    ],
    [
      `${whole(requests)} requests, ${whole(errors)} errors; during the run ${fixed(tally.bytes / 2 ** 20 / (wallMs / 1000), 1)} MiB/s received over ${fixed(wallMs / 1000, 1)} s (the last requests finish after the deadline); the pages took ${fixed(openingMs / 1000, 1)} s before it.`,
      `Each viewer: first the module page (its loader signs the film address and the view id), then in the run the master + variant playlist, one ${fixed(SEGMENT_BYTES / 2 ** 20, 0)} MiB segment every ${SEGMENT_SECONDS} s and a progress report every ${REPORT_EVERY_SECONDS} s (POST /api/progress with the player's body); starts spread over ${SEGMENT_SECONDS} s.`,
      `Server: app/cli/serve.ts as its own process on ${origin}, NODE_ENV=production, the bench database${rebuilt ? "; build/ was rebuilt first" : "; build/ was current"}. Latency = request sent → last byte read; an error is any other status or length.`,
      ...[...opening.firstErrors, ...tally.firstErrors].map((error) => `error: ${error}`),
    ],
  );
}
