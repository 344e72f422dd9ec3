import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { mediaJobs, modules } from "#db/schema";
import { db } from "~/db.server";
import { da } from "~/i18n/da";
import { mediaBucket } from "~/media/media-store.server";
import { looksLikeVideo } from "~/media/upload.server";
import type { UploadReply } from "~/media/upload-forms";
import * as filmRoute from "~/routes/ejer.studie.moduler.$moduleId.film";
import * as uploadRoute from "~/routes/ejer.studie.moduler.$moduleId.film.overfoersel";
import { keptUploadFolders, readKeptUpload } from "../utils/kept-uploads";
import { makeTestFilm, ownMediaFolders } from "../utils/media";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { formRequest, request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

// A limit small enough to go past without sending gigabytes.
const LIMIT = 2 * 1024 * 1024;
const { work, uploads } = ownMediaFolders("rettidig-upload-", LIMIT);

const SLUG = "sofie-ingen-spurgte-til-mig";
const moduleRow = () => db.select().from(modules).where(eq(modules.slug, SLUG)).get()!;
const jobs = () => db.select().from(mediaJobs).all();
const uploadEntries = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads) : []);

let owner: string;
let moduleId: string;
const film = path.join(work, "film.mp4");

beforeAll(async () => {
  owner = await sessionCookieFor("ejer@rettidig.dk");
  moduleId = String(moduleRow().id);
  await makeTestFilm(film);
});

