import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const COURSE = "/kurser/unges-egne-fortaellinger";
const MODULE = `${COURSE}/sofie-ingen-spurgte-til-mig`;

const videoState = (page: Page) =>
  page.locator("video").evaluate((video: HTMLVideoElement) => {
    const tracks = Array.from(video.textTracks);
    const showing = tracks.find((track) => track.mode === "showing");
    return {
      currentTime: video.currentTime,
      paused: video.paused,
      frames: video.getVideoPlaybackQuality().totalVideoFrames,
      subtitleLanguage: showing?.language ?? null,
      activeCue: showing?.activeCues?.length ? (showing.activeCues[0] as VTTCue).text : null,
    };
  });

test("the film really plays with Danish subtitles, and progress survives a reload", async ({ page }) => {
  await signIn(page, "medarbejder@demo-kommune.dk");
  await page.goto(MODULE);
  await expect(page.getByRole("heading", { level: 1, name: "Sofie: Ingen spurgte til mig" })).toBeVisible();

  const player = page.getByTestId("video-player");
  await player.getByRole("button", { name: "Afspil" }).click();

  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 20_000 }).toBeGreaterThan(2);
  const early = await videoState(page);
  await expect
    .poll(async () => (await videoState(page)).frames, { timeout: 10_000 })
    .toBeGreaterThan(early.frames + 25);
  await expect.poll(async () => (await videoState(page)).subtitleLanguage).toBe("da");
  await expect.poll(async () => (await videoState(page)).activeCue, { timeout: 10_000 }).not.toBeNull();

  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 20_000 }).toBeGreaterThan(8);
  const saved = page.waitForResponse((response) => response.url().endsWith("/api/progress") && response.ok());
  await player.getByRole("button", { name: "Pause" }).click();
  await saved;
  const pausedAt = (await videoState(page)).currentTime;
  await expect(page.getByTestId("watch-status")).toContainText(/Du har set [1-9]\d*\s%/);

  await page.reload();
  await expect(page.getByTestId("watch-status")).toContainText(/Du fortsætter fra 0:\d\d/);
  await expect
    .poll(async () => (await videoState(page)).currentTime, { timeout: 15_000 })
    .toBeGreaterThan(pausedAt - 2);
  expect((await videoState(page)).currentTime).toBeLessThan(pausedAt + 2);

  await page.goto(COURSE);
  const item = page.locator("li", { hasText: "Sofie: Ingen spurgte til mig" });
  await expect(item).toContainText(/I gang – \d+\s% set/);
});

test("a film played to 90 % at double speed is marked as watched", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "medarbejder@demo-kommune.dk");
  await page.goto(`${COURSE}/amira-vi-flyttede-hele-tiden`);
  const player = page.getByTestId("video-player");
  await player.getByLabel("Afspilningshastighed").selectOption("2");
  await player.getByRole("button", { name: "Afspil" }).click();
  await page.waitForFunction(() => document.querySelector("video")?.ended === true, null, { timeout: 60_000 });
  await expect(page.getByTestId("watch-status")).toHaveText("Du har set filmen.", { timeout: 15_000 });

  await page.goto(COURSE);
  await expect(page.locator("li", { hasText: "Amira: Vi flyttede hele tiden" })).toContainText("Set");
  await page.goto("/kurser");
  await expect(page.getByRole("progressbar", { name: "Fremdrift i Unges egne fortællinger" })).toHaveAttribute(
    "aria-valuenow",
    "1",
  );
});

