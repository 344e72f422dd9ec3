import { expect, test } from "@playwright/test";
import { expectNoErrorPage, signIn } from "./helpers";

const PLAN = "Prøvelicens med én plads";

test("an admin inviting into a full licence is told so on the page they were on, in Danish", async ({
  page,
  browser,
}) => {
  // The owner puts a licence with a single seat on sale.
  const ownerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const owner = await ownerContext.newPage();
  await signIn(owner, "ejer@rettidig.dk");
  await owner.goto("/ejer/priser");
  const createPlan = owner.locator("form").filter({ has: owner.getByRole("button", { name: "Opret licens" }) });
  await createPlan.getByLabel("Navn").fill(PLAN);
  await createPlan.getByLabel("Antal pladser").fill("1");
  await createPlan.getByLabel(/Pris pr\. plads/).fill("100,00");
  await createPlan.getByRole("button", { name: "Opret licens" }).click();
  await expect(owner.getByRole("status").filter({ hasText: "Licensen er oprettet" })).toBeVisible();
  await ownerContext.close();

  // Nabo Kommune, which has no licence yet, buys it.
  await signIn(page, "admin@nabo-kommune.dk");
  await page.goto("/priser");
  await page.getByRole("link", { name: `Bestil ${PLAN}` }).click();
  await page.getByLabel("Ordre- eller rekvisitionsnummer").fill("NK-PROEVE-1");
  await page.getByLabel("Personreference").fill("Mona Lykke");
  await page.getByRole("button", { name: "Se opsummering" }).click();
  const summary = page.getByRole("region", { name: "Opsummering" });
  await summary.getByLabel("Jeg har læst og accepterer handelsbetingelserne på vegne af kommunen.").check();
  await summary.getByRole("button", { name: "Afgiv bestilling" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tak for bestillingen" })).toBeVisible();

  // The admin takes its one seat through a join link. Other browser tests may have bought Nabo Kommune more licences.
  await page.goto("/administration/tilmeldingslinks");
  const licenceChoice = page.getByLabel("Licens", { exact: true });
  await licenceChoice.selectOption(
    (await licenceChoice.locator("option", { hasText: "(1 pladser)" }).getAttribute("value")) ?? "",
  );
  await page.getByLabel("Højst antal tilmeldinger").fill("1");
  await page.getByRole("button", { name: "Opret link" }).click();
  const link = await page.getByLabel("Tilmeldingslink", { exact: true }).inputValue();
  await page.goto(new URL(link).pathname);
  await page.getByRole("button", { name: "Tag pladsen" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();

  // Inviting someone now is refused on the administration page, beside the licence's own form.
  await page.goto("/administration");
  const licence = page.locator("section.admin-licence").filter({ hasText: "NK-PROEVE-1" });
  await expect(licence).toHaveCount(1);
  await expect(licence.getByRole("progressbar", { name: "Pladser i brug på licensen" })).toHaveAttribute(
    "aria-valuetext",
    "1 af 1 pladser i brug",
  );
  await licence.getByLabel("Medarbejderens e-mail").fill("en-for-mange@nabo-kommune.dk");
  await licence.getByRole("button", { name: "Send invitation" }).click();

  const refusal = licence.getByRole("alert").filter({ hasText: "Licensen er fuld" });
  await expect(refusal).toHaveText(
    "Licensen er fuld: dens ene plads er i brug. Tag pladsen tilbage, eller køb flere pladser.",
  );
  await expect(page.getByRole("heading", { level: 1, name: "Administration" })).toBeVisible();
  await expectNoErrorPage(page);
  // What was typed is still there, and nobody was invited.
  await expect(licence.getByLabel("Medarbejderens e-mail")).toHaveValue("en-for-mange@nabo-kommune.dk");
  await expect(licence.getByRole("cell", { name: "en-for-mange@nabo-kommune.dk" })).toHaveCount(0);

  await page.setViewportSize({ width: 360, height: 780 });
  await refusal.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath("fuld-licens-360.png") });
});

test("a quote that can no longer be made brings the admin back to the order, with what to correct", async ({
  page,
  browser,
}) => {
  const ownerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const owner = await ownerContext.newPage();
  await signIn(owner, "ejer@rettidig.dk");
  await owner.goto("/ejer/priser");
  const createDiscount = owner.locator("form").filter({ has: owner.getByRole("button", { name: "Opret rabat" }) });
  await createDiscount.getByLabel("Betegnelse").fill("Prøverabat");
  await createDiscount.getByLabel("Rabatkode").fill("PROEVE-10");
  await createDiscount.getByLabel("Rabat i procent").fill("10");
  await createDiscount.getByRole("button", { name: "Opret rabat" }).click();
  await expect(owner.getByRole("status").filter({ hasText: "Rabatten er oprettet" })).toBeVisible();

  await signIn(page, "admin@demo-kommune.dk");
  await page.goto("/administration/bestil");
  await page.getByLabel("Rabatkode (valgfri)").fill("PROEVE-10");
  await page.getByLabel("Ordre- eller rekvisitionsnummer").fill("DK-TILBUD-7");
  await page.getByLabel("Personreference").fill("Hanne Berg");
  await page.getByRole("button", { name: "Se opsummering" }).click();
  const summary = page.getByRole("region", { name: "Opsummering" });
  await expect(summary).toContainText("Prøverabat");

  // While the summary is open, the owner withdraws the code.
  await owner.getByRole("button", { name: "Deaktivér rabatten Prøverabat" }).click();
  await expect(owner.getByRole("status").filter({ hasText: "Rabatten er deaktiveret" })).toBeVisible();
  await ownerContext.close();

  await summary.getByRole("button", { name: "Hent tilbud som PDF" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Bestil licens" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Tilbuddet kunne ikke laves" })).toHaveText(
    "Tilbuddet kunne ikke laves, fordi bestillingen har fejl. Ret de markerede felter, og se opsummeringen igen.",
  );
  await expect(page.getByText("Rabatkoden findes ikke")).toBeVisible();
  await expect(page.getByLabel("Ordre- eller rekvisitionsnummer")).toHaveValue("DK-TILBUD-7");
  await expectNoErrorPage(page);
});
