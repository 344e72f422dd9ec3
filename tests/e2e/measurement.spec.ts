import { expect, test, type Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import {
  certificates,
  courses,
  measurementFollowUps,
  measurements,
  measurementSubmissions,
  moduleProgress,
  quizAttempts,
  users,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { seedQuizzes } from "~/cli/seed/quizzes";
import { danishDate, shiftDays } from "~/i18n/dates";
import {
  expectNoErrorPage,
  expectNoSeriousViolations,
  givenDemoStaffWithSeat,
  mailTo,
  passTheQuiz,
  runTrainingJobs,
  signedInPage,
  watchEveryFilm,
  withServerDatabase,
} from "./helpers";

const COURSE = "Unges egne fortællinger";
const COURSE_SLUG = "unges-egne-fortaellinger";
const FIRST_FILM = "sofie-ingen-spurgte-til-mig";
const FIRST_FILM_TITLE = "Sofie: Ingen spurgte til mig";
const STATEMENT = "Jeg ved, hvad jeg gør, når et barn fortæller noget bekymrende.";
const KNOWLEDGE = seedQuizzes.find((quiz) => quiz.moduleSlug === FIRST_FILM)!.questions[0]!;
/** Two new people in Sundhedsplejen, so the seeded people's progress, which other specs read, stays as it was. */
const ANSWERS = { email: "maja.maaling@demo-kommune.dk", name: "Maja Måling" };
const SKIPS = { email: "sebastian.spring@demo-kommune.dk", name: "Sebastian Spring" };

/**
 * Issue 13, "done when" (first half): the owner defines a before-and-after measurement of "Unges
 * egne fortællinger" in the studio; a new learner opening the first film is asked the "before",
 * answers, and sees the film; completes the course and answers the end; with the follow-up due
 * (the day of completion moved 12 weeks back, and the training job run), the mail's link opens the
 * follow-up, which she answers. Another learner skips, and a second answer is refused in place.
 * The measurement is switched off at the end, so the specs after this one open films as before.
 */

/** The two people with a seat each, and no measurement on the course; a retry starts them afresh. */
function arrange(baseURL: string) {
  withServerDatabase(baseURL, (db) => {
    const courseId = db.select({ id: courses.id }).from(courses).where(eq(courses.slug, COURSE_SLUG)).get()!.id;
    db.delete(measurements).where(eq(measurements.courseId, courseId)).run();
    for (const person of [ANSWERS, SKIPS])
      givenDemoStaffWithSeat(db, person, "Sundhedsplejen", [
        certificates,
        quizAttempts,
        moduleProgress,
        measurementSubmissions,
        measurementFollowUps,
      ]);
  });
}

function switchOff(baseURL: string) {
  withServerDatabase(baseURL, (db) => {
    const courseId = db.select({ id: courses.id }).from(courses).where(eq(courses.slug, COURSE_SLUG)).get()!.id;
    db.update(measurements).set({ active: false }).where(eq(measurements.courseId, courseId)).run();
  });
}

/** The follow-up falls due 12 weeks after the day of completion: that day moved back, as if the weeks had passed. */
function completedTwelveWeeksAgo(baseURL: string, email: string) {
  withServerDatabase(baseURL, (db) => {
    const userId = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
    db.update(certificates)
      .set({ completedOn: shiftDays(danishDate(), -84) })
      .where(and(eq(certificates.userId, userId), eq(certificates.round, 0)))
      .run();
  });
}

/** Answers the statement with `score` and the knowledge question rightly, and sends. */
async function answer(page: Page, score: string) {
  await page.getByRole("group", { name: STATEMENT }).getByLabel(score, { exact: true }).check();
  const right = KNOWLEDGE.options.find(([, correct]) => correct)![0];
  await page.getByRole("group", { name: KNOWLEDGE.text }).getByLabel(right, { exact: true }).check();
  await page.getByRole("button", { name: "Send svar" }).click();
}

async function ownerDefinesTheMeasurement(owner: Page) {
  await owner.goto("/ejer/studie");
  await owner.getByRole("link", { name: COURSE, exact: true }).first().click();
  await owner.getByRole("link", { name: "Opsæt målingen" }).click();
  await expect(owner.getByRole("heading", { level: 1 })).toHaveText(`Før- og eftermåling – ${COURSE}`);

  const staff = owner.getByRole("region", { name: "Medarbejdernes udsagn og videnspørgsmål" });
  // Sent without the words at the ends of the scale: refused beside the fields.
  await staff.getByLabel("Udsagn", { exact: true }).fill(STATEMENT);
  await staff.getByRole("button", { name: "Tilføj punkt" }).click();
  await expect(staff.getByText("Skriv, hvad enden af skalaen betyder.").first()).toBeVisible();
  await staff.getByLabel("Tekst ved 1").fill("Slet ikke");
  await staff.getByLabel("Tekst ved 5").fill("I høj grad");
  await staff.getByRole("button", { name: "Tilføj punkt" }).click();
  await expect(staff.getByRole("status")).toHaveText("Punktet er gemt.");
  await expect(staff.getByRole("heading", { name: "Punkt 1" })).toBeVisible();

  const newItem = staff.locator("form").last();
  await newItem.getByLabel("Type").selectOption({ label: "Videnspørgsmål fra kursets quizzer" });
  await newItem.getByLabel("Spørgsmål").selectOption({ label: `${FIRST_FILM_TITLE}: ${KNOWLEDGE.text}` });
  await newItem.getByRole("button", { name: "Tilføj punkt" }).click();
  await expect(staff.getByRole("heading", { name: "Punkt 2" })).toBeVisible();

  const leaders = owner.getByRole("region", { name: "Ledernes opfølgning" });
  await leaders
    .getByLabel("Udsagn om praksis i enheden")
    .fill("Mine medarbejdere taler tidligere med hinanden om en bekymring.");
  await leaders.getByLabel("Tekst ved 1").fill("Slet ikke");
  await leaders.getByLabel("Tekst ved 5").fill("I høj grad");
  await leaders.getByRole("button", { name: "Tilføj punkt" }).click();
  await expect(leaders.getByRole("heading", { name: "Punkt 1" })).toBeVisible();

  const settings = owner.getByRole("region", { name: "Indstillinger" });
  await settings.getByLabel("Introduktion til deltagerne").fill("Tak fordi du hjælper os med at blive klogere.");
  await settings.getByLabel("Målingen er slået til").check();
  await settings.getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(settings.getByRole("status")).toHaveText("Ændringerne er gemt.");
  await expect(settings.getByLabel("Uger til opfølgningen")).toHaveValue("12");
  await expectNoSeriousViolations(owner);
  await owner.screenshot({ path: "tests/results/screens/maaling-studie-1280.png", fullPage: true });
  await owner.setViewportSize({ width: 360, height: 800 });
  await owner.screenshot({ path: "tests/results/screens/maaling-studie-360.png", fullPage: true });
}

test("the owner defines a measurement; a learner answers before the first film, at the end and at the follow-up from the mail; another skips", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  arrange(baseURL!);
  try {
    const owner = await signedInPage(browser, baseURL, demoEmails.owner);
    await ownerDefinesTheMeasurement(owner);

    const learner = await signedInPage(browser, baseURL, ANSWERS.email);
    await learner.goto(`/kurser/${COURSE_SLUG}/${FIRST_FILM}`);
    await expect(learner).toHaveURL(/\/maaling\?tidspunkt=foer&naeste=/);
    await expect(learner.getByRole("heading", { level: 1 })).toHaveText(`Før du går i gang – ${COURSE}`);
    await expect(learner.getByText("Tak fordi du hjælper os med at blive klogere.")).toBeVisible();
    await expectNoSeriousViolations(learner);
    await learner.screenshot({ path: "tests/results/screens/maaling-foer-1280.png", fullPage: true });
    // Sent with nothing chosen: said beside each item, and nothing leaves the page.
    await learner.getByRole("button", { name: "Send svar" }).click();
    await expect(learner.getByText("Vælg et svar.")).toHaveCount(2);
    await answer(learner, "2");
    await expect(learner).toHaveURL(new RegExp(`/kurser/${COURSE_SLUG}/${FIRST_FILM}$`));
    await expect(learner.getByRole("heading", { level: 1 })).toHaveText(FIRST_FILM_TITLE);

    // The course complete: the course page invites to the end, answered once; a second tab is refused.
    watchEveryFilm(baseURL!, ANSWERS.email, COURSE_SLUG);
    await passTheQuiz(learner, COURSE_SLUG, FIRST_FILM);
    await learner.goto(`/kurser/${COURSE_SLUG}`);
    const callout = learner.getByRole("region", { name: "Hvad har kurset flyttet?" });
    await callout.getByRole("link", { name: "Svar nu" }).click();
    await expect(learner.getByRole("heading", { level: 1 })).toHaveText(`Nu hvor du er færdig – ${COURSE}`);
    const secondTab = await learner.context().newPage();
    await secondTab.goto(learner.url());
    await learner.setViewportSize({ width: 360, height: 800 });
    await expectNoSeriousViolations(learner);
    await learner.screenshot({ path: "tests/results/screens/maaling-slut-360.png", fullPage: true });
    await answer(learner, "4");
    await expect(learner.getByRole("status")).toHaveText("Tak for dine svar.");
    await answer(secondTab, "5");
    await expect(secondTab.getByRole("alert")).toHaveText(
      "Du har allerede svaret eller sprunget over. Dine første svar gælder.",
    );
    await expectNoErrorPage(secondTab);
    // Not yet due: a page that says when.
    await learner.goto(`/kurser/${COURSE_SLUG}/maaling?tidspunkt=opfoelgning`);
    await expect(learner.getByRole("status")).toContainText("Opfølgningen åbner for dig den");

    completedTwelveWeeksAgo(baseURL!, ANSWERS.email);
    runTrainingJobs(baseURL!, new Date());
    const mail = await mailTo(browser, baseURL, ANSWERS.email, /^Hvordan går det efter Unges egne fortællinger/);
    const link = /https?:\/\/\S+\/kurser\/\S+maaling\?tidspunkt=opfoelgning/.exec(mail)?.[0];
    expect(link).toBeTruthy();
    await learner.goto(new URL(link!).pathname + new URL(link!).search);
    await expect(learner.getByRole("heading", { level: 1 })).toHaveText(`Opfølgning – ${COURSE}`);
    await answer(learner, "5");
    await expect(learner.getByRole("status")).toHaveText("Tak for dine svar.");

    const skipper = await signedInPage(browser, baseURL, SKIPS.email);
    await skipper.goto(`/kurser/${COURSE_SLUG}/${FIRST_FILM}`);
    await expect(skipper).toHaveURL(/\/maaling\?tidspunkt=foer/);
    await skipper.getByRole("button", { name: "Spring over" }).click();
    await expect(skipper.getByRole("heading", { level: 1 })).toHaveText(FIRST_FILM_TITLE);
    await skipper.goto(`/kurser/${COURSE_SLUG}/${FIRST_FILM}`);
    await expect(skipper.getByRole("heading", { level: 1 })).toHaveText(FIRST_FILM_TITLE);
  } finally {
    switchOff(baseURL!);
  }
});
