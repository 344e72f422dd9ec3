import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

const pages = [
  { name: "Mine kurser", path: "/kurser" },
  { name: "kursus", path: "/kurser/i-skolen-og-fritiden" },
  { name: "film", path: "/kurser/i-skolen-og-fritiden/laereren-naar-et-barn-aendrer-sig" },
];

for (const width of [1280, 360]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });

    test("the sign-in page has no serious accessibility violations", async ({ page }) => {
      await page.goto("/log-ind");
      await expectNoSeriousViolations(page);
    });

    for (const { name, path } of pages) {
      test(`the ${name} page has no serious accessibility violations`, async ({ page }) => {
        await signIn(page, "medarbejder@demo-kommune.dk");
        await page.goto(path);
        await expect(page.locator("h1")).toBeVisible();
        if (path.split("/").length === 4) await expect(page.getByTestId("video-player")).toBeVisible();
        await expectNoSeriousViolations(page);
        await page.screenshot({ path: `tests/results/screens/${name.replace(/\s/g, "-")}-${width}.png`, fullPage: true });
      });
    }
  });
}
