import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { mediaJobs, modules, users } from "#db/schema";
import { db } from "~/db.server";
import { OPEN_UPLOADS_PER_OWNER } from "~/media/chunked-upload.server";
import { mediaBucket } from "~/media/media-store.server";
import { CHUNK_BYTES } from "~/media/upload-forms";
import type * as ffmpegModule from "~/media/ffmpeg.server";
import { pruneUploads } from "~/media/upload-folder.server";
import type { ChunkAccepted, ChunkedUploadStarted, UploadReply } from "~/media/upload-forms";
import * as chunkRoute from "~/routes/ejer.studie.moduler.$moduleId.film.dele";
import { keptUploadFiles, keptUploadFolders, readKeptUpload } from "../utils/kept-uploads";
import { makeTestFilm, ownMediaFolders } from "../utils/media";
import { request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

// ffprobe as it is, with a moment after it has looked, for clearing an upload away in the middle of its finish.
const probe = vi.hoisted(() => ({ afterwards: undefined as (() => void) | undefined }));
vi.mock("~/media/ffmpeg.server", async (importOriginal) => {
  const actual = await importOriginal<typeof ffmpegModule>();
  return {
    ...actual,
    probeHasVideo: async (file: string) => {
      const found = await actual.probeHasVideo(file);
      probe.afterwards?.();
      return found;
    },
  };
});

// A limit above one piece, so a piece too large can be sent.
const LIMIT = 16 * 1024 * 1024;
const { work, uploads } = ownMediaFolders("rettidig-chunks-", LIMIT);

const SLUG = "sofie-ingen-spurgte-til-mig";
const moduleRow = (slug = SLUG) => db.select().from(modules).where(eq(modules.slug, slug)).get()!;
const jobs = () => db.select().from(mediaJobs).all();
const uploadEntries = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads).sort() : []);
const sessionOf = (uploadId: string) => path.join(uploads, `.chunks-${uploadId}`);
const heldBytes = (uploadId: string) => fs.readFileSync(path.join(sessionOf(uploadId), "film"));

let owner: string;
let otherOwner: string;
let moduleId: string;
let otherModule: string;
let mp4: Buffer;

beforeAll(async () => {
  owner = await sessionCookieFor("ejer@rettidig.dk");
  db.insert(users).values({ email: "anden-ejer@rettidig.dk", name: "Anden Ejer", platformRole: "owner" }).run();
  otherOwner = await sessionCookieFor("anden-ejer@rettidig.dk");
  moduleId = String(moduleRow().id);
  otherModule = String(moduleRow("mikkel-den-stille-dreng-bagerst").id);
  const film = path.join(work, "film.mp4");
  await makeTestFilm(film);
  mp4 = fs.readFileSync(film);
});

type Init = { cookie?: string; id?: string; headers?: Record<string, string> };

function call(query: string, method: string, body: BodyInit | null, init: Init = {}) {
  const id = init.id ?? moduleId;
  const req = request(`/ejer/studie/moduler/${id}/film/dele?${query}`, {
    method,
    body,
    cookie: init.cookie ?? owner,
    headers: init.headers,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit & { cookie?: string });
  return settle(() => chunkRoute.action(routeArgs(req, { moduleId: id })));
}

function start(size: number, init: Init & { subtitles?: File } = {}) {
  const form = new FormData();
  form.set("filmName", "Sofies historie.mp4");
  form.set("filmSize", String(size));
  if (init.subtitles) form.set("subtitles", init.subtitles);
  return call("trin=start", "POST", form, init);
}

async function begin(size: number, init: Init = {}) {
  const response = await start(size, init);
  expect(response.status).toBe(200);
  return ((await response.json()) as ChunkedUploadStarted).uploadId;
}

const put = (
  uploadId: string,
  from: number,
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>,
  init: Init = {},
) => call(`trin=del&upload=${encodeURIComponent(uploadId)}&fra=${from}`, "PUT", body, init);
const finish = (uploadId: string, init: Init = {}) =>
  call(`trin=afslut&upload=${encodeURIComponent(uploadId)}`, "POST", null, init);
const cancel = (uploadId: string, init: Init = {}) =>
  call(`trin=annuller&upload=${encodeURIComponent(uploadId)}`, "POST", null, init);
const queuedAnswer = { formId: "film", notice: { key: "upload.filmQueued" }, result: { initialValue: null } };
const cancelledAnswer = { formId: "film", notice: { key: "upload.cancelled" }, result: {} };

/** A piece that stays open, its first bytes written, until the test ends it. */
async function pieceUnderWay(uploadId: string, from: number, head: Uint8Array<ArrayBuffer>) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const answer = put(
    uploadId,
    from,
    new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
        c.enqueue(head);
      },
    }),
  );
  await vi.waitFor(() => expect(heldBytes(uploadId).byteLength).toBe(from + head.byteLength));
  return { answer, end: () => controller.close() };
}

