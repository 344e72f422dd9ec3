import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { accessLog, moduleProgress, modules, quizAttempts } from "#db/schema";
import { pdfText } from "../utils/pdf-text";
import { expectNoErrorPage, givenDemoStaffWithSeat, passTheQuiz, signIn, withServerDatabase } from "./helpers";

/**
 * "Mine data" as a person uses it: a learner who has watched a film and passed its quiz downloads
 * their data from the page's own links, and the files hold what they did. The person is the spec's
 * own, so other specs' counts of the seeded people stay as they were.
 */
const PERSON = { email: "mine-data@demo-kommune.dk", name: "Ida Mine-Data" };
const COURSE = "unges-egne-fortaellinger";
const FILM = "sofie-ingen-spurgte-til-mig";

function arrange(baseURL: string) {
  return withServerDatabase(baseURL, (db) => {
    const userId = givenDemoStaffWithSeat(db, PERSON, "Skovbrynets Børnehus", [quizAttempts, moduleProgress]);
    db.delete(accessLog).where(eq(accessLog.viewerId, userId)).run();
    const film = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, FILM)).get()!;
    const watchedAt = new Date();
    // Two stretches with a jump between them, as the player reports a viewer who skipped ahead.
    db.insert(moduleProgress)
      .values({
        userId,
        moduleId: film.id,
        playedRanges: "[[0,95],[120,610]]",
        playedMs: 585_000,
        lastPositionMs: 610_000,
        watchedAt,
        updatedAt: watchedAt,
      })
      .run();
    return userId;
  });
}

test("Mine data: the JSON holds the person's progress and quiz attempts, and the PDF opens", async ({
  page,
  baseURL,
}) => {
  const userId = arrange(baseURL!);
  await signIn(page, PERSON.email);
  await passTheQuiz(page, COURSE, FILM);

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Mine data" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mine data" })).toBeVisible();
  await expectNoErrorPage(page);
  await expect(page.getByText(/Anonyme svar på spørgeskemaer/)).toBeVisible();
  // Played stretches are summarised on the page as times, not as raw seconds.
  await expect(page.getByRole("cell", { name: "0:00–1:35, 2:00–10:10" })).toBeVisible();

  const [jsonDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Hent som JSON" }).click(),
  ]);
  expect(jsonDownload.suggestedFilename()).toBe("mine-data.json");
  const data = JSON.parse(fs.readFileSync((await jsonDownload.path())!, "utf8")) as {
    account: { email: string };
    progress: { films: { film: string; playedRanges: number[][]; watchedAt: string }[] };
    quizAttempts: { passed: boolean; answers: { question: string; chosen: string[]; correct: boolean }[] }[];
  };
  expect(data.account.email).toBe(PERSON.email);
  expect(data.progress.films).toHaveLength(1);
  expect(data.progress.films[0]!.playedRanges).toEqual([
    [0, 95],
    [120, 610],
  ]);
  expect(data.progress.films[0]!.watchedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(data.quizAttempts).toHaveLength(1);
  expect(data.quizAttempts[0]!.passed).toBe(true);
  expect(data.quizAttempts[0]!.answers.length).toBeGreaterThan(0);
  expect(data.quizAttempts[0]!.answers.every((answer) => answer.correct)).toBe(true);

  const [pdfDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Hent som PDF" }).click(),
  ]);
  expect(pdfDownload.suggestedFilename()).toBe("mine-data.pdf");
  const pdf = fs.readFileSync((await pdfDownload.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const text = (await pdfText(pdf)).replace(/\s+/g, " ");
  expect(text).toContain(`Persondata om ${PERSON.name}`);
  expect(text).toContain("Quizforsøg");

  // The page and both files were noted in the access log, under the person's municipality.
  const logged = withServerDatabase(baseURL!, (db) =>
    db
      .select({ action: accessLog.action, format: accessLog.format })
      .from(accessLog)
      .where(eq(accessLog.viewerId, userId))
      .all(),
  );
  expect(logged).toEqual([
    { action: "viewOwnData", format: null },
    { action: "exportOwnData", format: "json" },
    { action: "exportOwnData", format: "pdf" },
  ]);
});

test("an admin opens a person's data from the people overview, and sees the erase link", async ({ page, baseURL }) => {
  arrange(baseURL!);
  await signIn(page, "admin@demo-kommune.dk");
  await page.goto("/administration");
  await page.getByRole("link", { name: PERSON.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Persondata om ${PERSON.name}` })).toBeVisible();
  await expect(page.getByRole("link", { name: `Slet ${PERSON.name}` })).toHaveAttribute(
    "href",
    /\/administration\/personer\/\d+\/slet$/,
  );
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Hent som JSON" }).click(),
  ]);
  const data = JSON.parse(fs.readFileSync((await download.path())!, "utf8")) as { account: { email: string } };
  expect(data.account.email).toBe(PERSON.email);

  // The access log names the admin and what they did, once the page has come to life in the browser.
  await page.goto("/administration");
  await page.getByRole("link", { name: "Adgangslog" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Adgangslog" })).toBeVisible();
  await page.getByLabel("Handling").selectOption({ label: "Hentede en persons data" });
  await page.getByRole("button", { name: "Vis" }).click();
  const row = page.getByRole("row").filter({ hasText: "Hentede en persons data" }).first();
  await expect(row).toContainText("Hanne Berg");
  await expect(row).toContainText("JSON");
  await expectNoErrorPage(page);
});
