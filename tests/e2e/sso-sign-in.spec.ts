import { expect, test, type Browser, type Page } from "@playwright/test";
import { demoEmails } from "~/cli/seed/accounts";
import { startTestOidcProvider, type TestOidcProvider } from "../fakes/oidc-provider";
import { expectFilmPlays, expectNoErrorPage, signIn, switchOffMunicipalLogin } from "./helpers";

// tests/e2e/serve.ts leaves PUBLIC_URL unset, so the app names itself http://localhost:<port>.
const appPort = process.env.E2E_PORT ?? "3100";
const app = `http://localhost:${appPort}`;
const FILM = "/kurser/unges-egne-fortaellinger/sofie-ingen-spurgte-til-mig";

let provider: TestOidcProvider;
test.beforeAll(async () => {
  provider = await startTestOidcProvider({
    redirectUris: [`${app}/sso/demo-kommune/oidc/callback`],
    postLogoutRedirectUris: [`${app}/log-ind?besked=signed-out`],
    accounts: {
      "karen-1": { email: "karen.kommune@demo-kommune.dk", name: "Karen Kommune", unit: "Sundhedsplejen" },
      "bo-1": {
        email: "bo.leder@demo-kommune.dk",
        name: "Bo Leder",
        unit: "Skovbrynets Børnehus",
        groups: ["rettidig-ledere"],
      },
    },
  });
});

test.afterAll(async ({ browser }) => {
  await switchOffMunicipalLogin(browser);
  await provider.close();
});

/** Signs in on the test provider's own development login page, as the person would. */
async function signInAtProvider(page: Page, login: string) {
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("ikke-kontrolleret");
  await page.locator("button[type=submit]").click();
}

async function newPage(browser: Browser) {
  return (await browser.newContext()).newPage();
}

test("staff sign in with the municipality's own login, get a seat in their unit, watch a film and sign out of both", async ({
  page,
  browser,
}) => {
  await signIn(page, demoEmails.admin);
  // The browser tests share one database, and sso-saml.spec.ts may have left Demo Kommune on SAML.
  await page.goto("/administration/kommunelogin?protocol=oidc");
  await page.getByLabel("Udstederens adresse (issuer)").fill(provider.issuer);
  await page.getByLabel("Klient-id").fill(provider.clientId);
  await page.getByLabel("Klienthemmelighed").fill(provider.clientSecret);
  await page.getByLabel("Enhed", { exact: true }).fill("unit");
  await page.getByLabel("Grupper, der gør en medarbejder til leder").fill("rettidig-ledere");
  await page.getByLabel("Slå kommunelogin til").check();
  await page.getByRole("button", { name: "Gem forbindelsen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forbindelsen er gemt." })).toBeVisible();
  await page.getByRole("button", { name: "Test forbindelsen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forbindelsen virker" })).toBeVisible();

  // A person the platform has never seen starts from the sign-in page with her work address.
  const karen = await newPage(browser);
  await karen.goto("/log-ind");
  await karen.getByLabel("E-mail").fill("karen.kommune@demo-kommune.dk");
  await karen.getByRole("button", { name: "Fortsæt" }).click();
  await expect(karen.getByText("Demo Kommune bruger sit eget login.")).toBeVisible();
  await expect(karen.getByRole("link", { name: "Fortsæt til kommunens login" })).toBeFocused();
  await karen.keyboard.press("Enter");
  await signInAtProvider(karen, "karen-1");
  await expect(karen).toHaveURL(/\/kurser$/);
  await expect(karen.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();
  await expect(karen.getByRole("link", { name: "Unges egne fortællinger", exact: true })).toBeVisible();

  await karen.goto(FILM);
  await expectFilmPlays(karen);
  await expectNoErrorPage(karen);

  // The admin finds her with a seat, in the unit the provider named.
  await page.goto("/administration");
  await expect(page.getByRole("row", { name: /Karen Kommune/ }).filter({ hasText: "Sundhedsplejen" })).toBeVisible();
  await page.goto("/administration/kommunelogin");

  // Signing out ends the provider's session too, and comes back to the sign-in page.
  await karen.getByRole("button", { name: "Log ud" }).click();
  await karen.getByRole("button", { name: "Yes, sign me out" }).click();
  await expect(karen).toHaveURL(/\/log-ind\?besked=signed-out$/);
  await expect(karen.getByRole("status")).toHaveText("Du er nu logget ud.");
  await karen.goto("/sso/demo-kommune/start");
  await expect(karen.locator("input[name=login]")).toBeVisible();
  await karen.context().close();

  // A member of the leaders' group comes in through the intranet link the admin's page shows.
  const intranetLink = await page.locator("code", { hasText: "/start" }).innerText();
  expect(intranetLink).toBe(`${app}/sso/demo-kommune/start`);
  const bo = await newPage(browser);
  await bo.goto(intranetLink);
  await signInAtProvider(bo, "bo-1");
  await expect(bo.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();
  await bo.goto("/leder");
  await expect(bo.getByRole("heading", { level: 1, name: "Min enhed" })).toBeVisible();
  await expect(bo.getByText("Sofie Nørgaard")).toBeVisible();
  await expectNoErrorPage(bo);
  await bo.context().close();
});
