import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { privacyPurges } from "#db/schema";
import { danishDate } from "~/i18n/dates";
import { pdfText } from "../utils/pdf-text";
import { expectNoSeriousViolations, signIn, withServerDatabase } from "./helpers";

// Nabo Kommune, so the seeded Demo Kommune keeps the default policy other specs expect.
const ADMIN = "admin@nabo-kommune.dk";

test("an admin changes the retention policy, sees the next and last purge, and downloads the annex", async ({
  page,
  baseURL,
}) => {
  await signIn(page, ADMIN);
  await page.goto("/administration");
  await page.getByRole("link", { name: "Databeskyttelse", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Databeskyttelse" })).toBeVisible();
  const months = page.getByLabel("Opbevaring efter sidste plads");
  const grace = page.getByLabel("Frist før en person fjernes fra lister over medarbejdere");

  // A number out of bounds is refused beside its field, and nothing is saved.
  await months.fill("200");
  await page.getByRole("button", { name: "Gem reglerne" }).click();
  await expect(page.getByText("Skriv et helt antal måneder fra 1 til 120.")).toBeVisible();
  await page.reload();
  await expect(months).toHaveValue("12");
  await expect(page.getByText("Kommunen har ikke valgt selv")).toBeVisible();

  await months.fill("18");
  await grace.fill("14");
  await page.getByRole("button", { name: "Gem reglerne" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reglerne er gemt" })).toBeVisible();
  await page.reload();
  await expect(page.getByText("18 måneder")).toBeVisible();
  await expect(page.getByText("14 dage")).toBeVisible();
  await expect(page.getByText("Kommunen har ikke valgt selv")).toBeHidden();
  await expect(page.getByText(/^Næste oprydning: /)).toBeVisible();

  // Tonight's purge, as the job records it, shows with what it removed.
  withServerDatabase(baseURL!, (db) => {
    const summary = JSON.stringify({ sessions: 3, outboxEmails: 7 });
    const now = new Date();
    db.insert(privacyPurges)
      .values({ day: danishDate(now), startedAt: now, finishedAt: now, summary })
      .onConflictDoUpdate({ target: privacyPurges.day, set: { finishedAt: now, summary } })
      .run();
  });
  await page.reload();
  const counts = page.getByRole("table", { name: "Det, den seneste oprydning fjernede" });
  await expect(counts.getByRole("row", { name: "Udløbne eller forladte log ind-sessioner 3" })).toBeVisible();
  await expect(counts.getByRole("row", { name: "Gamle e-mails i udbakken 7" })).toBeVisible();
  await expectNoSeriousViolations(page);
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `tests/results/screens/databeskyttelse-${width}.png`, fullPage: true });
  }

  await page.getByRole("link", { name: /^Beskrivelse af behandlingen/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Beskrivelse af behandlingen" })).toBeVisible();
  await expect(page.getByText("Nabo Kommune", { exact: true })).toBeVisible();
  await page.screenshot({ path: "tests/results/screens/databehandling-360.png", fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Hent som PDF" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("databehandling.pdf");
  const text = (await pdfText(fs.readFileSync(await download.path()))).replace(/\s+/g, " ");
  expect(text).toContain("Nabo Kommune");
  expect(text).toContain("18 måneder");
  expect(text).toContain("Sikkerhedsforanstaltninger");
});