async function received(response: Response) {
  expect(response.status).toBe(200);
  return ((await response.json()) as ChunkAccepted).received;
}

async function refusal(response: Response) {
  return ((await response.json()) as UploadReply).result.error;
}

describe("a film sent in pieces", () => {
  it("is queued byte for byte, with a piece sent twice counted once and a piece cut off sent again", async () => {
    const jobsBefore = jobs().length;
    const subtitles = new File(["WEBVTT\n\n00:00.000 --> 00:01.000\nHej\n"], "sofie.vtt");
    const started = await start(mp4.byteLength, { subtitles });
    expect(started.status).toBe(200);
    const { uploadId, chunkBytes } = (await started.json()) as ChunkedUploadStarted;
    expect(chunkBytes).toBe(CHUNK_BYTES);
    expect(uploadId).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const piece = Math.ceil(mp4.byteLength / 5);
    const bytes = (from: number) => new Uint8Array(mp4.subarray(from, from + piece));
    expect(await received(await put(uploadId, 0, bytes(0)))).toBe(piece);
    // The answer to the first was lost; the page sends it again, and nothing is added.
    expect(await received(await put(uploadId, 0, bytes(0)))).toBe(piece);
    expect(heldBytes(uploadId).byteLength).toBe(piece);

    // A piece cut off halfway, and sent again while the broken one is still coming in: only the whole one counts.
    const half = bytes(piece).subarray(0, piece / 2);
    let cutOff!: () => void;
    const broken = put(
      uploadId,
      piece,
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(half);
          cutOff = () => controller.error(new Error("the line dropped"));
        },
      }),
    );
    await vi.waitFor(() => expect(heldBytes(uploadId).byteLength).toBe(piece + half.byteLength));
    const again = put(uploadId, piece, bytes(piece));
    let answered = false;
    void again.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    cutOff();
    expect((await broken).status).toBe(400);
    expect(await received(await again)).toBe(2 * piece);

    for (let from = 2 * piece; from < mp4.byteLength; from += piece) {
      expect(await received(await put(uploadId, from, bytes(from)))).toBe(Math.min(from + piece, mp4.byteLength));
    }

    const done = await finish(uploadId);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual(queuedAnswer);
    expect(jobs()).toHaveLength(jobsBefore + 1);
    const job = jobs().at(-1)!;
    expect(job).toMatchObject({
      kind: "film",
      status: "queued",
      originalName: "Sofies historie.mp4",
      moduleId: Number(moduleId),
    });
    const folder = path.dirname(job.sourceFile);
    expect((await readKeptUpload(`${folder}/film`)).equals(mp4)).toBe(true);
    expect((await readKeptUpload(`${folder}/da.vtt`)).toString("utf8")).toContain("Hej");
    expect(await keptUploadFiles(folder)).toEqual(["da.vtt", "film"]);
    expect(await keptUploadFolders()).toEqual([folder]);
    // With a bucket the pieces are gone from here once the film is whole and in the bucket.
    const keptHere = mediaBucket() ? [] : [folder];
    const marker = `.queued-${uploadId}.json`;
    expect(uploadEntries()).toEqual([marker, ...keptHere]);

    // The answer was lost, and the page finishes again: told the same, and the film is queued once.
    const repeated = await finish(uploadId);
    expect(repeated.status).toBe(200);
    expect(await repeated.json()).toEqual(queuedAnswer);
    // To another owner or module it is as unknown as ever; Cancel leaves the queued film alone; no more pieces are taken.
    for (const init of [{ id: otherModule }, { cookie: otherOwner }])
      expect((await finish(uploadId, init)).status).toBe(404);
    expect((await cancel(uploadId)).status).toBe(200);
    expect((await put(uploadId, 0, bytes(0))).status).toBe(404);
    expect(jobs()).toHaveLength(jobsBefore + 1);
    expect(jobs().at(-1)!.status).toBe("queued");
    expect(uploadEntries()).toEqual([marker, ...keptHere]);

    // An hour on, the marker is cleared away with other debris, and the film waits on.
    await pruneUploads(Date.now() + 2 * 60 * 60 * 1000);
    expect(uploadEntries()).toEqual(keptHere);
    expect(await keptUploadFolders()).toEqual([folder]);
    expect((await finish(uploadId)).status).toBe(404);
    expect(jobs()).toHaveLength(jobsBefore + 1);
  });

  it("is discarded at once on Cancel, once a piece still coming in has been written", async () => {
    const uploadId = await begin(mp4.byteLength);
    const piece = await pieceUnderWay(uploadId, 0, new Uint8Array(mp4.subarray(0, 1000)));
    const cancelled = cancel(uploadId);
    let answered = false;
    void cancelled.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    expect(fs.existsSync(sessionOf(uploadId))).toBe(true);
    piece.end();
    expect(await received(await piece.answer)).toBe(1000);
    const answer = await cancelled;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual(cancelledAnswer);
    expect(fs.existsSync(sessionOf(uploadId))).toBe(false);

    const next = await put(uploadId, 1000, new Uint8Array(mp4.subarray(1000, 2000)));
    expect(next.status).toBe(404);
    expect(await refusal(next)).toEqual({ "": ["upload.expired"] });
    // Cancelling again, or what never was, changes nothing and answers the same.
    for (const unknown of [uploadId, randomBytes(24).toString("base64url"), "../../etc", ""]) {
      const again = await cancel(unknown);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(cancelledAnswer);
    }
    expect((await cancel(uploadId, { cookie: await sessionCookieFor("admin@demo-kommune.dk") })).status).toBe(404);
  });

  it("is left alone by a Cancel for another module or from another owner, answered as any Cancel", async () => {
    const uploadId = await begin(mp4.byteLength);
    for (const init of [{ id: otherModule }, { cookie: otherOwner }]) {
      const wrong = await cancel(uploadId, init);
      expect(wrong.status).toBe(200);
      expect(await wrong.json()).toEqual(cancelledAnswer);
    }
    expect(fs.existsSync(sessionOf(uploadId))).toBe(true);
    expect((await cancel(uploadId)).status).toBe(200);
    expect(fs.existsSync(sessionOf(uploadId))).toBe(false);
  });

  it(`is one of at most ${OPEN_UPLOADS_PER_OWNER} an owner has open: one more discards the one idle longest`, async () => {
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60 * 1000);
    const touch = (uploadId: string, minutes: number) =>
      fs.utimesSync(sessionOf(uploadId), minutesAgo(minutes), minutesAgo(minutes));
    const others = await begin(mp4.byteLength, { cookie: otherOwner });
    const mine = [await begin(mp4.byteLength), await begin(mp4.byteLength), await begin(mp4.byteLength)];
    touch(others, 50);
    touch(mine[0]!, 10);
    touch(mine[1]!, 30);
    touch(mine[2]!, 20);
    expect(mine.map((uploadId) => fs.existsSync(sessionOf(uploadId)))).toEqual([true, true, true]);

    const fourth = await begin(mp4.byteLength);
    expect([...mine, fourth, others].map((uploadId) => fs.existsSync(sessionOf(uploadId)))).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
    expect((await put(mine[1]!, 0, new Uint8Array(mp4.subarray(0, 1000)))).status).toBe(404);
    for (const uploadId of [mine[0]!, mine[2]!, fourth, others]) fs.rmSync(sessionOf(uploadId), { recursive: true });
  });

  it("is cleared away once left idle for an hour, by the next start, but not while pieces keep coming", async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const idle = await begin(mp4.byteLength);
    const busy = await begin(mp4.byteLength);
    for (const uploadId of [idle, busy]) fs.utimesSync(sessionOf(uploadId), twoHoursAgo, twoHoursAgo);
    expect(await received(await put(busy, 0, new Uint8Array(mp4.subarray(0, 1000))))).toBe(1000);

    const next = await begin(mp4.byteLength);
    expect(fs.existsSync(sessionOf(idle))).toBe(false);
    expect((await put(idle, 0, new Uint8Array(mp4.subarray(0, 1000)))).status).toBe(404);
    expect(heldBytes(busy).byteLength).toBe(1000);
    for (const uploadId of [busy, next]) fs.rmSync(sessionOf(uploadId), { recursive: true });
  });

  describe("refuses, leaving nothing behind but uploads still under way", () => {
    let entriesBefore: string[];
    let keptBefore: string[];
    let jobsBefore: number;
    let moduleBefore: ReturnType<typeof moduleRow>;
    // Uploads a test leaves open on purpose, each checked by the test to hold just what it accepted.
    const stillOpen = new Set<string>();
    beforeEach(async () => {
      entriesBefore = uploadEntries();
      keptBefore = await keptUploadFolders();
      jobsBefore = jobs().length;
      moduleBefore = moduleRow();
      stillOpen.clear();
    });
    afterEach(async () => {
      expect(uploadEntries().filter((name) => !stillOpen.has(name))).toEqual(entriesBefore);
      expect(await keptUploadFolders()).toEqual(keptBefore);
      for (const name of stillOpen)
        expect(fs.readdirSync(path.join(uploads, name)).sort()).toEqual(["film", "upload.json"]);
      expect(jobs()).toHaveLength(jobsBefore);
      expect(moduleRow()).toEqual(moduleBefore);
      // Out of the way, so they count against no later test's open uploads.
      for (const name of stillOpen) fs.rmSync(path.join(uploads, name), { recursive: true });
    });
    const keep = (uploadId: string) => stillOpen.add(path.basename(sessionOf(uploadId)));

    it("a film larger than the limit, with 413 before a byte of it is sent, and an empty one with 415", async () => {
      const tooLarge = await start(LIMIT + 1);
      expect(tooLarge.status).toBe(413);
      expect(await refusal(tooLarge)).toEqual({ film: ["upload.tooLarge"] });
      const empty = await start(0);
      expect(empty.status).toBe(415);
      expect(await refusal(empty)).toEqual({ film: ["upload.notVideo"] });
    });

    it("subtitles that are not WebVTT, at the start, before the film is sent", async () => {
      const response = await start(mp4.byteLength, {
        subtitles: new File(["1\n00:00:01,000 --> 00:00:02,000\nHej\n"], "film.vtt"),
      });
      expect(response.status).toBe(415);
      expect(await refusal(response)).toEqual({ subtitles: ["upload.subtitlesNotVtt"] });
    });

    it("a start that is not multipart, or a step that does not exist, with 415 and 400", async () => {
      const plain = await call("trin=start", "POST", new URLSearchParams({ filmName: "film.mp4", filmSize: "1000" }));
      expect(plain.status).toBe(415);
      expect(await refusal(plain)).toEqual({ "": ["upload.notMultipart"] });
      const unknown = await call("trin=slet", "POST", null);
      expect(unknown.status).toBe(400);
      expect(await refusal(unknown)).toEqual({ "": ["upload.unreadable"] });
    });

    it("a piece that would leave a gap, with 409, and the upload still open", async () => {
      const uploadId = await begin(mp4.byteLength);
      keep(uploadId);
      const gap = await put(uploadId, 1000, new Uint8Array(mp4.subarray(1000, 2000)));
      expect(gap.status).toBe(409);
      expect(await refusal(gap)).toEqual({ "": ["upload.failed"] });
      expect(heldBytes(uploadId).byteLength).toBe(0);
      expect(await received(await put(uploadId, 0, new Uint8Array(mp4.subarray(0, 1000))))).toBe(1000);
    });

    it("pieces adding up to more than the film's size, or a piece over the largest size, with 413 and the file as it was", async () => {
      const uploadId = await begin(3000);
      keep(uploadId);
      expect(await received(await put(uploadId, 0, new Uint8Array(mp4.subarray(0, 2000))))).toBe(2000);
      // The first part of the piece fits; the rest does not, and the part that fitted goes with it.
      const beyond = await put(
        uploadId,
        2000,
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(mp4.subarray(2000, 2500)));
            controller.enqueue(new Uint8Array(mp4.subarray(2500, 4000)));
            controller.close();
          },
        }),
      );
      expect(beyond.status).toBe(413);
      expect(await refusal(beyond)).toEqual({ "": ["upload.failed"] });
      expect(heldBytes(uploadId).equals(mp4.subarray(0, 2000))).toBe(true);

      const large = await begin(CHUNK_BYTES + 1024);
      keep(large);
      const oversized = Buffer.alloc(CHUNK_BYTES + 1);
      mp4.copy(oversized);
      const tooLarge = await put(large, 0, new Uint8Array(oversized));
      expect(tooLarge.status).toBe(413);
      expect(heldBytes(large).byteLength).toBe(0);
      // Told by its length, the piece is refused before a byte of it is read.
      let pulled = false;
      const unread = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulled = true;
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
      const told = await put(large, 0, unread, { headers: { "Content-Length": String(CHUNK_BYTES + 1) } });
      expect(told.status).toBe(413);
      expect(pulled).toBe(false);
    });

    it("a text file, with 415 at the first piece and the upload gone", async () => {
      const text = Buffer.from("Dette er en tekst, ikke en film.\n".repeat(60));
      const uploadId = await begin(text.byteLength);
      const first = await put(uploadId, 0, new Uint8Array(text.subarray(0, 512)));
      expect(first.status).toBe(415);
      expect(await refusal(first)).toEqual({ film: ["upload.notVideo"] });
      expect(fs.existsSync(sessionOf(uploadId))).toBe(false);
      const next = await put(uploadId, 512, new Uint8Array(text.subarray(512, 1024)));
      expect(next.status).toBe(404);
      expect(await refusal(next)).toEqual({ "": ["upload.expired"] });
    });

    it("finishing before every byte has come, with 409, and the upload still open", async () => {
      const uploadId = await begin(mp4.byteLength);
      keep(uploadId);
      expect(await received(await put(uploadId, 0, new Uint8Array(mp4.subarray(0, 4096))))).toBe(4096);
      const early = await finish(uploadId);
      expect(early.status).toBe(409);
      expect(await refusal(early)).toEqual({ "": ["upload.failed"] });
      expect(heldBytes(uploadId).byteLength).toBe(4096);
    });

    it("a file that only starts like an MP4, with 415 from ffprobe at the finish and the upload gone", async () => {
      const fake = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypisom"), Buffer.alloc(4096, 0x61)]);
      const uploadId = await begin(fake.byteLength);
      expect(await received(await put(uploadId, 0, new Uint8Array(fake.subarray(0, 2048))))).toBe(2048);
      expect(await received(await put(uploadId, 2048, new Uint8Array(fake.subarray(2048))))).toBe(fake.byteLength);
      const response = await finish(uploadId);
      expect(response.status).toBe(415);
      expect(await refusal(response)).toEqual({ film: ["upload.notVideo"] });
      expect(fs.existsSync(sessionOf(uploadId))).toBe(false);
    });

    it("another module, another owner, anyone but the owner and uploads that do not exist, with 404", async () => {
      const uploadId = await begin(mp4.byteLength);
      keep(uploadId);
      const piece = new Uint8Array(mp4.subarray(0, 1000));
      const admin = await sessionCookieFor("admin@demo-kommune.dk");

      for (const init of [{ id: otherModule }, { cookie: otherOwner }]) {
        const wrong = await put(uploadId, 0, piece, init);
        expect(wrong.status).toBe(404);
        expect(await refusal(wrong)).toEqual({ "": ["upload.expired"] });
        expect((await finish(uploadId, init)).status).toBe(404);
      }
      for (const init of [{ cookie: admin }, { id: "abc" }, { id: "999999" }]) {
        expect((await put(uploadId, 0, piece, init)).status).toBe(404);
        expect((await start(1000, init)).status).toBe(404);
      }
      for (const unknown of [randomBytes(24).toString("base64url"), "../../etc", ""]) {
        expect((await put(unknown, 0, piece)).status).toBe(404);
        expect((await finish(unknown)).status).toBe(404);
      }
      expect(heldBytes(uploadId).byteLength).toBe(0);
    });
  });
});

