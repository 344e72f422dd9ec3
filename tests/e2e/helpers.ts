import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "Rettidig-demo-2026";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill(password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();
}