test("the player works with the keyboard alone", async ({ page }) => {
  await signIn(page, "medarbejder@demo-kommune.dk");
  await page.goto(`${COURSE}/jonas-paedagogen-der-blev-ved`);
  const play = page.getByTestId("video-player").getByRole("button", { name: "Afspil" });
  await play.focus();
  await page.keyboard.press("Enter");
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 20_000 }).toBeGreaterThan(1);
  const subtitles = page.getByTestId("video-player").getByRole("button", { name: "Undertekster" });
  await expect(subtitles).toHaveAttribute("aria-pressed", "true");
  await subtitles.focus();
  await page.keyboard.press("Enter");
  await expect(subtitles).toHaveAttribute("aria-pressed", "false");
  await expect.poll(async () => (await videoState(page)).subtitleLanguage).toBeNull();
  await page.getByTestId("video-player").getByRole("button", { name: "Pause" }).focus();
  await page.keyboard.press("Enter");
  await expect.poll(async () => (await videoState(page)).paused).toBe(true);
});

test("the next film starts from its own beginning, not where the last one stopped", async ({ page }) => {
  await signIn(page, "medarbejder@demo-kommune.dk");
  await page.goto("/kurser/sundhedspleje-og-tandpleje/sundhedsplejersken-vaegten-der-staar-stille");
  const player = page.getByTestId("video-player");
  await player.getByRole("button", { name: "Afspil" }).click();
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 20_000 }).toBeGreaterThan(4);
  const saved = page.waitForResponse((response) => response.url().endsWith("/api/progress") && response.ok());
  await player.getByRole("button", { name: "Pause" }).click();
  await saved;
  await expect(page.getByTestId("watch-status")).toContainText(/Du har set [1-9]\d*\s%/);

  await page.getByRole("link", { name: /Næste film: Skolesundhedsplejersken/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Skolesundhedsplejersken/ })).toBeVisible();
  await expect(page.getByTestId("watch-status")).toHaveText(/^Du har set 0\s% af filmen\./);
  await expect(page.getByTestId("watch-status")).not.toContainText("Du fortsætter fra");
  await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 20_000 }).toBeGreaterThan(0.5);
  expect((await videoState(page)).currentTime).toBeLessThan(4);
});

test("leaving the page mid-film keeps what was played: the beacon gets past the server's cross-site check", async ({
  page,
}) => {
  await signIn(page, "medarbejder@demo-kommune.dk");
  await page.goto("/kurser/sundhedspleje-og-tandpleje/tandplejen-de-mange-udeblivelser");
  await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
  // Less than the ten seconds between the player's own reports: only the report sent on leaving can carry this.
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 20_000 }).toBeGreaterThan(4);
  // A full navigation fires pagehide, on which the player sends its report with navigator.sendBeacon; it may
  // arrive after the next page has been answered, so that page is asked again until it has the report.
  await page.goto("/kurser/sundhedspleje-og-tandpleje");
  const film = page.locator("li", { hasText: "Tandplejen: De mange udeblivelser" });
  await expect
    .poll(
      async () => {
        await page.reload();
        return film.innerText();
      },
      { timeout: 15_000 },
    )
    .toMatch(/I gang – [1-9]\d*\s% set/);
});

test("every one of the 16 films plays for the demo learner", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "medarbejder@demo-kommune.dk");
  const courseLinks = await page
    .locator(".course-card h2 a")
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
  const films: string[] = [];
  for (const course of courseLinks) {
    await page.goto(course);
    films.push(
      ...(await page
        .locator(".module-item__title")
        .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname))),
    );
  }
  expect(films).toHaveLength(16);
  for (const film of films) {
    await page.goto(film);
    await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
    await expect
      .poll(async () => (await videoState(page)).currentTime, { timeout: 20_000, message: film })
      .toBeGreaterThan(1);
    expect((await videoState(page)).frames, film).toBeGreaterThan(10);
  }
});

