import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { mediaJobs, modules } from "#db/schema";
import { db } from "~/db.server";
import { MAX_ATTEMPTS } from "~/media/jobs.server";
import { startMediaWorker } from "~/media/media-worker.server";
import { runNextMediaJob } from "~/media/run-media-job.server";
import { UPLOAD_FILM, pruneUploads, uploadRoot } from "~/media/upload-folder.server";
import { moduleMediaDir } from "~/media/library.server";
import { projectRoot } from "../setup/paths";
import { placeUpload, queueUploadJob, uploadKept } from "../utils/kept-uploads";
import { makeTestFilm, ownMediaFolders } from "../utils/media";

// The standalone worker below is pointed at the same folders.
const { work } = ownMediaFolders("rettidig-media-jobs-");

const FILM_SLUG = "jonas-paedagogen-der-blev-ved";
const KILL_SLUG = "amira-vi-flyttede-hele-tiden";

function moduleRow(slug: string) {
  const row = db.select().from(modules).where(eq(modules.slug, slug)).get();
  if (!row) throw new Error(`seed lacks ${slug}`);
  return row;
}

function job(id: number) {
  const row = db.select().from(mediaJobs).where(eq(mediaJobs.id, id)).get();
  if (!row) throw new Error(`no job ${id}`);
  return row;
}

const film = path.join(work, "kort.mp4");
beforeAll(() => makeTestFilm(film, { size: "640x360" }));

