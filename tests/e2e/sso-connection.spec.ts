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
    accounts: {},
  });
});
test.afterAll(async () => {
  await provider.close();
});

test("a municipality's admin connects its OpenID provider and tests the connection", async ({ page }) => {
  await signIn(page, demoEmails.admin, DEMO_PASSWORD);
  await page.goto("/administration");
  await page.getByRole("link", { name: "Kommunelogin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Kommunelogin" })).toBeVisible();
  await expect(page.locator("code", { hasText: "/sso/demo-kommune/oidc/callback" })).toHaveText(
    `http://localhost:${appPort}/sso/demo-kommune/oidc/callback`,
  );
  await expect(page.getByText("demo-kommune.dk", { exact: true })).toBeVisible();

  await page.getByLabel("Udstederens adresse (issuer)").fill(provider.issuer);
  await page.getByLabel("Klient-id").fill(provider.clientId);
  await page.getByLabel("Klienthemmelighed").fill(provider.clientSecret);
  await page.getByRole("button", { name: "Gem forbindelsen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forbindelsen er gemt." })).toBeVisible();
  await expect(page.getByText("Gemt – udfyld kun for at skifte")).toBeVisible();
  await expect(page.getByLabel("Klienthemmelighed")).toHaveValue("");

  await page.getByRole("button", { name: "Test forbindelsen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forbindelsen virker" })).toBeVisible();

  await page.getByLabel("Klienthemmelighed").fill("ikke-den-rigtige-hemmelighed");
  await page.getByRole("button", { name: "Gem forbindelsen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forbindelsen er gemt." })).toBeVisible();
  await page.getByRole("button", { name: "Test forbindelsen" }).click();
  const refusal = "Udbyderen afviste klient-id eller klienthemmelighed. Tjek begge.";
  await expect(page.getByRole("alert").filter({ hasText: refusal })).toBeVisible();
  await expect(page.getByRole("cell", { name: refusal })).toBeVisible();
  await expectNoErrorPage(page);
});