function form(fields: Record<string, string | File>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

function post(body: BodyInit, init: { cookie?: string; headers?: Record<string, string>; id?: string } = {}) {
  const id = init.id ?? moduleId;
  const req = request(`/ejer/studie/moduler/${id}/film`, {
    method: "POST",
    body,
    cookie: init.cookie ?? owner,
    headers: init.headers,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit & { cookie?: string });
  return settle(() => filmRoute.action(routeArgs(req, { moduleId: id })));
}

async function reply(response: Response) {
  return (await response.json()) as UploadReply;
}

const filmFile = () => new File([fs.readFileSync(film)], "Sofies historie.mp4", { type: "video/mp4" });

describe("uploading a film", () => {
  it("streams the film to the upload folder and queues a job, with the subtitles beside it", async () => {
    const response = await post(
      form({
        intent: "film",
        film: filmFile(),
        subtitles: new File(["WEBVTT\n\n00:00.000 --> 00:01.000\nHej\n"], "sofie.vtt"),
      }),
    );
    expect(response.status).toBe(200);
    expect(await reply(response)).toMatchObject({
      formId: "film",
      notice: { key: "upload.filmQueued" },
      result: { initialValue: null },
    });

    const [job] = jobs();
    expect(job).toMatchObject({
      kind: "film",
      status: "queued",
      originalName: "Sofies historie.mp4",
      moduleId: Number(moduleId),
    });
    const folder = path.dirname(job!.sourceFile);
    expect((await readKeptUpload(`${folder}/film`)).equals(fs.readFileSync(film))).toBe(true);
    expect((await readKeptUpload(`${folder}/da.vtt`)).toString("utf8")).toContain("Hej");
    expect(await keptUploadFolders()).toEqual([folder]);
    // With a bucket the web process keeps no copy: the worker, wherever it runs, fetches it from there.
    expect(uploadEntries()).toEqual(mediaBucket() ? [] : [folder]);
    // Nothing changes for learners until the job has built the new ladder.
    expect(moduleRow().mediaVersion).toBeNull();
  });

  it("answers the page's XMLHttpRequest the same way, as JSON", async () => {
    const before = jobs().length;
    const req = request(`/ejer/studie/moduler/${moduleId}/film/overfoersel`, {
      method: "POST",
      body: form({ intent: "film", film: filmFile() }),
      cookie: owner,
    });
    const response = await settle(() => uploadRoute.action(routeArgs(req, { moduleId })));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await reply(response)).toMatchObject({ formId: "film", notice: { key: "upload.filmQueued" } });
    expect(jobs()).toHaveLength(before + 1);
  });

  describe("refuses, leaving nothing behind", () => {
    let entriesBefore: string[];
    let keptBefore: string[];
    let jobsBefore: number;
    let moduleBefore: ReturnType<typeof moduleRow>;
    beforeEach(async () => {
      entriesBefore = uploadEntries();
      keptBefore = await keptUploadFolders();
      jobsBefore = jobs().length;
      moduleBefore = moduleRow();
    });
    afterEach(async () => {
      expect(uploadEntries()).toEqual(entriesBefore);
      expect(await keptUploadFolders()).toEqual(keptBefore);
      expect(jobs()).toHaveLength(jobsBefore);
      expect(moduleRow()).toEqual(moduleBefore);
    });

    it("a text file named .mp4, with 415 and a Danish message", async () => {
      const response = await post(
        form({
          intent: "film",
          film: new File(["Dette er en tekst, ikke en film.\n".repeat(20)], "film.mp4", { type: "video/mp4" }),
        }),
      );
      expect(response.status).toBe(415);
      const body = await reply(response);
      expect(body.result.error).toEqual({ film: ["upload.notVideo"] });
      expect(da["upload.notVideo"]).toMatch(/^Filen er ikke en video/);
    });

    it("a file that only starts like an MP4, once ffprobe has looked at it", async () => {
      const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypisom"), Buffer.alloc(4096, 0x61)]);
      const response = await post(form({ intent: "film", film: new File([bytes], "falsk.mp4") }));
      expect(response.status).toBe(415);
      expect((await reply(response)).result.error).toEqual({ film: ["upload.notVideo"] });
    });

    it("a Content-Length of 3 GB, with 413 before reading the body", async () => {
      let pulled = false;
      // No high-water mark: the stream is only pulled when someone reads it.
      const body = new ReadableStream(
        {
          pull(controller) {
            pulled = true;
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
      const response = await post(body, {
        headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(3 * 1024 ** 3) },
      });
      expect(response.status).toBe(413);
      expect((await reply(response)).result.error).toEqual({ film: ["upload.tooLarge"] });
      expect(pulled).toBe(false);
    });

    it("a film longer than the limit sent without a length, with 413 and the partial file removed", async () => {
      const boundary = "rettidig-grænse";
      const encoder = new TextEncoder();
      const head = encoder.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nfilm\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="film"; filename="stor.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
      );
      const mp4 = fs.readFileSync(film);
      let sent = 0;
      let sawPartial = false;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(head);
        },
        pull(controller) {
          // A real film's bytes, over and over, past the limit and with no end in sight.
          controller.enqueue(new Uint8Array(mp4));
          sent += mp4.byteLength;
          sawPartial ||= uploadEntries().some((name) => name.startsWith(".incoming-"));
          if (sent > 20 * LIMIT) controller.error(new Error("the upload should have been refused long ago"));
        },
      });
      const response = await post(body, { headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } });
      expect(response.status).toBe(413);
      expect((await reply(response)).result.error).toEqual({ film: ["upload.tooLarge"] });
      expect(sawPartial).toBe(true);
      expect(sent).toBeGreaterThan(LIMIT);
      expect(sent).toBeLessThan(LIMIT + 4 * mp4.byteLength);
    });

    it("a form without a film, with 400 and the message beside the field", async () => {
      const response = await post(form({ intent: "film" }));
      expect(response.status).toBe(400);
      expect((await reply(response)).result.error).toMatchObject({ film: ["upload.filmRequired"] });
    });

    it("a body that is not multipart, with 415", async () => {
      const response = await post(new URLSearchParams({ intent: "film" }));
      expect(response.status).toBe(415);
      expect((await reply(response)).result.error).toEqual({ "": ["upload.notMultipart"] });
    });

    it("a broken multipart body, with 400", async () => {
      const response = await post("--x\r\nnot a header\r\n\r\n", {
        headers: { "Content-Type": "multipart/form-data; boundary=x" },
      });
      expect(response.status).toBe(400);
      expect((await reply(response)).result.error).toEqual({ "": ["upload.unreadable"] });
    });

    it("subtitles that are not WebVTT, not UTF-8 or too large, with 4xx and the reason", async () => {
      const srt = await post(
        form({ intent: "subtitles", subtitles: new File(["1\n00:00:01,000 --> 00:00:02,000\nHej\n"], "film.vtt") }),
      );
      expect(srt.status).toBe(415);
      expect((await reply(srt)).result.error).toEqual({ subtitles: ["upload.subtitlesNotVtt"] });

      const latin1 = await post(
        form({
          intent: "subtitles",
          subtitles: new File([Buffer.from("WEBVTT\n\n00:00.000 --> 00:01.000\nS\xf8ster\n", "latin1")], "film.vtt"),
        }),
      );
      expect(latin1.status).toBe(415);
      expect((await reply(latin1)).result.error).toEqual({ subtitles: ["upload.subtitlesNotUtf8"] });

      const huge = await post(
        form({ intent: "subtitles", subtitles: new File([`WEBVTT\n\n${"x".repeat(1024 * 1024)}`], "film.vtt") }),
      );
      expect(huge.status).toBe(413);
      expect((await reply(huge)).result.error).toEqual({ subtitles: ["upload.subtitlesTooLarge"] });

      // Bad subtitles sink the film they came with, too.
      const withFilm = await post(
        form({ intent: "film", film: filmFile(), subtitles: new File(["ikke undertekster"], "film.vtt") }),
      );
      expect(withFilm.status).toBe(415);
    });

    it("subtitles for a module that has no film yet, with 409", async () => {
      const response = await post(form({ intent: "subtitles", subtitles: new File(["WEBVTT\n"], "film.vtt") }));
      expect(response.status).toBe(409);
      expect((await reply(response)).result.error).toEqual({ subtitles: ["upload.noFilmYet"] });
    });

    it("anyone but the owner, and modules that do not exist, with 404", async () => {
      const admin = await post(form({ intent: "film", film: filmFile() }), {
        cookie: await sessionCookieFor("admin@demo-kommune.dk"),
      });
      expect(admin.status).toBe(404);
      expect((await post(form({ intent: "film", film: filmFile() }), { id: "999999" })).status).toBe(404);
      expect((await post(form({ intent: "film", film: filmFile() }), { id: "abc" })).status).toBe(404);
    });
  });

  it("queues new subtitles for a module with a film", async () => {
    db.update(modules).set({ mediaVersion: "0123456789abcdef" }).where(eq(modules.slug, SLUG)).run();
    const response = await post(
      form({ intent: "subtitles", subtitles: new File(["WEBVTT\n\n00:00.000 --> 00:01.000\nHej\n"], "nye.vtt") }),
    );
    expect(response.status).toBe(200);
    expect(await reply(response)).toMatchObject({ formId: "subtitles", notice: { key: "upload.subtitlesQueued" } });
    expect(jobs().at(-1)).toMatchObject({ kind: "subtitles", status: "queued", originalName: "nye.vtt" });
  });
});