describe("the transcoding queue", () => {
  it("runs a film job to done and switches the module to the complete ladder", async () => {
    expect(moduleRow(FILM_SLUG).mediaVersion).toBeNull();
    const queued = await queueUploadJob(FILM_SLUG, "film", film);
    expect(job(queued.id)).toMatchObject({ status: "queued", attempts: 0, progressPermille: 0 });

    expect(await runNextMediaJob()).toBe(true);
    const done = job(queued.id);
    expect(done).toMatchObject({ status: "done", attempts: 1, progressPermille: 1000, error: null });
    const module = moduleRow(FILM_SLUG);
    expect(module).toMatchObject({ mediaVersion: done.resultVersion, durationSeconds: 3, mediaSource: "upload" });
    const dir = moduleMediaDir(FILM_SLUG, module.mediaVersion!);
    expect(fs.existsSync(path.join(dir, "complete.json"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "master.m3u8"))).toBe(true);
    // The upload has served its purpose.
    expect(await uploadKept(queued.folder)).toBe(false);
    expect(await runNextMediaJob()).toBe(false);
  });

  it("lays new subtitles on the current film as a new version and leaves the old one as it was", async () => {
    const before = moduleRow(FILM_SLUG);
    const oldDir = moduleMediaDir(FILM_SLUG, before.mediaVersion!);
    const oldMaster = fs.readFileSync(path.join(oldDir, "master.m3u8"), "utf8");
    const vtt = path.join(work, "nye.vtt");
    fs.writeFileSync(vtt, "WEBVTT\n\n00:00.500 --> 00:02.000\nNye undertekster med æ, ø og å\n");

    const queued = await queueUploadJob(FILM_SLUG, "subtitles", vtt);
    expect(await runNextMediaJob()).toBe(true);
    expect(job(queued.id)).toMatchObject({ status: "done", attempts: 1, progressPermille: 1000 });

    const after = moduleRow(FILM_SLUG);
    expect(after.mediaVersion).toBe(job(queued.id).resultVersion);
    expect(after.mediaVersion).not.toBe(before.mediaVersion);
    expect(after.durationSeconds).toBe(before.durationSeconds);
    const newDir = moduleMediaDir(FILM_SLUG, after.mediaVersion!);
    expect(fs.readFileSync(path.join(newDir, "subs", "da.vtt"), "utf8")).toMatch(
      /^WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:\d+,LOCAL:00:00:00\.000\n\n00:00\.500 --> 00:02\.000\nNye undertekster med æ, ø og å\n$/,
    );
    expect(fs.readFileSync(path.join(newDir, "master.m3u8"), "utf8")).toContain('SUBTITLES="subs"');
    expect(JSON.parse(fs.readFileSync(path.join(newDir, "complete.json"), "utf8"))).toMatchObject({
      subtitles: true,
      durationSeconds: 3,
    });
    // The segments are shared, not encoded again, and the old version is untouched.
    expect(fs.statSync(path.join(newDir, "360p", "seg_00000.ts")).ino).toBe(
      fs.statSync(path.join(oldDir, "360p", "seg_00000.ts")).ino,
    );
    expect(fs.readFileSync(path.join(oldDir, "master.m3u8"), "utf8")).toBe(oldMaster);
    expect(fs.existsSync(path.join(oldDir, "subs"))).toBe(false);
  });

  it("fails a job with a Danish message and leaves the module's film alone", async () => {
    const before = moduleRow(FILM_SLUG);
    const fake = path.join(work, "tekst.mp4");
    fs.writeFileSync(fake, "Dette er ikke en film\n");
    const queued = await queueUploadJob(FILM_SLUG, "film", fake);
    expect(await runNextMediaJob()).toBe(true);
    expect(job(queued.id)).toMatchObject({
      status: "failed",
      error: "Filen er ikke en video, som kan læses.",
      resultVersion: null,
    });
    expect(moduleRow(FILM_SLUG)).toEqual(before);
    expect(await uploadKept(queued.folder)).toBe(false);
  });

  it("lets a newer film replace one still waiting, so the module ends on the newest upload", async () => {
    const older = await queueUploadJob(FILM_SLUG, "film", film);
    const newer = await queueUploadJob(FILM_SLUG, "film", film);
    expect(job(older.id)).toMatchObject({ status: "failed", error: "Erstattet af en nyere fil." });
    expect(await uploadKept(older.folder)).toBe(false);
    expect(job(newer.id).status).toBe("queued");
    expect(await runNextMediaJob()).toBe(true);
    expect(job(newer.id).status).toBe("done");
    expect(moduleRow(FILM_SLUG).mediaVersion).toBe(job(newer.id).resultVersion);
  });

  it("takes no job for a module while another worker is busy with that module", async () => {
    const busy = await queueUploadJob(FILM_SLUG, "film", film);
    // Another worker holds the film job and is alive.
    db.update(mediaJobs)
      .set({ status: "running", attempts: 1, heartbeatAt: new Date() })
      .where(eq(mediaJobs.id, busy.id))
      .run();
    const subtitles = path.join(work, "ny.vtt");
    fs.writeFileSync(subtitles, "WEBVTT\n\n00:00.000 --> 00:01.000\nHej\n");
    const waiting = await queueUploadJob(FILM_SLUG, "subtitles", subtitles);
    expect(await runNextMediaJob()).toBe(false);
    expect(job(waiting.id).status).toBe("queued");

    // Once that worker has gone quiet, its job is taken over first, and the subtitles wait their turn.
    db.update(mediaJobs)
      .set({ heartbeatAt: new Date(Date.now() - 120_000) })
      .where(eq(mediaJobs.id, busy.id))
      .run();
    expect(await runNextMediaJob()).toBe(true);
    expect(job(busy.id).status).toBe("done");
    expect(await runNextMediaJob()).toBe(true);
    expect(job(waiting.id).status).toBe("done");
    expect(moduleRow(FILM_SLUG).mediaVersion).toBe(job(waiting.id).resultVersion);
  });

  it("gives up a job whose worker has died too many times", async () => {
    const before = moduleRow(FILM_SLUG);
    const queued = await queueUploadJob(FILM_SLUG, "film", film);
    db.update(mediaJobs)
      .set({ status: "running", attempts: MAX_ATTEMPTS, heartbeatAt: new Date(Date.now() - 60_000) })
      .where(eq(mediaJobs.id, queued.id))
      .run();
    expect(await runNextMediaJob()).toBe(false);
    expect(job(queued.id)).toMatchObject({
      status: "failed",
      error: "Kodningen blev afbrudt for mange gange. Læg filen op igen.",
    });
    expect(await uploadKept(queued.folder)).toBe(false);
    expect(moduleRow(FILM_SLUG)).toEqual(before);
  });
});

