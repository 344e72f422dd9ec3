import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { pdfText } from "../utils/pdf-text";
import { expectFilmPlays, signIn } from "./helpers";

async function expectNoSeriousAxeViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
}

async function download(page: Page, click: () => Promise<void>) {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), body: fs.readFileSync(path) };
}

async function mailedLink(browser: Browser, to: string, pattern: RegExp) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const owner = await context.newPage();
  await signIn(owner, "ejer@rettidig.dk");
  await owner.goto("/udvikler/udbakke");
  const text = await owner
    .locator("article", { hasText: `Til: ${to}` })
    .first()
    .locator("pre")
    .innerText();
  await context.close();
  const link = text.match(pattern)?.[0];
  expect(link, `a link mailed to ${to}`).toBeTruthy();
  return new URL(link!).pathname;
}

const normalise = (text: string) => text.replace(/\s+/g, " ");

test("an admin orders the pilot licence, gets the invoice, hands out a seat, and sees it paid", async ({
  page,
  browser,
}) => {
  await signIn(page, "admin@nabo-kommune.dk");
  await page.getByRole("link", { name: "Priser" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Priser" })).toBeVisible();
  await expect(page.getByRole("article", { name: /Pilotlicens/ })).toContainText("239.900,00 kr.");
  await expectNoSeriousAxeViolations(page);
  await page.getByRole("link", { name: /Bestil Pilotlicens/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Bestil licens" })).toBeVisible();
  await expect(page.getByLabel("CVR-nummer")).toHaveValue("37461008");
  await expect(page.getByLabel("EAN-nummer for den bestillende enhed")).toHaveValue("5798000543218");
  await page.getByLabel("Rabatkode (valgfri)").fill("PILOT2026");
  await page.getByLabel("Ordre- eller rekvisitionsnummer").fill("NK-2026-117");
  await page.getByLabel("Personreference").fill("Mona Lykke");
  await page.getByRole("button", { name: "Se opsummering" }).click();

  const summary = page.getByRole("region", { name: "Opsummering" });
  await expect(summary).toContainText("59.975,00 kr.");
  await expect(summary).toContainText("14.993,75 kr.");
  await expect(summary).toContainText("74.968,75 kr.");
  await expectNoSeriousAxeViolations(page);

  const quote = await download(page, () => summary.getByRole("button", { name: "Hent tilbud som PDF" }).click());
  expect(quote.name).toMatch(/^tilbud-.*\.pdf$/);
  expect(normalise(await pdfText(quote.body))).toContain("74.968,75 kr.");

  // The order is not placed until the terms are accepted.
  const terms = summary.getByLabel("Jeg har læst og accepterer handelsbetingelserne på vegne af kommunen.");
  await summary.getByRole("button", { name: "Afgiv bestilling" }).click();
  expect(await terms.evaluate((box: HTMLInputElement) => box.validity.valueMissing)).toBe(true);
  await expect(page.getByRole("heading", { level: 1, name: "Bestil licens" })).toBeVisible();
  await terms.check();
  await summary.getByRole("button", { name: "Afgiv bestilling" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tak for bestillingen" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Faktura nr. 1 er sendt til faktura@nabo-kommune.dk.");

  const invoicePdf = await download(page, () => page.getByRole("link", { name: "Faktura 1 som PDF" }).click());
  const pdf = normalise(await pdfText(invoicePdf.body));
  for (const expected of [
    "Faktura",
    "59.975,00 kr.",
    "14.993,75 kr.",
    "74.968,75 kr.",
    "5798000543218",
    "NK-2026-117",
    "Mona Lykke",
  ])
    expect(pdf).toContain(expected);
  const invoiceXml = await download(page, () => page.getByRole("link", { name: "Faktura 1 som OIOUBL-XML" }).click());
  const xml = invoiceXml.body.toString("utf8");
  expect(xml).toContain('<cbc:EndpointID schemeAgencyID="9" schemeID="GLN">5798000543218</cbc:EndpointID>');
  expect(xml).toContain('<cbc:PayableAmount currencyID="DKK">74968.75</cbc:PayableAmount>');
  expect(xml).toContain("<cbc:ID>NK-2026-117</cbc:ID>");

  await page.getByRole("link", { name: "Gå til administrationen" }).click();
  const licence = page.locator("section.admin-licence").filter({ hasText: "NK-2026-117" });
  await expect(licence.getByText("Afventer betaling").first()).toBeVisible();
  await licence.getByLabel("Medarbejderens e-mail").fill("paedagog@nabo-kommune.dk");
  await licence.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invitationen er sendt" })).toBeVisible();

  const invitation = await mailedLink(browser, "paedagog@nabo-kommune.dk", /https?:\/\/\S+\/invitation\/\S+/);
  const staffContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const staff = await staffContext.newPage();
  await staff.goto(invitation);
  await staff.getByLabel("Dit navn").fill("Peter Pædagog");
  await staff.getByLabel("Ny adgangskode", { exact: true }).fill("paedagogens-kode-7");
  await staff.getByLabel("Gentag ny adgangskode").fill("paedagogens-kode-7");
  await staff.getByRole("button", { name: "Tag imod pladsen" }).click();
  await expect(staff.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();
  await staff
    .getByRole("link", { name: /Åbn|Fortsæt/ })
    .first()
    .click();
  await staff.locator(".module-item a").first().click();
  await expectFilmPlays(staff);
  await staffContext.close();

  const ownerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const owner = await ownerContext.newPage();
  await signIn(owner, "ejer@rettidig.dk");
  await owner.getByRole("link", { name: "Fakturaer" }).click();
  await expect(owner.getByRole("heading", { level: 1, name: "Fakturaer" })).toBeVisible();
  await expectNoSeriousAxeViolations(owner);
  await owner.getByRole("button", { name: "Markér faktura 1 som betalt" }).click();
  await expect(owner.getByRole("status")).toHaveText("Faktura 1 er markeret som betalt.");
  await ownerContext.close();

  await page.reload();
  await expect(licence.getByText("Betaling: Betalt")).toBeVisible();
  await expect(licence.getByRole("cell", { name: "Betalt" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});
