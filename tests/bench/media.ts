import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { modules } from "#db/schema";
import { getSessionUser, type SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { authorizeMedia, mediaBaseUrl } from "~/media/access.server";
import { moduleMediaDir } from "~/media/library.server";
import { rawGet, startMediaServer } from "../utils/media-server";
import { request, sessionCookieFor, userIdByEmail } from "../utils/requests";
import { fixed, printTable, summarise, whole, type Summary } from "./report";
import { seededRandom } from "./random";

const LEARNER = "medarbejder@demo-kommune.dk";
const SLUG = "sofie-ingen-spurgte-til-mig";
const VERSION = "bench0001";
const SEGMENT_SECONDS = 6;
const SEGMENT_BYTES = [1.0, 1.35, 1.7, 2.0].map((mib) => Math.round(mib * 2 ** 20));
const RANGE_BYTES = 256 * 1024;

export type MediaOptions = {
  playlistRequests: number;
  segmentRequests: number;
  concurrentSegmentRequests: number;
  concurrency: number;
  rangeRequests: number;
  accessChecks: number;
};

type Fixture = { files: Map<string, number>; segments: string[]; playlists: string[] };

function writeFixture(): Fixture {
  const dir = moduleMediaDir(SLUG, VERSION);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "720p"), { recursive: true });

  const segments = SEGMENT_BYTES.map((_, index) => `720p/seg_${String(index).padStart(5, "0")}.ts`);
  const variant = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${SEGMENT_SECONDS}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    ...segments.flatMap((segment) => [`#EXTINF:${SEGMENT_SECONDS}.000000,`, path.basename(segment)]),
    "#EXT-X-ENDLIST",
    "",
  ].join("\n");
  const master = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    '#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
    "720p/index.m3u8",
    "",
  ].join("\n");

  const files = new Map<string, number>();
  const write = (name: string, content: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), content);
    files.set(name, Buffer.byteLength(content));
  };
  write("master.m3u8", master);
  write("720p/index.m3u8", variant);
  // Random bytes: nothing on the way may compress them, and the page cache holds them after the first read.
  segments.forEach((segment, index) => write(segment, randomBytes(SEGMENT_BYTES[index] ?? 2 ** 20)));
  fs.writeFileSync(
    path.join(dir, "complete.json"),
    JSON.stringify({ durationSeconds: segments.length * SEGMENT_SECONDS }),
  );

  db.update(modules)
    .set({ mediaVersion: VERSION, durationSeconds: segments.length * SEGMENT_SECONDS })
    .where(eq(modules.slug, SLUG))
    .run();
  return { files, segments, playlists: ["master.m3u8", "720p/index.m3u8"] };
}

async function drain(response: Response): Promise<number> {
  if (!response.body) return 0;
  const reader = response.body.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

type Scenario = { latency: Summary; wallMs: number; bytes: number };

/**
 * Runs `count` requests through the route's loader, `workers` at a time, each one timed until
 * its body has been read to the end. Status and length are checked so a refused request can
 * never pass for a fast one.
 */
async function runScenario(
  count: number,
  workers: number,
  warmup: number,
  next: (index: number) => { url: string; headers?: Record<string, string>; status: number; bytes: number },
  cookie: string,
  origin: string,
): Promise<Scenario> {
  const fetchOne = async (index: number) => {
    const { url, headers, status, bytes } = next(index);
    const started = performance.now();
    const response = await rawGet(`${origin}${url}`, { cookie, headers });
    const received = await drain(response);
    const elapsed = performance.now() - started;
    if (response.status !== status || received !== bytes) {
      throw new Error(
        `${url} ${JSON.stringify(headers ?? {})}: expected ${status} with ${bytes} bytes, got ${response.status} with ${received}`,
      );
    }
    return { elapsed, received };
  };

  for (let index = 0; index < warmup; index++) await fetchOne(index);

  const samples: number[] = [];
  let bytes = 0;
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (issued < count) {
        const result = await fetchOne(issued++);
        samples.push(result.elapsed);
        bytes += result.received;
      }
    }),
  );
  return { latency: summarise(samples), wallMs: performance.now() - started, bytes };
}

