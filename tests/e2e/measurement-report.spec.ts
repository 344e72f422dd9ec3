import { expect, test, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { courses, organisations } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import type { Db } from "~/db.server";
import { givenPairedAnswers } from "../utils/measurement-seed";
import {
  expectNoErrorPage,
  expectNoSeriousViolations,
  serverDatabaseFile,
  signIn,
  withServerDatabase,
} from "./helpers";

// A course of its own, so the measurement this spec writes never replaces another spec's.
const COURSE = "fra-bekymring-til-handling";
const STATEMENT = "Jeg ved, hvad jeg skal gøre, hvis jeg er bekymret for et barn";
const LEADER_STATEMENT = "Kollegerne taler tidligere med hinanden om en bekymring";

/**
 * A measurement of one staff and one leader statement, answered by `people` staff and leaders in
 * Demo Kommune, written to the server's database the way the answer path stores them: the
 * pseudonym through measurementPseudonym, whose key lies beside that database.
 */
function arrange(baseURL: string, people: number) {
  process.env.DATABASE_PATH = serverDatabaseFile(baseURL);
  process.env.NODE_ENV = "test";
  return withServerDatabase(baseURL, (db: Db) => {
    const courseId = db.select({ id: courses.id }).from(courses).where(eq(courses.slug, COURSE)).get()!.id;
    const demo = db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, "demo-kommune"))
      .get()!.id;
    givenPairedAnswers(db, { courseId, organisationId: demo }, people, [
      { text: STATEMENT },
      { audience: "leader", text: LEADER_STATEMENT },
    ]);
    return courseId;
  });
}

async function expectFigures(page: Page, path: string) {
  await page.goto(path);
  await expectNoErrorPage(page);
  await expect(page.locator(".measurement-item__text")).toHaveText([STATEMENT, LEADER_STATEMENT]);
  // Changes 1, 2, 0, 1, 1: mean 1, and t(0.975; 4) · √(0.5 / 5) = 0.88 either side.
  const figures = page.locator(".measurement-row__figures").first();
  await expect(figures).toContainText("Ændring +1,0");
  await expect(figures).toContainText("(95 %-interval +0,1 til +1,9)");
  await expect(figures).toContainText("Fra 2,8 til 3,8 · 5 par");
  // The leaders' answers 3, 5, 3, 5, 3: mean 3.8 with the interval of their own spread.
  await expect(page.locator(".measurement-row__figures").last()).toContainText("Gennemsnit 3,8");
  await expect(page.locator(".measurement-row__figures").last()).toContainText("5 svar");
}

test.describe("the before-and-after report", () => {
  test("shows the owner and the admin the change from five pairs with its interval", async ({ page, baseURL }) => {
    const courseId = arrange(baseURL!, 5);

    await signIn(page, demoEmails.owner);
    await page.getByRole("link", { name: "Måling", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Måling før og efter" })).toBeVisible();
    await page.getByLabel("Kursus").selectOption(String(courseId));
    await page.getByRole("button", { name: "Vis" }).click();
    await expect(page).toHaveURL(new RegExp(`kursus=${courseId}`));
    await expectFigures(page, `/ejer/maaling?kursus=${courseId}`);
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      await expectNoSeriousViolations(page);
      await page.screenshot({ path: `tests/results/screens/maaling-ejer-${width}.png`, fullPage: true });
    }

    await page.context().clearCookies();
    await signIn(page, demoEmails.admin);
    await page.goto("/administration");
    await page.getByRole("link", { name: "Måling før og efter" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Kommunens måling før og efter" })).toBeVisible();
    await expectFigures(page, `/administration/maaling?kursus=${courseId}`);
  });

  test("shows no figures from four pairs", async ({ page, baseURL }) => {
    const courseId = arrange(baseURL!, 4);

    await signIn(page, demoEmails.owner);
    await page.goto(`/ejer/maaling?kursus=${courseId}`);
    await expect(page.getByText("Der er for få svar til at vise tal endnu (under 5 par).")).toBeVisible();
    await expect(page.getByText(/par$/)).toHaveCount(0);
    await expect(page.getByText(/95 %-interval/)).toHaveCount(0);

    await page.context().clearCookies();
    await signIn(page, demoEmails.admin);
    await page.goto(`/administration/maaling?kursus=${courseId}`);
    await expect(page.getByText("Der er for få svar til at vise tal endnu (under 5 par).")).toBeVisible();
    await expect(page.getByText(/95 %-interval/)).toHaveCount(0);
  });
});
