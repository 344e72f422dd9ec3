import { expect, test, type Page } from "@playwright/test";
import { and, eq, isNull } from "drizzle-orm";
import { meetingParticipants, meetingSessions, meetingSettings, moduleProgress, organisations } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import {
  expectNoErrorPage,
  expectNoSeriousViolations,
  givenDemoStaffWithSeat,
  signedInPage,
  withServerDatabase,
} from "./helpers";

const FILM_PAGE = "/kurser/unges-egne-fortaellinger/amira-vi-flyttede-hele-tiden";
const AGREEMENT = "Vi spørger barnet selv, før vi taler med forældrene.";
/** Two new staff of different units, so the seeded people's progress, which other specs read, stays as it was. */
const ASTA = { email: "asta.moede@demo-kommune.dk", name: "Asta Mødested", unit: "Skovbrynets Børnehus" };
const BO = { email: "bo.moede@demo-kommune.dk", name: "Bo Mødested", unit: "Sundhedsplejen" };

/**
 * Issue 13, "done when" 3: the leader shows a film at the staff meeting, two colleagues join with
 * the code (one typing it, one from the QR code's link on a phone), the film is played through,
 * the meeting ended and what was agreed written down; both then find the film counted as seen at
 * the staff meeting, and the agreement, on the film's page. The admin switches counting on first.
 */
function arrange(baseURL: string) {
  withServerDatabase(baseURL, (db) => {
    const organisationId = db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, "demo-kommune"))
      .get()!.id;
    // A retry starts from a municipality that does not count meetings, with no meeting of Lars's open.
    db.delete(meetingSettings).where(eq(meetingSettings.organisationId, organisationId)).run();
    db.update(meetingSessions)
      .set({ endedAt: new Date() })
      .where(and(eq(meetingSessions.organisationId, organisationId), isNull(meetingSessions.endedAt)))
      .run();
    for (const person of [ASTA, BO])
      givenDemoStaffWithSeat(db, person, person.unit, [meetingParticipants, moduleProgress]);
  });
}

async function joinByTyping(page: Page, code: string) {
  await page.goto("/moede");
  await page.getByLabel("Mødekode").fill(code);
  await page.getByRole("button", { name: "Deltag" }).click();
}

test("the leader shows a film at the staff meeting: colleagues join by code, the film counts as seen and the agreement is on its page", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  arrange(baseURL!);

  const admin = await signedInPage(browser, baseURL, demoEmails.admin);
  await admin.goto("/administration/personalemoeder");
  await admin.getByLabel("Film set på personalemøde tæller som set").check();
  await admin.getByRole("button", { name: "Gem" }).click();
  await expect(admin.getByText("Indstillingen er gemt.")).toBeVisible();

  const lars = await signedInPage(browser, baseURL, demoEmails.leader);
  await lars.goto(FILM_PAGE);
  await lars.getByRole("button", { name: "Vis på personalemødet" }).click();
  await expect(lars).toHaveURL(/\/moede\/\d+$/);
  await expect(lars.getByRole("img", { name: /QR-kode/ })).toBeVisible();
  const code = (await lars.getByTestId("meeting-code").textContent())!.trim();
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
  await expectNoSeriousViolations(lars);

  // Asta types a wrong code first, and is told so beside the field; then the right one, in small letters.
  const asta = await signedInPage(browser, baseURL, ASTA.email);
  await joinByTyping(asta, code === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ");
  await expect(asta.getByLabel("Mødekode")).toHaveAccessibleDescription(/Der er intet møde med den kode/);
  await expectNoErrorPage(asta);
  await joinByTyping(asta, code.toLowerCase());
  await expect(asta.getByTestId("meeting-state")).toContainText("Du deltager.");
  await expectNoSeriousViolations(asta);

  // Bo scans the QR code on his phone: the join page opens with the code filled in.
  const bo = await signedInPage(browser, baseURL, BO.email, 360);
  await bo.goto(`/moede?kode=${code}`);
  await expect(bo.getByLabel("Mødekode")).toHaveValue(code);
  await bo.screenshot({ path: "tests/results/screens/moede-deltag-360.png", fullPage: true });
  await bo.getByRole("button", { name: "Deltag" }).click();
  await expect(bo.getByTestId("meeting-state")).toContainText("Du deltager.");

  await expect(lars.getByTestId("participant-count")).toHaveText("Deltagere lige nu: 2", { timeout: 15_000 });
  await lars.screenshot({ path: "tests/results/screens/moede-vaert-1280.png", fullPage: true });

  // The film played through at double speed; only the meeting's own record of it counts for the two.
  const player = lars.getByTestId("video-player");
  await player.getByLabel("Afspilningshastighed").selectOption("2");
  const lastReport = lars.waitForResponse(
    (response) => response.url().endsWith("/afspilning") && response.ok() && response.request().method() === "POST",
  );
  await player.getByRole("button", { name: "Afspil" }).click();
  await lars.waitForFunction(() => document.querySelector("video")?.ended === true, null, { timeout: 90_000 });
  await lastReport;

  // The questions, one at a time from the keyboard, away from the player.
  await lars.getByRole("heading", { name: "Refleksionsspørgsmål" }).click();
  await expect(lars.getByText(/^Spørgsmål 1 af \d+$/)).toBeVisible();
  await lars.keyboard.press("ArrowRight");
  await expect(lars.getByText(/^Spørgsmål 2 af \d+$/)).toBeVisible();
  await lars.keyboard.press("p");
  await expect(lars.getByText(/^Spørgsmål 1 af \d+$/)).toBeVisible();

  await lars.getByRole("button", { name: "Afslut mødet" }).click();
  await expect(lars.getByText("Mødet er afsluttet. Deltagere")).toBeVisible();
  await lars.getByLabel("Hvad aftalte I på mødet?").fill(AGREEMENT);
  await lars.getByRole("button", { name: "Gem det aftalte" }).click();
  await expect(lars.getByText("Det aftalte er gemt.")).toBeVisible();
  await expectNoSeriousViolations(lars);

  for (const page of [asta, bo]) {
    await page.reload();
    await expect(page.getByTestId("meeting-state")).toHaveText("Mødet er slut, og filmen tæller som set for dig.");
    await expect(page.getByText(AGREEMENT)).toBeVisible();
    await page.goto(FILM_PAGE);
    const meetings = page.getByTestId("film-meetings");
    await expect(meetings).toContainText(/Set på personalemøde \d/);
    await expect(meetings).toContainText(AGREEMENT);
    await expect(page.getByTestId("watch-status")).toHaveText("Du har set filmen.");
  }

  // The admin's overview counts the two as having the film counted as watched.
  await admin.reload();
  await expect(admin.getByRole("row").filter({ hasText: "Lars Holm" }).first()).toContainText("2 (heraf 2 som set)");
});
