import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { mediaJobs, modules } from "#db/schema";
import { db } from "~/db.server";
import { ensureFfmpeg, run } from "~/media/ffmpeg.server";
import { moduleMediaDir } from "~/media/library.server";
import { runNextMediaJob } from "~/media/run-media-job.server";
import type { UploadReply } from "~/media/upload-forms";
import * as filmRoute from "~/routes/ejer.studie.moduler.$moduleId.film";
import { queueUploadJob } from "../utils/kept-uploads";
import { makeTestAudio, makeTestFilm, ownMediaFolders } from "../utils/media";
import { request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

const { work, uploads } = ownMediaFolders("rettidig-described-", 4 * 1024 * 1024);

const SLUG = "jonas-paedagogen-der-blev-ved";
const moduleRow = () => db.select().from(modules).where(eq(modules.slug, SLUG)).get()!;
const job = (id: number) => db.select().from(mediaJobs).where(eq(mediaJobs.id, id)).get()!;
const jobCount = () => db.select().from(mediaJobs).all().length;
const uploadEntries = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads) : []);

async function probe(file: string) {
  const { ffprobe } = await ensureFfmpeg();
  const { stdout } = await run(ffprobe, [
    "-v",
    "error",
    "-show_entries",
    "stream=codec_type,codec_name,sample_rate,channels:format=duration",
    "-of",
    "json",
    file,
  ]);
  return JSON.parse(stdout.toString("utf8")) as {
    streams: { codec_type: string; codec_name: string; sample_rate: string; channels: number }[];
    format: { duration: string };
  };
}

function postUpload(data: FormData, cookie: string) {
  const id = String(moduleRow().id);
  const req = request(`/ejer/studie/moduler/${id}/film`, { method: "POST", body: data, cookie });
  return settle(() => filmRoute.action(routeArgs(req, { moduleId: id })));
}

const film = path.join(work, "film.mp4");
const described = path.join(work, "synstolkning.wav");
const tooLong = path.join(work, "for-lang.wav");
let owner: string;

beforeAll(async () => {
  owner = await sessionCookieFor("ejer@rettidig.dk");
  await makeTestFilm(film, { seconds: 4 });
  await makeTestAudio(described, 4);
  await makeTestAudio(tooLong, 15);
  await queueUploadJob(SLUG, "film", film);
  expect(await runNextMediaJob()).toBe(true);
  expect(moduleRow().mediaVersion).not.toBeNull();
});