describe("cleaning the upload folder", () => {
  it("removes old uploads no waiting job needs and keeps the rest", async () => {
    const waiting = await queueUploadJob(FILM_SLUG, "film", film);
    // Kept as an upload is (in the bucket, with one), but with no job: its job was never queued.
    const orphan = "0".repeat(32);
    await placeUpload(orphan, { [UPLOAD_FILM]: film });
    const cutOff = path.join(uploadRoot(), `.incoming-${"1".repeat(32)}`);
    fs.mkdirSync(cutOff, { recursive: true });
    const kept = async () => [await uploadKept(waiting.folder), await uploadKept(orphan), fs.existsSync(cutOff)];

    await pruneUploads();
    expect(await kept()).toEqual([true, true, true]);
    await pruneUploads(Date.now() + 2 * 60 * 60 * 1000);
    expect(await kept()).toEqual([true, false, false]);

    db.update(mediaJobs).set({ status: "failed" }).where(eq(mediaJobs.id, waiting.id)).run();
  });
});

describe("a worker killed in the middle of a job", () => {
  it("leaves the module on its old film, and the next worker finishes the job", { timeout: 90_000 }, async () => {
    const long = path.join(work, "lang.mp4");
    await makeTestFilm(long, { seconds: 30, size: "1280x720" });
    const queued = await queueUploadJob(KILL_SLUG, "film", long);
    const before = moduleRow(KILL_SLUG);

    // Its own process group, so the kill takes its ffmpeg with it, as a server's would be.
    const worker = spawn(path.join(projectRoot, "node_modules/.bin/tsx"), ["app/cli/media-worker.ts"], {
      cwd: projectRoot,
      env: { ...process.env },
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    worker.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    try {
      const deadline = Date.now() + 60_000;
      while (!(job(queued.id).status === "running" && job(queued.id).progressPermille > 0)) {
        if (Date.now() > deadline || worker.exitCode !== null) throw new Error(`the worker never got going: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      process.kill(-worker.pid!, "SIGKILL");
    }
    await new Promise((resolve) => worker.once("exit", resolve));

    const killed = job(queued.id);
    expect(killed).toMatchObject({ status: "running", attempts: 1, resultVersion: null });
    expect(killed.progressPermille).toBeLessThan(1000);
    expect(moduleRow(KILL_SLUG)).toEqual(before);
    // It was caught mid-encode: a partial folder, and nothing whole the module could point at.
    const moduleDir = path.join(process.env.MEDIA_DIR!, KILL_SLUG);
    const folders = fs.readdirSync(moduleDir);
    expect(folders.some((name) => name.includes(".partial-"))).toBe(true);
    expect(folders.filter((name) => fs.existsSync(path.join(moduleDir, name, "complete.json")))).toEqual([]);

    // A worker started at once leaves the job alone while its heartbeat could still be alive…
    expect(await runNextMediaJob()).toBe(false);
    // …and takes it over once it has gone quiet.
    expect(await runNextMediaJob({ staleAfterMs: 0 })).toBe(true);
    const finished = job(queued.id);
    expect(finished).toMatchObject({ status: "done", attempts: 2, progressPermille: 1000 });
    const module = moduleRow(KILL_SLUG);
    expect(module.mediaVersion).toBe(finished.resultVersion);
    expect(module.durationSeconds).toBe(30);
    expect(fs.existsSync(path.join(moduleMediaDir(KILL_SLUG, module.mediaVersion!), "complete.json"))).toBe(true);
  });
});

// Last in the file: the worker started here runs until the file's process ends, and the queue is empty by now.
describe("a running worker", () => {
  it("clears uploads left idle out of the folder again and again, not only when it starts", async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const leftBehind = (mark: string) => {
      const folder = path.join(uploadRoot(), `.chunks-${mark.repeat(32)}`);
      fs.mkdirSync(folder, { recursive: true });
      fs.utimesSync(folder, twoHoursAgo, twoHoursAgo);
      return folder;
    };
    const beforeStart = leftBehind("a");
    const logged: string[] = [];
    startMediaWorker({ pruneEveryMs: 50, log: (line) => logged.push(line) });
    await vi.waitFor(() => expect(fs.existsSync(beforeStart)).toBe(false));
    const whileRunning = leftBehind("b");
    await vi.waitFor(() => expect(fs.existsSync(whileRunning)).toBe(false));
    expect(logged).toEqual([]);
  });
});
