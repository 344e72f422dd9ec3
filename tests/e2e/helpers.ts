import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "~/cli/seed/accounts";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill(password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();
}

/** The error page's headings (GeneralErrorBoundary): a refusal shown in place shows none of them. */
const ERROR_PAGE_TITLES = /^(Der gik noget galt|Vi kan ikke finde siden|Ingen adgang|Det kunne ikke lade sig gøre)$/;

export async function expectNoErrorPage(page: Page) {
  await expect(page.getByRole("heading", { level: 1, name: ERROR_PAGE_TITLES })).toHaveCount(0);
}

/** Presses play on the module page and waits until the film has really run for a second. */
export async function expectFilmPlays(page: Page) {
  await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
  await expect
    .poll(() => page.locator("video").evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 20_000 })
    .toBeGreaterThan(1);
}
