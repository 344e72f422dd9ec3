import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import { startTestSamlIdp, type TestSamlIdp } from "../fakes/saml-idp";
import { expectFilmPlays, expectNoErrorPage, signIn, switchOffMunicipalLogin } from "./helpers";

// tests/e2e/serve.ts leaves PUBLIC_URL unset, so the app names itself http://localhost:<port>.
const appPort = process.env.E2E_PORT ?? "3100";
const MODULE = "/kurser/unges-egne-fortaellinger/sofie-ingen-spurgte-til-mig";

let idp: TestSamlIdp;
test.beforeAll(async () => {
  idp = await startTestSamlIdp({
    users: { "karen-1": { email: "karen.saml@demo-kommune.dk", name: "Karen Saml", unit: "Sundhedsplejen" } },
  });
});
test.afterAll(async ({ browser }) => {
  await switchOffMunicipalLogin(browser);
  await idp.close();
});

test("an admin connects the municipality's SAML provider, and an employee signs in there and watches a film", async ({
  page,
  browser,
}) => {
  await signIn(page, demoEmails.admin, DEMO_PASSWORD);
  await page.goto("/administration/kommunelogin");
  await page.getByRole("link", { name: /^SAML 2\.0/ }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Forbindelsen til SAML-udbyderen" })).toBeVisible();
  await page.getByLabel("Adressen på udbyderens metadata").fill(idp.metadataUrl);
  await page.getByLabel("Slå kommunelogin til").check();
  await page.getByRole("button", { name: "Hent metadata og gem" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forbindelsen er gemt." })).toBeVisible();
  await expect(page.locator("code", { hasText: "/saml/acs" })).toHaveText(
    `http://localhost:${appPort}/sso/demo-kommune/saml/acs`,
  );
  await expect(page.locator("code", { hasText: idp.ssoUrl })).toBeVisible();

  await page.getByRole("button", { name: "Test forbindelsen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forbindelsen virker" })).toBeVisible();

  const context = await browser.newContext();
  const employee = await context.newPage();
  await employee.goto("/sso/demo-kommune/start");
  // The test provider's own page: it has checked the request's signature against our metadata.
  await employee.getByLabel("Brugernavn").fill("karen-1");
  await employee.getByRole("button", { name: "Log ind" }).click();
  await employee.getByRole("button", { name: "Fortsæt" }).click();
  await expect(employee).toHaveURL(/\/kurser$/);
  await expect(employee.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();
  await employee.goto(MODULE);
  await expectFilmPlays(employee);
  await expectNoErrorPage(employee);
  await context.close();

  await page.goto("/administration");
  const row = page
    .getByRole("region", { name: "Medarbejdere i Demo Kommune" })
    .getByRole("row", { name: /Karen Saml/ });
  await expect(row).toContainText("Sundhedsplejen");
});
