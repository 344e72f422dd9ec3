import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import { startTestOidcProvider, type TestOidcProvider } from "../fakes/oidc-provider";
import { expectNoErrorPage, signIn } from "./helpers";

// tests/e2e/serve.ts leaves PUBLIC_URL unset, so the app names itself http://localhost:<port>.
const appPort = process.env.E2E_PORT ?? "3100";

let provider: TestOidcProvider;
test.beforeAll(async () => {
  provider = await startTestOidcProvider({
    redirectUris: [`http://localhost:${appPort}/sso/demo-kommune/oidc/callback`],
    accounts: { "karen-1": { email: "karen.kommune@demo-kommune.dk", name: "Karen Kommune" } },
  });
});
test.afterAll(async () => {
  await provider.close();
});

test("an employee signs in with the municipality's own login and lands on her courses", async ({ page, browser }) => {
  await signIn(page, demoEmails.admin, DEMO_PASSWORD);
  // The browser tests share one database, and sso-saml.spec.ts leaves Demo Kommune on SAML.
  await page.goto("/administration/kommunelogin?protocol=oidc");
  await page.getByLabel("Udstederens adresse (issuer)").fill(provider.issuer);
  await page.getByLabel("Klient-id").fill(provider.clientId);
  await page.getByLabel("Klienthemmelighed").fill(provider.clientSecret);
  await page.getByLabel("Slå kommunelogin til").check();
  await page.getByRole("button", { name: "Gem forbindelsen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forbindelsen er gemt." })).toBeVisible();

  const employee = await (await browser.newContext()).newPage();
  await employee.goto("/sso/demo-kommune/start");
  // The provider's own development login page.
  await employee.locator("input[name=login]").fill("karen-1");
  await employee.locator("input[name=password]").fill("ikke-kontrolleret");
  await employee.locator("button[type=submit]").click();
  await expect(employee).toHaveURL(/\/kurser$/);
  await expect(employee.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();
  await expectNoErrorPage(employee);
  await employee.context().close();
});