async function timeCalls(count: number, warmup: number, call: () => unknown): Promise<Summary> {
  for (let index = 0; index < warmup; index++) await call();
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

export async function benchMedia(options: MediaOptions) {
  const fixture = writeFixture();
  const userId = userIdByEmail(LEARNER);
  const moduleId = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, SLUG)).get()?.id;
  if (moduleId === undefined) throw new Error(`No module ${SLUG}`);
  const cookie = await sessionCookieFor(LEARNER);
  const base = mediaBaseUrl(userId, moduleId, VERSION);
  const sizeOf = (file: string) => fixture.files.get(file) ?? 0;
  const random = seededRandom(7);
  const server = await startMediaServer();

  const playlists = await runScenario(
    options.playlistRequests,
    1,
    100,
    (index) => {
      const file = fixture.playlists[index % fixture.playlists.length] ?? "master.m3u8";
      return { url: `${base}/${file}`, status: 200, bytes: sizeOf(file) };
    },
    cookie,
    server.origin,
  );

  const segment = (index: number) => {
    const file = fixture.segments[index % fixture.segments.length] ?? "";
    return { url: `${base}/${file}`, status: 200, bytes: sizeOf(file) };
  };
  const segments = await runScenario(options.segmentRequests, 1, 8, segment, cookie, server.origin);
  const concurrent = await runScenario(
    options.concurrentSegmentRequests,
    options.concurrency,
    8,
    segment,
    cookie,
    server.origin,
  );

  const ranges = await runScenario(
    options.rangeRequests,
    1,
    50,
    (index) => {
      const file = fixture.segments[index % fixture.segments.length] ?? "";
      const start = random.int(0, sizeOf(file) - RANGE_BYTES);
      return {
        url: `${base}/${file}`,
        headers: { Range: `bytes=${start}-${start + RANGE_BYTES - 1}` },
        status: 206,
        bytes: RANGE_BYTES,
      };
    },
    cookie,
    server.origin,
  );

  await server.close();

  const mib = (bytes: number, ms: number) => fixed(bytes / 2 ** 20 / (ms / 1000), 0);
  const scenarioRow = (label: string, scenario: Scenario, throughput: boolean) => [
    label,
    whole(scenario.latency.count),
    whole((scenario.latency.count / scenario.wallMs) * 1000),
    fixed(scenario.latency.p50, 3),
    fixed(scenario.latency.p95, 3),
    fixed(scenario.latency.p99, 3),
    throughput ? mib(scenario.bytes, scenario.wallMs) : "–",
  ];
  const averageSegment = SEGMENT_BYTES.reduce((sum, bytes) => sum + bytes, 0) / SEGMENT_BYTES.length;
  printTable(
    "2. Media route loader, in process (signed-in learner, body read to the end)",
    ["request", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "MiB/s"],
    [
      scenarioRow("playlist (master + variant)", playlists, false),
      scenarioRow("segment, whole file", segments, true),
      scenarioRow(`segment, whole file ×${options.concurrency} parallel`, concurrent, true),
      scenarioRow(`segment, Range ${RANGE_BYTES / 1024} KiB`, ranges, true),
    ],
    [
      `${fixture.segments.length} segments of ${SEGMENT_BYTES.map((bytes) => fixed(bytes / 2 ** 20, 2)).join("/")} MiB random bytes (avg ${fixed(averageSegment / 2 ** 20, 2)} MiB), read from the page cache after warm-up.`,
      "Each request includes the session lookup and the media access check; req/s and MiB/s are over wall time.",
    ],
  );

  const user: SessionUser | null = await getSessionUser(request("/", { cookie }));
  if (!user) throw new Error("The learner's cookie does not sign in");
  const token = base.split("/")[2] ?? "";
  if (authorizeMedia(user, token, VERSION).status !== "ok") throw new Error("authorizeMedia refuses the learner");
  const authorize = await timeCalls(options.accessChecks, 500, () => authorizeMedia(user, token, VERSION));
  const session = await timeCalls(Math.round(options.accessChecks / 4), 200, () =>
    getSessionUser(request("/", { cookie })),
  );

  const microRow = (label: string, summary: Summary) => [
    label,
    whole(summary.count),
    whole((summary.count / summary.totalMs) * 1000),
    fixed(summary.p50 * 1000, 1),
    fixed(summary.p95 * 1000, 1),
    fixed(summary.p99 * 1000, 1),
  ];
  printTable(
    "2b. Access check per media request",
    ["step", "calls", "calls/s", "p50 µs", "p95 µs", "p99 µs"],
    [microRow("authorizeMedia() alone", authorize), microRow("getSessionUser() (cookie → user)", session)],
    [
      "authorizeMedia = token HMAC check + module lookup + course access query; the route runs both steps for every segment.",
    ],
  );
}
