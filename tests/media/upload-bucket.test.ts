import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { mediaJobs, modules } from "#db/schema";
import { db } from "~/db.server";
import { da } from "~/i18n/da";
import { moduleFilmOverview } from "~/media/film-overview.server";
import type * as jobsModule from "~/media/jobs.server";
import { mediaBucket, uploadObjectKey } from "~/media/media-store.server";
import { runNextMediaJob } from "~/media/run-media-job.server";
import { logger } from "~/ops/logger.server";
import { UPLOAD_FILM, pruneUploads, uploadRoot } from "~/media/upload-folder.server";
import type { ChunkedUploadStarted, UploadReply } from "~/media/upload-forms";
import * as filmRoute from "~/routes/ejer.studie.moduler.$moduleId.film";
import * as chunkRoute from "~/routes/ejer.studie.moduler.$moduleId.film.dele";
import { keptUploadFolders, placeUpload } from "../utils/kept-uploads";
import { makeTestFilm, ownMediaFolders } from "../utils/media";
import { ownMediaBucket } from "../utils/media-bucket";
import { request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

// What each job's upload looked like at the moment it was queued.
const atQueueing = vi.hoisted(() => [] as { sourceFile: string; inBucket: string[]; localCopy: boolean }[]);
vi.mock("~/media/jobs.server", async (importOriginal) => {
  const actual = await importOriginal<typeof jobsModule>();
  const store = await import("~/media/media-store.server");
  const folders = await import("~/media/upload-folder.server");
  return {
    ...actual,
    enqueueMediaJob: async (job: jobsModule.NewMediaJob) => {
      const folder = job.sourceFile.split("/")[0]!;
      const objects = await store.mediaBucket()!.list(store.uploadObjectKey(`${folder}/`));
      atQueueing.push({
        sourceFile: job.sourceFile,
        inBucket: objects.map((object) => object.key).sort(),
        localCopy: fs.existsSync(path.join(folders.uploadRoot(), folder)),
      });
      return actual.enqueueMediaJob(job);
    },
  };
});

const { work, uploads } = ownMediaFolders("rettidig-upload-bucket-");
ownMediaBucket("upload-bucket");

const SLUG = "sofie-ingen-spurgte-til-mig";
const moduleRow = () => db.select().from(modules).where(eq(modules.slug, SLUG)).get()!;
const jobs = () => db.select().from(mediaJobs).all();
const uploadEntries = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads).sort() : []);
const bucketKeys = async () => (await mediaBucket()!.list(uploadObjectKey(""))).map((object) => object.key).sort();
const HOURS = 60 * 60 * 1000;

let owner: string;
let moduleId: string;
const film = path.join(work, "film.mp4");

beforeAll(async () => {
  owner = await sessionCookieFor("ejer@rettidig.dk");
  moduleId = String(moduleRow().id);
  await makeTestFilm(film);
});

afterEach(() => vi.restoreAllMocks());

function postFilm(withSubtitles: boolean) {
  const data = new FormData();
  data.set("intent", "film");
  data.set("film", new File([fs.readFileSync(film)], "Sofies historie.mp4", { type: "video/mp4" }));
  if (withSubtitles) data.set("subtitles", new File(["WEBVTT\n\n00:00.000 --> 00:01.000\nHej\n"], "sofie.vtt"));
  const req = request(`/ejer/studie/moduler/${moduleId}/film`, { method: "POST", body: data, cookie: owner });
  return settle(() => filmRoute.action(routeArgs(req, { moduleId })));
}

function chunkStep(query: string, method: string, body: BodyInit | null) {
  const req = request(`/ejer/studie/moduler/${moduleId}/film/dele?${query}`, { method, body, cookie: owner });
  return settle(() => chunkRoute.action(routeArgs(req, { moduleId })));
}

describe("an upload with MEDIA_STORAGE=s3", () => {
  it("is whole in the bucket before its job is queued, and the web side keeps no copy", async () => {
    const response = await postFilm(true);
    expect(response.status).toBe(200);
    const [job] = jobs();
    expect(job).toMatchObject({ kind: "film", status: "queued" });
    const folder = job!.sourceFile.split("/")[0]!;
    expect(atQueueing).toEqual([
      {
        sourceFile: job!.sourceFile,
        inBucket: [uploadObjectKey(`${folder}/da.vtt`), uploadObjectKey(`${folder}/film`)],
        localCopy: false,
      },
    ]);
    expect(uploadEntries()).toEqual([]);
  });

  it("is run by a worker whose upload folder is empty, which fetches it and then clears it everywhere", async () => {
    const [job] = jobs();
    fs.rmSync(uploadRoot(), { recursive: true, force: true });

    expect(await runNextMediaJob()).toBe(true);
    const done = db.select().from(mediaJobs).where(eq(mediaJobs.id, job!.id)).get();
    expect(done).toMatchObject({ status: "done", error: null });
    expect(moduleRow().mediaVersion).toBe(done!.resultVersion);
    // The subtitles came along from the bucket with the film.
    const overview = await moduleFilmOverview(Number(moduleId));
    expect(overview?.film).toMatchObject({ durationSeconds: 3, subtitles: true });
    expect(await bucketKeys()).toEqual([]);
    expect(uploadEntries()).toEqual([]);
  });

  it("fails its job, with the reason logged, when the bucket will not give the upload back", async () => {
    expect((await postFilm(false)).status).toBe(200);
    const job = jobs().at(-1)!;
    vi.spyOn(mediaBucket()!, "getToFile").mockRejectedValue(new Error("the bucket is down"));
    const logged: string[] = [];
    expect(await runNextMediaJob({ log: (line) => logged.push(line) })).toBe(true);
    expect(db.select().from(mediaJobs).where(eq(mediaJobs.id, job.id)).get()).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^Kodningen mislykkedes af en uventet grund/),
    });
    expect(logged.join("\n")).toContain("the bucket is down");
    expect(await bucketKeys()).toEqual([]);
  });
});