describe("a described soundtrack from the studio", () => {
  it("is refused as upload when it is not media, has no sound, or the module has no film, leaving nothing behind", async () => {
    const entriesBefore = uploadEntries();
    const jobsBefore = jobCount();
    const send = (file: File) => {
      const data = new FormData();
      data.append("intent", "described");
      data.append("described", file);
      return postUpload(data, owner);
    };

    const text = await send(new File(["Ikke lyd, bare tekst.\n".repeat(20)], "synstolkning.wav"));
    expect(text.status).toBe(415);
    expect(((await text.json()) as UploadReply).result.error).toEqual({ described: ["upload.describedNotMedia"] });

    // Starts like a WAV file, but ffprobe finds no sound in it.
    const header = Buffer.concat([Buffer.from("RIFF\0\0\0\0WAVE"), Buffer.alloc(400, 0x61)]);
    const silent = await send(new File([header], "falsk.wav"));
    expect(silent.status).toBe(415);
    expect(((await silent.json()) as UploadReply).result.error).toEqual({ described: ["upload.describedNoAudio"] });

    const empty = new FormData();
    empty.append("intent", "described");
    const missing = await postUpload(empty, owner);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as UploadReply).result.error).toEqual({ described: ["upload.describedRequired"] });

    const version = moduleRow().mediaVersion;
    db.update(modules).set({ mediaVersion: null }).where(eq(modules.slug, SLUG)).run();
    try {
      const noFilm = await send(new File([fs.readFileSync(described)], "synstolkning.wav"));
      expect(noFilm.status).toBe(409);
      expect(((await noFilm.json()) as UploadReply).result.error).toEqual({
        described: ["upload.describedNeedsFilm"],
      });
    } finally {
      db.update(modules).set({ mediaVersion: version }).where(eq(modules.slug, SLUG)).run();
    }
    expect(uploadEntries()).toEqual(entriesBefore);
    expect(jobCount()).toBe(jobsBefore);
  });

  it("fails in the queue with a Danish message when it does not fit the film, and the film stays as it was", async () => {
    const before = moduleRow();
    const { id } = await queueUploadJob(SLUG, "described", tooLong);
    expect(await runNextMediaJob()).toBe(true);
    expect(job(id)).toMatchObject({ status: "failed", resultVersion: null });
    expect(job(id).error).toBe(
      "Synstolkningen varer 15 sekunder, men filmen varer 4 sekunder. Læg en synstolkning op, der er lavet til netop denne udgave af filmen.",
    );
    expect(moduleRow()).toEqual(before);
    // Nothing half-written beside the module's versions.
    expect(fs.readdirSync(path.dirname(moduleMediaDir(SLUG, before.mediaVersion!)))).toEqual([before.mediaVersion]);
  });

  it("is queued from the studio and becomes a playable audio rendition beside the film's own sound", async () => {
    const before = moduleRow();
    const data = new FormData();
    data.append("intent", "described");
    data.append("described", new File([fs.readFileSync(described)], "Jonas synstolket.wav"));
    const response = await postUpload(data, owner);
    expect(response.status).toBe(200);
    expect((await response.json()) as UploadReply).toMatchObject({
      formId: "described",
      notice: { key: "upload.describedQueued" },
    });
    const queued = db.select().from(mediaJobs).all().at(-1)!;
    expect(queued).toMatchObject({ kind: "described", status: "queued", originalName: "Jonas synstolket.wav" });

    expect(await runNextMediaJob()).toBe(true);
    expect(job(queued.id)).toMatchObject({ status: "done", error: null });
    const after = moduleRow();
    expect(after.mediaVersion).toBe(job(queued.id).resultVersion);
    expect(after.mediaVersion).not.toBe(before.mediaVersion);
    expect(after.durationSeconds).toBe(before.durationSeconds);

    const dir = moduleMediaDir(SLUG, after.mediaVersion!);
    const master = fs.readFileSync(path.join(dir, "master.m3u8"), "utf8");
    expect(master).toContain('NAME="Synstolkning"');
    expect(master).toContain('CHARACTERISTICS="public.accessibility.describes-video"');
    expect(master).toMatch(/#EXT-X-STREAM-INF:[^\n]*AUDIO="aud"/);

    for (const playlist of ["audio-described/index.m3u8", "audio-main/index.m3u8"]) {
      const info = await probe(path.join(dir, playlist));
      expect(info.streams).toEqual([
        expect.objectContaining({ codec_type: "audio", codec_name: "aac", sample_rate: "48000", channels: 2 }),
      ]);
      expect(Number(info.format.duration)).toBeGreaterThan(3.5);
      expect(Number(info.format.duration)).toBeLessThan(4.5);
    }
    // The picture is shared with the version before, not encoded again.
    const oldDir = moduleMediaDir(SLUG, before.mediaVersion!);
    expect(fs.statSync(path.join(dir, "360p", "seg_00000.ts")).ino).toBe(
      fs.statSync(path.join(oldDir, "360p", "seg_00000.ts")).ino,
    );
    expect(fs.existsSync(path.join(oldDir, "audio-described"))).toBe(false);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith(".m4a"))).toEqual([]);
  });

  it("stays when new subtitles are laid on the film afterwards", async () => {
    const vtt = path.join(work, "nye.vtt");
    fs.writeFileSync(vtt, "WEBVTT\n\n00:00.500 --> 00:02.000\nNye undertekster\n");
    const { id } = await queueUploadJob(SLUG, "subtitles", vtt);
    expect(await runNextMediaJob()).toBe(true);
    expect(job(id)).toMatchObject({ status: "done" });
    const dir = moduleMediaDir(SLUG, moduleRow().mediaVersion!);
    const master = fs.readFileSync(path.join(dir, "master.m3u8"), "utf8");
    expect(master).toContain('NAME="Synstolkning"');
    expect(master).toContain('SUBTITLES="subs"');
    expect(fs.existsSync(path.join(dir, "audio-described", "index.m3u8"))).toBe(true);
  });
});
