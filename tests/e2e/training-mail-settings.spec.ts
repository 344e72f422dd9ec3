import { expect, test } from "@playwright/test";
import { expectNoErrorPage, signIn } from "./helpers";

const LEARNER_REMINDERS = "Påmindelser til medarbejderne 14, 7 og 1 dag før fristen, og når den er overskredet";
const LEADER_DIGEST =
  "Ugentligt overblik til lederne over, hvem i deres enhed der snart har frist eller har overskredet den";
const ADMIN_SUMMARY = "Månedligt overblik til administratorerne over hele kommunen";

// Nabo Kommune, so the mails other specs expect from Demo Kommune keep coming.
test("an admin switches the reminders to staff off and on again, and the page remembers it", async ({ page }) => {
  await signIn(page, "admin@nabo-kommune.dk");
  await page.goto("/administration/obligatorisk/paamindelser");
  await expect(page.getByRole("heading", { level: 1, name: "Mails om obligatoriske kurser" })).toBeVisible();
  const switches = page.getByRole("group", { name: "Mails, der sendes" });
  for (const label of [LEARNER_REMINDERS, LEADER_DIGEST, ADMIN_SUMMARY])
    await expect(switches.getByLabel(label)).toBeChecked();

  await switches.getByLabel(LEARNER_REMINDERS).uncheck();
  await page.getByRole("button", { name: "Gem indstillingerne" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Indstillingerne er gemt." })).toBeVisible();

  await page.reload();
  await expectNoErrorPage(page);
  await expect(switches.getByLabel(LEARNER_REMINDERS)).not.toBeChecked();
  await expect(switches.getByLabel(LEADER_DIGEST)).toBeChecked();
  await expect(switches.getByLabel(ADMIN_SUMMARY)).toBeChecked();

  await switches.getByLabel(LEARNER_REMINDERS).check();
  await page.getByRole("button", { name: "Gem indstillingerne" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Indstillingerne er gemt." })).toBeVisible();
  await page.reload();
  await expect(switches.getByLabel(LEARNER_REMINDERS)).toBeChecked();
});