describe("the film page", () => {
  it("shows the module's film and its jobs to the owner, and 404 for unknown ids", async () => {
    const response = await settle(() =>
      filmRoute.loader(routeArgs(request(`/ejer/studie/moduler/${moduleId}/film`, { cookie: owner }), { moduleId })),
    );
    expect(response.status).toBe(200);
    const data = (await response.json()) as {
      module: { id: number };
      jobs: { status: string }[];
      maxUploadBytes: number;
    };
    expect(data.module.id).toBe(Number(moduleId));
    expect(data.maxUploadBytes).toBe(LIMIT);
    expect(data.jobs.length).toBeGreaterThan(0);
    for (const id of ["abc", "999999"]) {
      const missing = await settle(() =>
        filmRoute.loader(routeArgs(request(`/ejer/studie/moduler/${id}/film`, { cookie: owner }), { moduleId: id })),
      );
      expect(missing.status).toBe(404);
    }
  });
});

describe("a refused upload on the film page", () => {
  it("is said above the form as an alert, so a screen reader announces it", async () => {
    const { html } = await renderRoute(
      filmRoute,
      "/ejer/studie/moduler/:moduleId/film",
      formRequest(`/ejer/studie/moduler/${moduleId}/film`, { intent: "film" }, owner),
    );
    const at = html.indexOf(escapeHtml(da["upload.notMultipart"]));
    expect(at, "the refusal on the page").toBeGreaterThan(-1);
    const paragraph = html.slice(html.lastIndexOf("<p", at), at);
    expect(paragraph).toContain('role="alert"');
    // The form points at it, as every form does at its refusal.
    expect(paragraph).toContain('id="film-error"');
    expect(html).toMatch(/<form[^>]*aria-describedby="film-error"/);
  });
});

describe("recognising a film by its first bytes", () => {
  it("knows the containers and not text", () => {
    const bytes = (...parts: (string | number[])[]) =>
      new Uint8Array(
        Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p)))),
      );
    expect(looksLikeVideo(bytes([0, 0, 0, 0x20], "ftypqt  "))).toBe(true);
    expect(looksLikeVideo(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x01]))).toBe(true);
    expect(looksLikeVideo(bytes("RIFF", [1, 2, 3, 4], "AVI LIST"))).toBe(true);
    const ts = new Uint8Array(189);
    ts[0] = 0x47;
    ts[188] = 0x47;
    expect(looksLikeVideo(ts)).toBe(true);
    expect(looksLikeVideo(bytes("RIFF", [1, 2, 3, 4], "WAVEfmt "))).toBe(false);
    expect(looksLikeVideo(bytes("Godt nytår, dette er tekst og ingen film. ".repeat(6)))).toBe(false);
  });
});