describe("an upload cleared away while a request for it is under way", () => {
  const twoHoursAgo = () => new Date(Date.now() - 2 * 60 * 60 * 1000);

  it("is not pruned under a piece that has begun, however long it lay idle before", async () => {
    const uploadId = await begin(mp4.byteLength);
    fs.utimesSync(sessionOf(uploadId), twoHoursAgo(), twoHoursAgo());
    const piece = await pieceUnderWay(uploadId, 0, new Uint8Array(mp4.subarray(0, 1000)));
    await pruneUploads();
    expect(fs.existsSync(sessionOf(uploadId))).toBe(true);
    piece.end();
    expect(await received(await piece.answer)).toBe(1000);
    fs.rmSync(sessionOf(uploadId), { recursive: true });
  });

  it("answers 404 with upload.expired, not 500, when it goes in the middle of a piece", async () => {
    const jobsBefore = jobs().length;
    const uploadId = await begin(mp4.byteLength);
    const piece = await pieceUnderWay(uploadId, 0, new Uint8Array(mp4.subarray(0, 1000)));
    fs.rmSync(sessionOf(uploadId), { recursive: true });
    piece.end();
    const answer = await piece.answer;
    expect(answer.status).toBe(404);
    expect(await refusal(answer)).toEqual({ "": ["upload.expired"] });
    expect(fs.existsSync(sessionOf(uploadId))).toBe(false);
    expect(jobs()).toHaveLength(jobsBefore);
  });

  it("answers 404 with upload.expired, not 500, when it goes in the middle of the finish, and queues nothing", async () => {
    const jobsBefore = jobs().length;
    const uploadId = await begin(mp4.byteLength);
    expect(await received(await put(uploadId, 0, new Uint8Array(mp4)))).toBe(mp4.byteLength);
    probe.afterwards = () => fs.rmSync(sessionOf(uploadId), { recursive: true });
    try {
      const answer = await finish(uploadId);
      expect(answer.status).toBe(404);
      expect(await refusal(answer)).toEqual({ "": ["upload.expired"] });
    } finally {
      probe.afterwards = undefined;
    }
    expect(jobs()).toHaveLength(jobsBefore);
    expect(uploadEntries().filter((name) => name.includes(uploadId))).toEqual([]);
  });
});
