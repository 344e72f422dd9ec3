import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { mediaJobs, modules } from "#db/schema";
import { db } from "~/db.server";
import { MediaError, ensureFfmpeg, missingFfmpegError } from "~/media/ffmpeg.server";
import { enqueueMediaJob } from "~/media/jobs.server";
import { runNextMediaJob } from "~/media/run-media-job.server";
import { UPLOAD_FILM, uploadRoot } from "~/media/upload-folder.server";
import { ownMediaFolders } from "../utils/media";

ownMediaFolders("rettidig-missing-ffmpeg-");
// Before anything reads the environment (it is read once per test file), and put back for the files after this one.
vi.stubEnv("FFMPEG_PATH", "/nonexistent/ffmpeg");
afterAll(() => vi.unstubAllEnvs());

const INSTALL_HINT = "sudo apt-get install ffmpeg";

describe("without ffmpeg", () => {
  it("says what is missing and what to run", async () => {
    const problem = missingFfmpegError();
    expect(problem).toBeInstanceOf(MediaError);
    expect(problem?.message).toContain("ffmpeg blev ikke fundet (FFMPEG_PATH=/nonexistent/ffmpeg)");
    expect(problem?.message).toContain(INSTALL_HINT);
    await expect(ensureFfmpeg()).rejects.toThrow(INSTALL_HINT);
  });

  it("fails an uploaded film's job with that message, which the studio shows the owner", async () => {
    const module = db.select().from(modules).where(eq(modules.slug, "samtalen-med-barnet")).get();
    if (!module) throw new Error("seed lacks samtalen-med-barnet");
    const folder = "0123456789abcdef0123456789abcdef";
    fs.mkdirSync(path.join(uploadRoot(), folder), { recursive: true });
    fs.writeFileSync(path.join(uploadRoot(), folder, UPLOAD_FILM), "not decoded before ffmpeg is asked for");
    const id = await enqueueMediaJob({
      moduleId: module.id,
      kind: "film",
      sourceFile: `${folder}/${UPLOAD_FILM}`,
      originalName: "film.mp4",
      requestedBy: null,
    });

    expect(await runNextMediaJob()).toBe(true);
    const job = db.select().from(mediaJobs).where(eq(mediaJobs.id, id)).get();
    expect(job?.status).toBe("failed");
    expect(job?.error).toContain(INSTALL_HINT);
    const after = db.select().from(modules).where(eq(modules.id, module.id)).get();
    expect(after?.mediaVersion).toBe(module.mediaVersion);
  });
});
