import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { demoEmails } from "~/cli/seed/accounts";
import { startS3Server } from "../fakes/s3-server";
import { tmpDir } from "../setup/paths";
import { startPlatform } from "../utils/platform-process";
import { runInProject } from "../utils/restore-drill";
import { signIn } from "./helpers";

/**
 * The platform with its films in an S3 bucket (MEDIA_STORAGE=s3, issue 15) as a supplier would run
 * it: the start's preparation puts the demo films into the bucket (s3rver), and the built platform
 * then serves a learner's film from there with a media folder of its own that stays empty, so every
 * byte the browser plays came from the bucket.
 */

// Beyond the ports the config's servers and the restore drill use.
const port = Number(process.env.E2E_PORT ?? 3100) + 4;
const baseUrl = `http://localhost:${port}`;
const MODULE = "/kurser/unges-egne-fortaellinger/sofie-ingen-spurgte-til-mig";

let workDir: string | undefined;
const started: { stop(): Promise<unknown> }[] = [];

test.afterAll(async () => {
  for (const running of started.reverse()) await running.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test("a film stored in the bucket plays in the browser, with no film on the platform's own disk", async ({
  browser,
}) => {
  test.setTimeout(5 * 60_000);
  workDir = fs.mkdtempSync(path.join(tmpDir, "media-on-s3-"));
  const s3 = await startS3Server(path.join(workDir, "s3"));
  started.push(s3);
  const database = path.join(workDir, "rettidig.sqlite");
  const emptyMediaDir = path.join(workDir, "media");
  fs.mkdirSync(emptyMediaDir);
  const env = { ...s3.env, MEDIA_STORAGE: "s3", DATABASE_PATH: database };

  // The start's preparation: seeds, finds the demo films already built in media/generated, and stores them in the bucket.
  const prepared = await runInProject(["npx", "tsx", "app/cli/prepare.ts", "--no-prune", "--no-build"], env);
  expect(prepared.status, prepared.stderr).toBe(0);

  const platform = await startPlatform(
    {
      ...process.env,
      ...env,
      NODE_ENV: "test",
      PORT: String(port),
      MEDIA_DIR: emptyMediaDir,
      UPLOAD_DIR: path.join(workDir, "uploads"),
      SESSION_SECRET: "media-on-s3-secret-long-enough-for-hmac",
    },
    baseUrl,
  );
  started.push(platform);

  const page = await browser.newPage({ baseURL: baseUrl });
  const mediaAnswers: number[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/media/")) mediaAnswers.push(response.status());
  });
  await signIn(page, demoEmails.learner);
  await page.goto(MODULE);
  await expect(page.getByRole("heading", { level: 1, name: "Sofie: Ingen spurgte til mig" })).toBeVisible();
  await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
  await expect
    .poll(() => page.locator("video").evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(2);
  // Danish subtitles come from the bucket too.
  await expect
    .poll(() =>
      page.locator("video").evaluate((video: HTMLVideoElement) => {
        const showing = Array.from(video.textTracks).find((track) => track.mode === "showing");
        return showing?.language ?? null;
      }),
    )
    .toBe("da");

  expect(mediaAnswers.length).toBeGreaterThan(2);
  expect(mediaAnswers.every((status) => status === 200 || status === 206)).toBe(true);
  expect(fs.readdirSync(emptyMediaDir)).toEqual([]);
  await page.close();
});
