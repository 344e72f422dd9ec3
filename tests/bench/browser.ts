import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { eq, isNotNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { chromium, devices, type BrowserContext } from "playwright-core";
import * as schema from "#db/schema";
import { DEMO_PASSWORD } from "~/cli/seed/accounts";
import { projectRoot, tmpDir } from "../setup/paths";
import { startPlatform } from "../utils/platform-process";
import { buildIsCurrent, choosePort } from "./platform-server";
import { fixed, percentile, printTable, whole } from "./report";

const LEARNER = "medarbejder@demo-kommune.dk";
const PREFERRED_PORT = 3200;
const FRAME_TIMEOUT_MS = 30_000;

export type BrowserOptions = { modules: number; rebuild: boolean };

type FirstFrame = {
  clickedAt: number;
  presentedAt: number;
  expectedDisplayAt: number;
  readyStateAtClick: number;
  width: number;
  height: number;
};
type BenchWindow = Window & { __rettidigFirstFrame?: Promise<FirstFrame> };

function modulesWithMedia(database: string, count: number) {
  const sqlite = new Database(database, { readonly: true });
  try {
    const rows = drizzle(sqlite, { schema })
      .select({ course: schema.courses.slug, module: schema.modules.slug, title: schema.modules.title })
      .from(schema.modules)
      .innerJoin(schema.courses, eq(schema.courses.id, schema.modules.courseId))
      .where(isNotNull(schema.modules.mediaVersion))
      .orderBy(schema.courses.position, schema.modules.position)
      .all();
    // Spread over the catalog rather than the first course only, so films of every length take part.
    const picked = Array.from(
      { length: Math.min(count, rows.length) },
      (_, index) => rows[Math.floor((index * rows.length) / Math.min(count, rows.length))],
    );
    return picked.filter((row) => row !== undefined);
  } finally {
    sqlite.close();
  }
}

async function signIn(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(LEARNER);
  await page.getByLabel("Adgangskode").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log ind" }).click();
  await page.getByRole("heading", { level: 1, name: "Mine kurser" }).waitFor();
  await page.close();
}

async function measureModule(context: BrowserContext, url: string) {
  const page = await context.newPage();
  try {
    await page.goto(url);
    const play = page.getByTestId("video-player").getByRole("button", { name: "Afspil", exact: true });
    await play.waitFor();
    // Before hydration the button has no handler; once hls.js has given the element its source, a click plays.
    await page.waitForFunction(
      () => {
        const video = document.querySelector<HTMLVideoElement>("[data-testid=video-player] video");
        return video !== null && (video.getAttribute("src") !== null || video.querySelector("source") !== null);
      },
      null,
      { timeout: 20_000 },
    );
    const readyAt = await page.evaluate(() => performance.now());

    // Anonymous callbacks only: tsx keeps function names with a helper that does not exist in the page.
    await page.evaluate((timeoutMs) => {
      const video = document.querySelector<HTMLVideoElement>("[data-testid=video-player] video");
      const button = Array.from(document.querySelectorAll<HTMLButtonElement>("[data-testid=video-player] button")).find(
        (candidate) => candidate.textContent?.trim() === "Afspil",
      );
      if (!video || !button) throw new Error("player not found");
      (window as BenchWindow).__rettidigFirstFrame = new Promise<FirstFrame>((resolve, reject) => {
        window.setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms`)), timeoutMs);
        // Registered at the click itself, so a frame painted before it (a preloaded first frame) cannot count.
        button.addEventListener(
          "click",
          (event) => {
            const readyStateAtClick = video.readyState;
            video.requestVideoFrameCallback((_now, frame) =>
              resolve({
                clickedAt: event.timeStamp,
                presentedAt: frame.presentationTime,
                expectedDisplayAt: frame.expectedDisplayTime,
                readyStateAtClick,
                width: frame.width,
                height: frame.height,
              }),
            );
          },
          { capture: true, once: true },
        );
      });
    }, FRAME_TIMEOUT_MS);

    await play.click();
    const frame = await page.evaluate(() => {
      const pending = (window as BenchWindow).__rettidigFirstFrame;
      if (!pending) throw new Error("frame probe missing");
      return pending;
    });
    return { readyAt, frame };
  } finally {
    await page.close();
  }
}

export async function benchBrowser(options: BrowserOptions) {
  const database = path.join(tmpDir, "bench-e2e.sqlite");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${database}${suffix}`, { force: true });
  const port = await choosePort(PREFERRED_PORT);
  const baseUrl = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: database,
    MEDIA_DIR: path.join(projectRoot, "media/generated"),
    NODE_ENV: "test",
    SESSION_SECRET: "bench-e2e-secret-that-is-long-enough-for-hmac",
    PORT: String(port),
  };
  delete env.SMTP_URL;
  delete env.PUBLIC_URL;

  // As tests/e2e/serve.ts: migrate and seed, reuse the demo media already built, build the app.
  const reuse = !options.rebuild && buildIsCurrent();
  const prepareStarted = performance.now();
  const prepare = spawnSync("npx", ["tsx", "app/cli/prepare.ts", "--no-prune", ...(reuse ? ["--no-build"] : [])], {
    cwd: projectRoot,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  if (prepare.status !== 0) {
    throw new Error(
      `app/cli/prepare.ts failed (${prepare.status}):\n${prepare.stdout.slice(-4000)}\n${prepare.stderr.slice(-4000)}`,
    );
  }
  const prepareSeconds = (performance.now() - prepareStarted) / 1000;
  const films = modulesWithMedia(database, options.modules);
  if (films.length === 0) throw new Error("No module has media; run `npm run media:build` first");

  const server = await startPlatform(env, baseUrl);

  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--autoplay-policy=no-user-gesture-required",
      ],
    });
    const context = await browser.newContext({
      ...devices["Desktop Chrome"],
      baseURL: baseUrl,
      locale: "da-DK",
      timezoneId: "Europe/Copenhagen",
    });
    await signIn(context);

    const results: { title: string; readyAt: number; frame: FirstFrame }[] = [];
    for (const film of films) {
      const { readyAt, frame } = await measureModule(context, `/kurser/${film.course}/${film.module}`);
      results.push({ title: film.title, readyAt, frame });
    }
    await context.close();

    const firstFrame = results.map(({ frame }) => frame.presentedAt - frame.clickedAt);
    const sorted = [...firstFrame].sort((a, b) => a - b);
    const ready = results.map(({ readyAt }) => readyAt).sort((a, b) => a - b);
    printTable(
      `3. Time to first frame in Chromium ${browser.version()} (headless, --disable-gpu)`,
      ["#", "module", "player ready ms", "readyState", "frame", "click → first frame ms"],
      [
        ...results.map(({ title, readyAt, frame }, index) => [
          String(index + 1),
          title.length > 44 ? `${title.slice(0, 43)}…` : title,
          whole(readyAt),
          String(frame.readyStateAtClick),
          `${frame.width}×${frame.height}`,
          fixed(frame.presentedAt - frame.clickedAt, 1),
        ]),
        ["", "median", whole(percentile(ready, 50)), "", "", fixed(percentile(sorted, 50), 1)],
        ["", "p95", whole(percentile(ready, 95)), "", "", fixed(percentile(sorted, 95), 1)],
      ],
      [
        `Server: app/cli/serve.ts (build/index.js) on :${port}, NODE_ENV=test, fresh ${path.relative(projectRoot, database)}, media/generated (prepare took ${fixed(prepareSeconds, 1)} s${reuse ? ", build/ was current and reused" : ", including remix build"}).`,
        "player ready = navigation start → hls.js attached to the <video> (when the click is made); readyState is the element's at the click.",
        "click → first frame = click event timeStamp → presentationTime of the first requestVideoFrameCallback after it. One page per module, same signed-in context; row 1 also loads the player's scripts cold.",
      ],
    );
  } finally {
    await browser?.close();
    await server.stop();
  }
}
