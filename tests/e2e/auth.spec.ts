import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("a wrong password gives one Danish message and no session", async ({ page }) => {
  await page.goto("/kurser");
  await expect(page).toHaveURL(/\/log-ind\?redirectTo=%2Fkurser/);
  await page.getByLabel("E-mail").fill("medarbejder@demo-kommune.dk");
  await page.getByRole("button", { name: "Fortsæt" }).click();
  // A municipality without a login of its own: the password comes next, and takes the focus.
  await expect(page.getByLabel("Adgangskode")).toBeFocused();
  await page.getByLabel("Adgangskode").fill("ikke-den-rigtige");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page.getByRole("alert")).toHaveText("E-mail eller adgangskode er forkert.");
  await page.goto("/kurser");
  await expect(page).toHaveURL(/\/log-ind/);
});

test("the learner signs in, lands on their courses and signs out", async ({ page }) => {
  await signIn(page, "medarbejder@demo-kommune.dk");
  await expect(page.getByRole("heading", { level: 2 })).toHaveCount(4);
  await page.getByRole("button", { name: "Log ud" }).click();
  await expect(page.getByRole("status")).toHaveText("Du er nu logget ud.");
  await page.goto("/kurser");
  await expect(page).toHaveURL(/\/log-ind/);
});

// The health visitor takes part in no other browser test, so the new password surprises none of them.
test("a forgotten password is reset through the link in the e-mail", async ({ page, browser }) => {
  await page.goto("/log-ind");
  await page.getByRole("link", { name: "Glemt din adgangskode?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Glemt adgangskode" })).toBeVisible();
  await page.getByLabel("E-mail").fill("sundhedsplejerske@demo-kommune.dk");
  await page.getByRole("button", { name: "Send link" }).click();
  await expect(page.getByRole("status")).toContainText("Hvis e-mailen hører til en bruger hos os");

  // The outbox holds reset links, so only the course owner may read it, in a browser of their own.
  const ownerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const owner = await ownerContext.newPage();
  await signIn(owner, "ejer@rettidig.dk");
  await owner.goto("/udvikler/udbakke");
  const mail = owner.locator("article", { hasText: "Til: sundhedsplejerske@demo-kommune.dk" }).first();
  const link = (await mail.locator("pre").innerText()).match(/https?:\/\/\S+\/nulstil-adgangskode\/\S+/)?.[0];
  await ownerContext.close();
  expect(link).toBeTruthy();
  await page.goto(new URL(link!).pathname);

  await page.getByLabel("Ny adgangskode", { exact: true }).fill("kort");
  await page.getByLabel("Gentag ny adgangskode").fill("kort");
  await page.getByRole("button", { name: "Gem ny adgangskode" }).click();
  await expect(page.getByText("Adgangskoden skal være mindst 10 tegn.")).toBeVisible();

  await page.getByLabel("Ny adgangskode", { exact: true }).fill("en-helt-ny-kode-42");
  await page.getByLabel("Gentag ny adgangskode").fill("en-helt-ny-kode-42");
  await page.getByRole("button", { name: "Gem ny adgangskode" }).click();
  await expect(page.getByRole("status")).toHaveText("Din adgangskode er skiftet. Log ind med den nye.");
  await signIn(page, "sundhedsplejerske@demo-kommune.dk", "en-helt-ny-kode-42");
});

test("the language switch shows the pages in English and back", async ({ page }) => {
  await page.goto("/log-ind");
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("button", { name: "Skift til dansk" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log ind");
});
