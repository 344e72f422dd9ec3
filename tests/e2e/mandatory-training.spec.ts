import { expect, test } from "@playwright/test";
import { demoEmails } from "~/cli/seed/accounts";
import { danishDate, shiftDays } from "~/i18n/dates";
import { formatDay } from "~/i18n/i18n";
import { expectNoErrorPage, expectNoSeriousViolations, signIn } from "./helpers";

const COURSE = "Unges egne fortællinger";
const UNIT = "Skovbrynets Børnehus";

/**
 * Issue 12, "done when", first half: Demo Kommune's admin makes a course mandatory for one unit
 * with a due date, and a learner in that unit sees it first on "Mine kurser" with the date. A
 * leader naming someone outside their unit is refused in place. Looked at as on a phone, 360 px
 * wide. The admin takes the assignment away again at the end, so the specs after this one find
 * "Mine kurser" as the seed left it.
 */
test.use({ viewport: { width: 360, height: 800 } });

test("an admin makes a course mandatory for a unit, and its learner sees it first with the date", async ({
  browser,
  baseURL,
}) => {
  const dueOn = shiftDays(danishDate(), 10);
  const admin = await (await browser.newContext({ baseURL })).newPage();
  await signIn(admin, demoEmails.admin);
  await admin.goto("/administration");
  await admin.getByRole("link", { name: "Obligatoriske kurser" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Obligatoriske kurser" })).toBeVisible();
  await expect(admin.getByRole("link", { name: "Overblik" })).toBeVisible();
  await expect(admin.getByRole("link", { name: "Påmindelser" })).toBeVisible();
  await admin.getByLabel("Kursus").selectOption({ label: COURSE });
  await admin.getByRole("radio", { name: "En enhed" }).check();
  await admin.getByLabel("Enhed", { exact: true }).selectOption({ label: UNIT });
  await admin.getByRole("radio", { name: "En dato" }).check();
  await admin.getByLabel("Dato", { exact: true }).fill(dueOn);
  await admin.getByRole("button", { name: "Gør obligatorisk" }).click();
  await expect(admin.getByRole("status")).toContainText("Kurset er nu obligatorisk.");
  const row = admin.getByRole("row", { name: new RegExp(COURSE) });
  await expect(row).toContainText(`Enheden ${UNIT}`);
  await expect(row).toContainText(formatDay("da", dueOn));
  await expectNoSeriousViolations(admin);
  await admin.screenshot({ path: "tests/results/screens/obligatorisk-admin-360.png", fullPage: true });

  const learner = await (await browser.newContext({ baseURL })).newPage();
  await signIn(learner, demoEmails.learner);
  const mandatory = learner.getByRole("region", { name: "Obligatoriske kurser" });
  await expect(mandatory.getByRole("heading", { level: 3 }).first()).toHaveText(COURSE);
  await expect(mandatory).toContainText(`Skal være gennemført senest ${formatDay("da", dueOn)}`);
  await expect(mandatory).toContainText("Ikke startet");
  await expect(mandatory.getByRole("link", { name: "Hent fristerne til din kalender" })).toBeVisible();
  await expect(learner.getByRole("heading", { level: 2, name: "Valgfrie kurser" })).toBeVisible();
  await expectNoSeriousViolations(learner);
  await learner.screenshot({ path: "tests/results/screens/mine-kurser-obligatorisk-360.png", fullPage: true });

  // Mette works in Sundhedsplejen, not in the leader's unit.
  const leader = await (await browser.newContext({ baseURL })).newPage();
  await signIn(leader, demoEmails.leader);
  await leader.goto("/leder");
  await leader.getByRole("link", { name: "Obligatoriske kurser for din enhed" }).click();
  await leader.getByRole("radio", { name: "Udvalgte personer" }).check();
  await leader.getByLabel("Personernes e-mailadresser").fill(demoEmails.healthVisitor);
  await leader.getByRole("button", { name: "Gør obligatorisk" }).click();
  await expect(leader.getByRole("alert")).toHaveText(
    "Som leder kan du kun gøre et kursus obligatorisk for din egen enhed.",
  );
  await expectNoErrorPage(leader);
  await expect(leader.getByLabel("Personernes e-mailadresser")).toHaveValue(demoEmails.healthVisitor);
  await leader.screenshot({ path: "tests/results/screens/obligatorisk-leder-afvist-360.png", fullPage: true });

  await admin.getByRole("button", { name: `Gør ${COURSE} valgfrit igen` }).click();
  await expect(admin.getByRole("status")).toContainText("Kurset er ikke længere obligatorisk");
  await learner.reload();
  await expect(learner.getByRole("region", { name: "Obligatoriske kurser" })).toHaveCount(0);
});