test("when the film's address expires during a long pause, the page fetches a new one and carries on", async ({
  page,
}) => {
  await signIn(page, "medarbejder@demo-kommune.dk");
  const tokens = new Set<string>();
  let refused = 0;
  let firstToken: string | null = null;
  // Stands in for a token that expired: the server would answer exactly this 403.
  await page.route(/\/media\/[^/]+\/.+\/seg_\d+\.ts$/, async (route) => {
    const token = new URL(route.request().url()).pathname.split("/")[2]!;
    tokens.add(token);
    firstToken ??= token;
    if (token === firstToken && route.request().url().includes("seg_00001")) {
      refused += 1;
      return route.fulfill({ status: 403, body: "Du har ikke adgang til denne film." });
    }
    return route.continue();
  });
  await page.goto("/kurser/fra-bekymring-til-handling/samtalen-med-barnet");
  await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
  await expect.poll(() => refused, { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(() => tokens.size, { timeout: 30_000 }).toBeGreaterThan(1);
  await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 30_000 }).toBeGreaterThan(7);
});

/**
 * Stands in for MEDIA_DELIVERY=edge: the variant playlists' segments are moved to another address
 * (/kant/…, outside the film's own), whose first links to the second segment answer 410 as nginx's
 * secure_link does when a link has expired. The bytes still come from the platform's media path.
 */
async function edgeLinksThatExpireOnce(page: Page) {
  const seen = { masterLoads: 0, expired: 0 };
  await page.route(/\/media\/[^/]+\/[^/]+\/master\.m3u8$/, async (route) => {
    seen.masterLoads += 1;
    return route.continue();
  });
  await page.route(/\/media\/[^/]+\/[^/]+\/[^/]+\/index\.m3u8$/, async (route) => {
    const response = await route.fetch();
    const url = new URL(route.request().url());
    const folder = url.pathname.replace(/^\/media\//, "/kant/").replace(/index\.m3u8$/, "");
    const body = (await response.text())
      .split("\n")
      .map((line) =>
        line === "" || line.startsWith("#") ? line : `${url.origin}${folder}${line}?g=${seen.masterLoads}`,
      )
      .join("\n");
    return route.fulfill({ response, body });
  });
  await page.route(/\/kant\//, async (route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.get("g") === "1" && url.pathname.includes("seg_00001")) {
      seen.expired += 1;
      return route.fulfill({ status: 410, body: "Gone" });
    }
    const response = await route.fetch({ url: `${url.origin}${url.pathname.replace(/^\/kant\//, "/media/")}` });
    return route.fulfill({ response });
  });
  return seen;
}

test("an expired signed edge link makes the player fetch the playlists again and play on by itself", async ({
  page,
}) => {
  await signIn(page, "medarbejder@demo-kommune.dk");
  const seen = await edgeLinksThatExpireOnce(page);
  await page.goto("/kurser/fra-bekymring-til-handling/samtalen-med-barnet");
  await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
  await expect.poll(() => seen.expired, { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(() => seen.masterLoads, { timeout: 30_000 }).toBeGreaterThan(1);
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 30_000 }).toBeGreaterThan(7);
  await expect(page.getByTestId("video-player").getByRole("alert")).toHaveText("");
});

test("the browser's own HLS, as in Safari, also fetches the playlists again after an expired edge link", async ({
  page,
}) => {
  // Without Media Source Extensions hls.js is not supported and the player takes Safari's path:
  // the video element plays the master playlist itself, which this Chromium can do.
  await page.addInitScript(() => {
    for (const name of ["MediaSource", "ManagedMediaSource", "WebKitMediaSource"]) Reflect.deleteProperty(window, name);
  });
  await signIn(page, "medarbejder@demo-kommune.dk");
  const seen = await edgeLinksThatExpireOnce(page);
  await page.goto("/kurser/fra-bekymring-til-handling/samtalen-med-barnet");
  await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
  await expect
    .poll(() => page.locator("video").evaluate((video: HTMLVideoElement) => video.src))
    .toMatch(/\/master\.m3u8$/);
  await expect.poll(() => seen.expired, { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(() => seen.masterLoads, { timeout: 30_000 }).toBeGreaterThan(1);
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 30_000 }).toBeGreaterThan(7);
  await expect(page.getByTestId("video-player").getByRole("alert")).toHaveText("");
});
