import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { demoEmails } from "~/cli/seed/accounts";
import { expectNoErrorPage, invitationLink, signIn } from "./helpers";

const person = "tove.tandplejer@demo-kommune.dk";
const patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

test("the admin connects the directory, which removes a person: the seat is free and the log says why", async ({
  page,
  browser,
  baseURL,
}) => {
  // Someone takes a seat the ordinary way, before the municipality connects its directory.
  await signIn(page, demoEmails.admin);
  await page.getByRole("link", { name: "Administration" }).click();
  await page.getByLabel("Medarbejderens e-mail").fill(person);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invitationen er sendt" })).toBeVisible();
  const invitation = await invitationLink(browser, baseURL, person);
  const personContext = await browser.newContext({ baseURL });
  const personPage = await personContext.newPage();
  await personPage.goto(invitation);
  await personPage.getByLabel("Dit navn").fill("Tove Tandplejer");
  await personPage.getByLabel("Ny adgangskode", { exact: true }).fill("toves-kode-til-rettidig");
  await personPage.getByLabel("Gentag ny adgangskode").fill("toves-kode-til-rettidig");
  await personPage.getByRole("button", { name: "Tag imod pladsen" }).click();
  await expect(personPage.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();

  await page.goto("/administration");
  const seatsInUse = page.getByRole("progressbar", { name: "Pladser i brug på licensen" });
  const usedWithPerson = Number(await seatsInUse.getAttribute("aria-valuenow"));

  await page.getByRole("link", { name: "Brugerkatalog" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Brugerkatalog" })).toBeVisible();
  await expect(page.locator("code", { hasText: "/scim/demo-kommune/v2" })).toHaveText(
    `${baseURL}/scim/demo-kommune/v2`,
  );
  await expect(page.getByText("Der er intet token.")).toBeVisible();
  await page.getByRole("button", { name: "Opret token" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Tokenet er oprettet." })).toBeVisible();
  await expect(page.getByText("Det vises kun denne ene gang")).toBeVisible();
  const token = await page.getByLabel("Nyt token").inputValue();
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await expectNoErrorPage(page);
  // The page as it is only once: the token, its warning and the renew and revoke buttons.
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // Entra ID's calls: no browser, no cookie, only the bearer token.
  const base = `${baseURL}/scim/demo-kommune/v2`;
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" };
  const created = await fetch(`${base}/Users`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: person,
      externalId: "entra-tove",
      active: true,
      emails: [{ primary: true, type: "work", value: person }],
      name: { givenName: "Tove", familyName: "Tandplejer" },
    }),
  });
  expect(created.status).toBe(201);
  expect(created.headers.get("content-type")).toBe("application/scim+json");
  const { id } = (await created.json()) as { id: string };
  const removed = await fetch(`${base}/Users/${id}`, {
    method: "PATCH",
    headers,
    body: JSON.stringify({ schemas: [patchOp], Operations: [{ op: "Replace", path: "active", value: "False" }] }),
  });
  expect(removed.status).toBe(200);
  expect(((await removed.json()) as { active: boolean }).active).toBe(false);
  // A body over the cap is refused by the route in SCIM's own form, before any of it is used.
  const tooLarge = await fetch(`${base}/Users`, {
    method: "POST",
    headers,
    body: JSON.stringify({ userName: "stor@demo-kommune.dk", fyld: "x".repeat(300 * 1024) }),
  });
  expect(tooLarge.status).toBe(413);
  expect(((await tooLarge.json()) as { status: string }).status).toBe("413");

  // Signed out at once, and the password no longer lets them in.
  await personPage.goto("/kurser");
  await expect(personPage.getByRole("heading", { level: 1, name: "Log ind" })).toBeVisible();
  await personPage.getByLabel("E-mail").fill(person);
  await personPage.getByRole("button", { name: "Fortsæt" }).click();
  await personPage.getByLabel("Adgangskode").fill("toves-kode-til-rettidig");
  await personPage.getByRole("button", { name: "Log ind" }).click();
  await expect(personPage.getByRole("alert")).toHaveText(/Din konto er lukket af kommunen/);
  await personContext.close();

  await page.goto("/administration");
  await expect(seatsInUse).toHaveAttribute("aria-valuenow", String(usedWithPerson - 1));
  await expect(
    page.getByRole("row").filter({ hasText: person }).filter({ hasText: "Fjernet af kommunens brugerkatalog" }),
  ).toBeVisible();

  await page.getByRole("link", { name: "Brugerkatalog" }).click();
  await expect(page.getByText(/Sidst brugt/)).toBeVisible();
  await expect(page.getByText("0 aktive personer fra kataloget · 1 lukkede konti")).toBeVisible();
  await expect(page.getByLabel("Nyt token")).toHaveCount(0);
});

test("the server lets the directory's calls through to the route and refuses a browser's cross-site POST", async ({
  baseURL,
}) => {
  const base = `${baseURL}/scim/demo-kommune/v2`;
  const scimType = { "Content-Type": "application/scim+json" };
  // Without a token the SCIM error comes from the route, as JSON: nothing in front of it got in the way.
  const anonymous = await fetch(`${base}/Users`, { method: "POST", headers: scimType, body: "{}" });
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get("content-type")).toBe("application/scim+json");
  expect(((await anonymous.json()) as { status: string }).status).toBe("401");

  const crossSite = await fetch(`${base}/Users`, {
    method: "POST",
    headers: { ...scimType, Origin: "https://angriber.example", "Sec-Fetch-Site": "cross-site" },
    body: "{}",
  });
  expect(crossSite.status).toBe(403);
});
