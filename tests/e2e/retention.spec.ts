import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { memberships, moduleProgress, modules, organisations, users } from "#db/schema";
import { formatClock } from "~/i18n/i18n";
import type { Range } from "~/learning/played-ranges";
import { expectNoErrorPage, expectNoSeriousViolations, signIn, withServerDatabase } from "./helpers";

/**
 * Six people of Nabo Kommune (no seats, so no other spec's counts move) have watched one film in
 * different ways, written straight to the browser tests' database as the player's reports would
 * have left them: two to the end, two stopping at the middle, one skipping from a quarter to 60 %,
 * one stopping at a tenth. Other specs have people of Demo Kommune watch the course's films, so the
 * figures are read with Nabo Kommune chosen.
 */
const FILM = "jonas-paedagogen-der-blev-ved";
const PEOPLE = 6;

function arrange(baseURL: string) {
  return withServerDatabase(baseURL, (db) => {
    const film = db
      .select({ id: modules.id, title: modules.title, duration: modules.durationSeconds })
      .from(modules)
      .where(eq(modules.slug, FILM))
      .get();
    if (!film?.duration) throw new Error("The demo film has no length: the media were not built");
    const nabo = db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, "nabo-kommune"))
      .get()!;
    const duration = film.duration;
    const watched: Range[][] = [
      [[0, duration]],
      [[0, duration]],
      [[0, duration * 0.5]],
      [[0, duration * 0.5]],
      [
        [0, duration * 0.25],
        [duration * 0.6, duration],
      ],
      [[0, duration * 0.1]],
    ];
    watched.forEach((ranges, index) => {
      const email = `seerkurve-${index + 1}@nabo-kommune.dk`;
      db.insert(users)
        .values({ email, name: `Seer ${index + 1}`, profession: "teacher" })
        .onConflictDoNothing()
        .run();
      const userId = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
      db.insert(memberships).values({ userId, organisationId: nabo.id, role: "learner" }).onConflictDoNothing().run();
      db.insert(moduleProgress)
        .values({
          userId,
          moduleId: film.id,
          playedRanges: JSON.stringify(ranges.map(([start, end]) => [start, Math.round(end * 100) / 100])),
          playedMs: 0,
          updatedAt: new Date(),
        })
        .onConflictDoNothing()
        .run();
    });
    return { id: film.id, title: film.title, duration, naboId: nabo.id };
  });
}

test("the owner sees where viewers stop in a film, and nothing for a group under five", async ({ page, baseURL }) => {
  const film = arrange(baseURL!);
  await signIn(page, "ejer@rettidig.dk");
  await page.goto("/ejer/statistik");
  await page
    .getByRole("link", { name: `Hvor stopper de? Seerkurven for ${film.title}` })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/ejer/statistik/film/${film.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Hvor seerne stopper" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: film.title })).toBeVisible();

  await page.getByLabel("Kommune").selectOption({ label: "Nabo Kommune" });
  await page.getByRole("button", { name: "Vis" }).click();
  await expect(page).toHaveURL(new RegExp(`kommune=${film.naboId}`));
  await expect(page.getByText(`${PEOPLE} personer i den valgte gruppe har set filmen.`)).toBeVisible();
  await expect(page.locator("svg.retention-chart polyline")).toBeVisible();
  // Everyone at the start; at the middle the two who stopped there are gone, and so is the one who skipped.
  const tenths = page.getByRole("list", { name: "Andel der ser med ved hver tiendedel af filmen" });
  await expect(tenths.getByRole("listitem")).toHaveCount(11);
  await expect(tenths.getByRole("listitem").first()).toHaveText("0:00: 100 %");
  await expect(tenths.getByRole("listitem").last()).toHaveText(`${formatClock(film.duration - 1)}: 50 %`);
  await expect(page.getByText(/^Flest stopper for godt ved .*\(2 stop\)/)).toBeVisible();
  // The table screen readers get, with a row per stretch of the film.
  await expect(page.getByRole("table", { name: "Seerne gennem filmen, tidsrum for tidsrum" })).toBeAttached();
  await expectNoSeriousViolations(page);
  await page.screenshot({ path: "tests/results/screens/seerkurve-vist-1280.png", fullPage: true });

  await page.setViewportSize({ width: 360, height: 800 });
  // Readable at 360 px: nothing, not even the hidden table, makes the page scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expectNoSeriousViolations(page);
  await page.screenshot({ path: "tests/results/screens/seerkurve-vist-360.png", fullPage: true });

  // No pedagogue of Nabo Kommune has watched the film: a sentence, no curve and no figures.
  await page.getByLabel("Faggruppe").selectOption("pedagogue");
  await page.getByRole("button", { name: "Vis" }).click();
  await expectNoErrorPage(page);
  await expect(
    page.getByText("Færre end 5 personer i den valgte gruppe har set filmen, så kurven vises ikke.", { exact: false }),
  ).toBeVisible();
  await expect(page.locator("svg.retention-chart")).toHaveCount(0);
  await expect(page.getByText(/personer i den valgte gruppe har set filmen\./)).toHaveCount(0);

  // The six are teachers.
  await page.getByLabel("Faggruppe").selectOption("teacher");
  await page.getByRole("button", { name: "Vis" }).click();
  await expect(page.getByText(`${PEOPLE} personer i den valgte gruppe har set filmen.`)).toBeVisible();
});

test("the film picker leads to another film's curve, keeping the filters", async ({ page, baseURL }) => {
  const film = arrange(baseURL!);
  await signIn(page, "ejer@rettidig.dk");
  await page.goto(`/ejer/statistik/film/1?kommune=${film.naboId}&faggruppe=teacher`);
  await page.getByLabel("Film", { exact: true }).selectOption({ value: String(film.id) });
  await page.getByRole("button", { name: "Vis" }).click();
  await expect(page).toHaveURL(
    new RegExp(`/ejer/statistik/film/${film.id}\\?kommune=${film.naboId}&faggruppe=teacher$`),
  );
  await expect(page.getByRole("heading", { level: 2, name: film.title })).toBeVisible();
  await expect(page.getByText(`${PEOPLE} personer i den valgte gruppe har set filmen.`)).toBeVisible();
});
