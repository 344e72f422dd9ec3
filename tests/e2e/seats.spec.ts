import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { expectFilmPlays, invitationLink, signIn } from "./helpers";

test("an admin invites a member of staff, who chooses a password and watches a film", async ({ page, browser }) => {
  await signIn(page, "admin@demo-kommune.dk");
  await page.getByRole("link", { name: "Administration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Administration" })).toBeVisible();
  // Specs before this one may have given seats to people of their own; the seed has 4.
  const seatsInUse = page.getByRole("progressbar", { name: "Pladser i brug på licensen" });
  await expect(seatsInUse).toHaveAttribute("aria-valuetext", /^\d+ af 100 pladser i brug$/);
  const usedBefore = Number((await seatsInUse.getAttribute("aria-valuetext"))!.split(" ")[0]);
  expect(usedBefore).toBeGreaterThanOrEqual(4);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await page.getByLabel("Medarbejderens e-mail").fill("tandplejer@demo-kommune.dk");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invitationen er sendt" })).toHaveText(
    "Invitationen er sendt til tandplejer@demo-kommune.dk.",
  );
  await expect(page.getByRole("cell", { name: "tandplejer@demo-kommune.dk" }).first()).toBeVisible();

  const path = await invitationLink(browser, test.info().project.use.baseURL, "tandplejer@demo-kommune.dk");
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const invitee = await context.newPage();
  await invitee.goto(path);
  await expect(invitee.getByRole("heading", { level: 1, name: "Tag imod din plads" })).toBeVisible();
  await expect(
    invitee.getByText("Demo Kommune har givet tandplejer@demo-kommune.dk en plads på Rettidig."),
  ).toBeVisible();
  await invitee.getByLabel("Dit navn").fill("Tina Tandplejer");
  await invitee.getByLabel("Ny adgangskode", { exact: true }).fill("tandplejens-kode-7");
  await invitee.getByLabel("Gentag ny adgangskode").fill("tandplejens-kode-7");
  await invitee.getByRole("button", { name: "Tag imod pladsen" }).click();
  await expect(invitee.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();

  await invitee.goto("/kurser/sundhedspleje-og-tandpleje/tandplejen-de-mange-udeblivelser");
  await expectFilmPlays(invitee);
  await context.close();

  await page.reload();
  await expect(seatsInUse).toHaveAttribute("aria-valuetext", `${usedBefore + 1} af 100 pladser i brug`);
  const row = page
    .getByRole("region", { name: "Medarbejdere i Demo Kommune" })
    .getByRole("row", { name: /Tina Tandplejer/ });
  await expect(row).toContainText("Har plads");
});

test("a learner cannot open the administration", async ({ page }) => {
  await signIn(page, "medarbejder@demo-kommune.dk");
  await expect(page.getByRole("link", { name: "Administration" })).toHaveCount(0);
  const response = await page.goto("/administration");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("alert")).toHaveText("Kun kommunens administratorer har adgang.");
});
