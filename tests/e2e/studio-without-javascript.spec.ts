import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

/**
 * The studio's forms post to the page's own address rather than "…?index". Without JavaScript
 * the browser posts the form itself, so that address must still reach the page's action.
 */
test.use({ javaScriptEnabled: false });

test("without JavaScript, the studio's forms save at the page's own address", async ({ page }) => {
  await signIn(page, "ejer@rettidig.dk");
  await page.goto("/ejer/studie/kurser/1");
  const courseUrl = page.url();
  const details = page.getByRole("region", { name: "Om kurset" });
  await expect(details.locator("form")).toHaveAttribute("action", "/ejer/studie/kurser/1");
  await details.getByLabel("Minutter på kursusbeviset").fill("90");
  await details.getByRole("button", { name: "Gem ændringerne" }).click();
  await expect(page.getByText("Ændringerne er gemt.")).toBeVisible();
  expect(page.url()).toBe(courseUrl);

  // A refusal comes back beside the field, on the same page.
  await details.getByLabel("Minutter på kursusbeviset").fill("14");
  await details.getByRole("button", { name: "Gem ændringerne" }).click();
  await expect(
    page.getByText("Skriv et helt antal minutter mellem 15 og 6.000, eller lad feltet stå tomt."),
  ).toBeVisible();
  expect(page.url()).toBe(courseUrl);
  // Back as seeded, so the certificates other tests issue keep the films' own length.
  await details.getByLabel("Minutter på kursusbeviset").fill("");
  await details.getByRole("button", { name: "Gem ændringerne" }).click();
  await expect(page.getByText("Ændringerne er gemt.")).toBeVisible();

  await page.goto("/ejer/studie/moduler/1");
  const reflection = page.getByRole("region", { name: "Refleksionsspørgsmål" });
  const questions = reflection.getByRole("textbox");
  const before = await questions.count();
  await reflection.getByRole("button", { name: "Tilføj et spørgsmål" }).click();
  await expect(questions).toHaveCount(before + 1);
  expect(page.url()).toMatch(/\/ejer\/studie\/moduler\/1$/);
});