describe("a bucket that will not take an upload", () => {
  // The operator is told why; the uploader only that it was the store and not the file.
  let logged: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    logged = vi.fn();
    vi.spyOn(logger(), "error").mockImplementation(logged);
  });

  it("answers 503 with a Danish request to try again, and leaves nothing kept or queued", async () => {
    const bucket = mediaBucket()!;
    const putFile = bucket.putFile.bind(bucket);
    // The film gets there; the subtitles do not, and the film is taken out again.
    vi.spyOn(bucket, "putFile").mockImplementation(async (key, file) => {
      if (key.endsWith("/da.vtt")) throw new Error("connection reset");
      await putFile(key, file);
    });
    const jobsBefore = jobs().length;
    const response = await postFilm(true);
    expect(response.status).toBe(503);
    expect(((await response.json()) as UploadReply).result.error).toEqual({ "": ["upload.storeFailed"] });
    expect(da["upload.storeFailed"]).toMatch(/Prøv igen/);
    expect(logged).toHaveBeenCalledWith(
      { err: expect.objectContaining({ cause: new Error("connection reset") }) },
      "upload not stored in the bucket",
    );
    expect(jobs()).toHaveLength(jobsBefore);
    expect(await bucketKeys()).toEqual([]);
    expect(uploadEntries()).toEqual([]);
  });

  it("keeps a film sent in pieces open, so finishing again queues it without sending it anew", async () => {
    const mp4 = fs.readFileSync(film);
    const start = new FormData();
    start.set("filmName", "Sofies historie.mp4");
    start.set("filmSize", String(mp4.byteLength));
    const started = await chunkStep("trin=start", "POST", start);
    expect(started.status).toBe(200);
    const { uploadId } = (await started.json()) as ChunkedUploadStarted;
    expect((await chunkStep(`trin=del&upload=${uploadId}&fra=0`, "PUT", new Uint8Array(mp4))).status).toBe(200);

    vi.spyOn(mediaBucket()!, "putFile").mockRejectedValueOnce(new Error("503 Slow Down"));
    const jobsBefore = jobs().length;
    const failed = await chunkStep(`trin=afslut&upload=${uploadId}`, "POST", null);
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as UploadReply).result.error).toEqual({ "": ["upload.storeFailed"] });
    expect(logged).toHaveBeenCalledTimes(1);
    expect(jobs()).toHaveLength(jobsBefore);
    expect(fs.readdirSync(path.join(uploads, `.chunks-${uploadId}`)).sort()).toEqual(["film", "upload.json"]);

    const again = await chunkStep(`trin=afslut&upload=${uploadId}`, "POST", null);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ notice: { key: "upload.filmQueued" } });
    const job = jobs().at(-1)!;
    expect(jobs()).toHaveLength(jobsBefore + 1);
    expect(await bucketKeys()).toEqual([uploadObjectKey(job.sourceFile)]);
    expect(uploadEntries()).toEqual([`.queued-${uploadId}.json`]);
    db.update(mediaJobs).set({ status: "failed" }).where(eq(mediaJobs.id, job.id)).run();
    await mediaBucket()!.delete(uploadObjectKey(job.sourceFile));
  });
});

describe("pruning the bucket's uploads", () => {
  it("removes folders no waiting job refers to once an hour old, and leaves waiting and running ones", async () => {
    const folders = { orphan: "a".repeat(32), queued: "b".repeat(32), running: "c".repeat(32) };
    for (const folder of Object.values(folders)) await placeUpload(folder, { [UPLOAD_FILM]: film });
    for (const [status, folder] of [
      ["queued", folders.queued],
      ["running", folders.running],
    ] as const)
      db.insert(mediaJobs)
        .values({
          moduleId: Number(moduleId),
          kind: "film",
          status,
          sourceFile: `${folder}/${UPLOAD_FILM}`,
          originalName: "film.mp4",
          heartbeatAt: new Date(),
        })
        .run();

    await pruneUploads();
    expect(await keptUploadFolders()).toEqual([folders.orphan, folders.queued, folders.running]);
    await pruneUploads(Date.now() + 2 * HOURS);
    expect(await keptUploadFolders()).toEqual([folders.queued, folders.running]);
  });
});
