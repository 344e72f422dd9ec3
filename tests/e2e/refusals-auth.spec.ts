import { expect, test } from "@playwright/test";
import { expectNoErrorPage, expectNoSeriousViolations, invitationLink, signIn } from "./helpers";

const spent = "Invitationen er udløbet eller allerede brugt. Bed din administrator om en ny.";

test.describe("at 360 px", () => {
  test.use({ viewport: { width: 360, height: 800 } });

  test("a person who opens a spent invitation is told so on the invitation page, with what to do next", async ({
    page,
    browser,
  }) => {
    // Someone who already holds a seat, so accepting uses none: other specs count the licence's seats.
    const email = "medarbejder@demo-kommune.dk";
    await signIn(page, "admin@demo-kommune.dk");
    await page.goto("/administration");
    await page.getByLabel("Medarbejderens e-mail").fill(email);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Invitationen er sendt" })).toBeVisible();
    const path = await invitationLink(browser, test.info().project.use.baseURL, email);

    const context = await browser.newContext({
      baseURL: test.info().project.use.baseURL,
      viewport: { width: 360, height: 800 },
    });
    const invitee = await context.newPage();
    await signIn(invitee, email);
    await invitee.goto(path);
    await invitee.getByRole("button", { name: "Tag imod pladsen" }).click();
    await expect(invitee.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();

    // The same link again, signed in: the invitation page itself says why, and points to the courses.
    const again = await invitee.goto(path);
    expect(again?.status()).toBe(410);
    await expect(invitee.getByRole("heading", { level: 1, name: "Tag imod din plads" })).toBeVisible();
    await expect(invitee.getByRole("alert")).toHaveText(spent);
    await expect(invitee.getByRole("main").getByRole("link", { name: "Mine kurser" })).toBeVisible();
    await expectNoErrorPage(invitee);
    await context.close();

    // On another device, not signed in: the same message, and the way to sign in.
    const otherDevice = await browser.newContext({
      baseURL: test.info().project.use.baseURL,
      viewport: { width: 360, height: 800 },
    });
    const stranger = await otherDevice.newPage();
    const opened = await stranger.goto(path);
    expect(opened?.status()).toBe(410);
    await expect(stranger.getByRole("heading", { level: 1, name: "Tag imod din plads" })).toBeVisible();
    await expect(stranger.getByRole("alert")).toHaveText(spent);
    await expect(stranger.getByText("Har du allerede taget imod den, så log ind:")).toBeVisible();
    await expectNoSeriousViolations(stranger);
    await stranger.screenshot({ path: test.info().outputPath("spent-invitation-360.png"), fullPage: true });
    await stranger.getByRole("main").getByRole("link", { name: "Log ind" }).click();
    await expect(stranger.getByRole("heading", { level: 1, name: "Log ind" })).toBeVisible();
    await otherDevice.close();
  });

  test("a dead reset link and a dead join link are explained on their own pages", async ({ page }) => {
    const reset = await page.goto("/nulstil-adgangskode/et-link-der-ikke-virker");
    expect(reset?.status()).toBe(410);
    await expect(page.getByRole("heading", { level: 1, name: "Vælg ny adgangskode" })).toBeVisible();
    await expect(page.getByRole("alert")).toHaveText("Linket er udløbet eller allerede brugt. Bed om et nyt link.");
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: test.info().outputPath("dead-reset-link-360.png"), fullPage: true });
    await page.getByRole("link", { name: "Bed om et nyt link" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Glemt adgangskode" })).toBeVisible();

    const join = await page.goto("/deltag/et-link-der-ikke-findes");
    expect(join?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Tag en plads på Rettidig" })).toBeVisible();
    await expect(page.getByRole("alert")).toHaveText(
      "Linket findes ikke. Tjek, at du har fået hele linket med, eller spørg din administrator.",
    );
    await expectNoSeriousViolations(page);
  });
});
