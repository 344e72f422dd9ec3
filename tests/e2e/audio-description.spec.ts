import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const COURSE = "/kurser/unges-egne-fortaellinger";

const currentTime = (page: Page) => page.locator("video").evaluate((video: HTMLVideoElement) => video.currentTime);

/** Requests for segments of one of the film's two audio renditions, from now on. */
function segmentRequests(page: Page, rendition: "audio-main" | "audio-described") {
  const seen: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes(`/${rendition}/seg_`)) seen.push(request.url());
  });
  return seen;
}

test("Synstolkning switches to the described soundtrack while the film plays, and back, from the keyboard", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, "medarbejder@demo-kommune.dk");
  await page.goto(`${COURSE}/mikkel-den-stille-dreng-bagerst`);
  const player = page.getByTestId("video-player");
  await player.getByRole("button", { name: "Afspil" }).click();
  await expect.poll(() => currentTime(page), { timeout: 20_000 }).toBeGreaterThan(1);

  // The film's own sound plays first: the first audio rendition, with the button not pressed.
  const describedButton = player.getByRole("button", { name: "Synstolkning" });
  await expect(describedButton).toHaveAttribute("aria-pressed", "false");
  await expect(player).toHaveAttribute("data-audio-track", "0");

  const described = segmentRequests(page, "audio-described");
  const before = await currentTime(page);
  await describedButton.focus();
  await page.keyboard.press("Enter");
  await expect(describedButton).toHaveAttribute("aria-pressed", "true");
  await expect(player).toHaveAttribute("data-audio-track", "1");
  await expect.poll(() => described.length, { timeout: 15_000 }).toBeGreaterThan(0);
  // Switched in place: the film runs on from where it was, without starting over.
  await expect.poll(() => currentTime(page), { timeout: 15_000 }).toBeGreaterThan(before + 2);
  expect(await page.locator("video").evaluate((video: HTMLVideoElement) => video.paused)).toBe(false);

  const main = segmentRequests(page, "audio-main");
  const beforeBack = await currentTime(page);
  await page.keyboard.press("Enter");
  await expect(describedButton).toHaveAttribute("aria-pressed", "false");
  await expect(player).toHaveAttribute("data-audio-track", "0");
  await expect.poll(() => main.length, { timeout: 15_000 }).toBeGreaterThan(0);
  await expect.poll(() => currentTime(page), { timeout: 15_000 }).toBeGreaterThan(beforeBack + 2);
});

test("the choice of Synstolkning is remembered for the next film", async ({ page }) => {
  await signIn(page, "medarbejder@demo-kommune.dk");
  await page.goto(`${COURSE}/jonas-paedagogen-der-blev-ved`);
  const player = page.getByTestId("video-player");
  const describedButton = player.getByRole("button", { name: "Synstolkning" });
  await expect(describedButton).toHaveAttribute("aria-pressed", "false");
  await describedButton.click();
  await expect(describedButton).toHaveAttribute("aria-pressed", "true");

  await page.goto(`${COURSE}/amira-vi-flyttede-hele-tiden`);
  await expect(player.getByRole("button", { name: "Synstolkning" })).toHaveAttribute("aria-pressed", "true");
  await expect(player).toHaveAttribute("data-audio-track", "1");
});

test("every page's footer links to the accessibility statement, which anyone can read", async ({ page }) => {
  await page.goto("/priser");
  const footer = page.getByRole("contentinfo");
  await footer.getByRole("link", { name: "Tilgængelighedserklæring" }).click();
  await expect(page).toHaveURL(/\/tilgaengelighed$/);
  await expect(page.getByRole("heading", { level: 1, name: "Tilgængelighedserklæring" })).toBeVisible();
  await expect(page.getByText(/WCAG 2\.1 på niveau AA/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Kendte mangler" })).toBeVisible();
  await expect(page.getByRole("link", { name: "tilgaengelighed@rettidig.dk" })).toHaveAttribute(
    "href",
    "mailto:tilgaengelighed@rettidig.dk",
  );
  await expect(page.getByText(/Erklæringen blev sidst gennemgået \d+\. \w+ \d{4}\./)).toBeVisible();

  // Signed in, the footer is there too.
  await signIn(page, "medarbejder@demo-kommune.dk");
  await page.goto(COURSE);
  await expect(page.getByRole("contentinfo").getByRole("link", { name: "Tilgængelighedserklæring" })).toBeVisible();
});
