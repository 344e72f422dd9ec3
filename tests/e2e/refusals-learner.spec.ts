import { expect, test, type Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import {
  licences,
  memberships,
  moduleProgress,
  modules,
  quizAttempts,
  quizOptions,
  quizQuestions,
  quizzes,
  seats,
  users,
} from "#db/schema";
import { openDatabase } from "~/db.server";
import { expectNoErrorPage, expectNoSeriousViolations, serverDatabaseFile, signIn } from "./helpers";

/**
 * A learner who has used every attempt at a quiz is told so on the quiz page, in Danish and with
 * what to do next: when a page opened before the last attempt sends its answers, and when the
 * quiz is opened again. Never the generic error page.
 */
const LEARNER = "leder@demo-kommune.dk";
const FILM = "samtalen-med-barnet";
const QUIZ = `/kurser/fra-bekymring-til-handling/${FILM}/quiz`;

/** Each question's text with one wrong option, read from the database, so an attempt is sure to fail. */
type WrongAnswer = { question: string; option: string };

/**
 * The quiz allows one attempt, and the learner has watched the film. Both are written straight to
 * the browser tests' database: the limit is the owner's setting, and watching means minutes of film.
 * The page is looked at as on a phone, 360 px wide.
 */
function arrange(baseURL: string): WrongAnswer[] {
  const { db, sqlite } = openDatabase(serverDatabaseFile(baseURL));
  try {
    const film = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, FILM)).get()!;
    const quiz = db.select({ id: quizzes.id }).from(quizzes).where(eq(quizzes.moduleId, film.id)).get()!;
    db.update(quizzes).set({ maxAttempts: 1 }).where(eq(quizzes.id, quiz.id)).run();
    const userId = db.select({ id: users.id }).from(users).where(eq(users.email, LEARNER)).get()!.id;
    // A retry against the same server starts with the attempt unused again.
    db.delete(quizAttempts)
      .where(and(eq(quizAttempts.quizId, quiz.id), eq(quizAttempts.userId, userId)))
      .run();
    const watchedAt = new Date();
    db.insert(moduleProgress)
      .values({
        userId,
        moduleId: film.id,
        playedRanges: "[[0,600]]",
        playedMs: 600_000,
        watchedAt,
        updatedAt: watchedAt,
      })
      .onConflictDoUpdate({
        target: [moduleProgress.userId, moduleProgress.moduleId],
        set: { watchedAt, playedMs: 600_000 },
      })
      .run();
    return db
      .select({ id: quizQuestions.id, text: quizQuestions.text })
      .from(quizQuestions)
      .where(eq(quizQuestions.quizId, quiz.id))
      .all()
      .map((question) => ({
        question: question.text,
        option: db
          .select({ text: quizOptions.text })
          .from(quizOptions)
          .where(and(eq(quizOptions.questionId, question.id), eq(quizOptions.correct, false)))
          .get()!.text,
      }));
  } finally {
    sqlite.close();
  }
}

async function answerWrongly(page: Page, wrong: WrongAnswer[]) {
  for (const { question, option } of wrong)
    await page.getByRole("group", { name: question }).getByLabel(option, { exact: true }).check();
  await page.getByRole("button", { name: "Aflever svarene" }).click();
}

test("a learner with no attempts left is told so on the quiz page, from a page left open and when opening the quiz", async ({
  browser,
  baseURL,
}) => {
  const wrong = arrange(baseURL!);
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 800 } });
  const first = await context.newPage();
  await signIn(first, LEARNER);

  // Two tabs with the quiz open; the first uses the only attempt.
  await first.goto(QUIZ);
  await expect(first.getByText("Du har 1 af 1 forsøg tilbage.", { exact: false })).toBeVisible();
  const second = await context.newPage();
  await second.goto(QUIZ);
  await expect(second.getByRole("button", { name: "Aflever svarene" })).toBeVisible();

  await answerWrongly(first, wrong);
  await expect(first.getByRole("heading", { name: "Du har ikke bestået denne gang" })).toBeVisible();
  await expect(first.getByText("Du har ikke flere forsøg.")).toBeVisible();

  // The tab left open still shows the form; what it sends is refused on the page itself.
  await answerWrongly(second, wrong);
  const refusal = second.getByRole("alert");
  await expect(refusal).toHaveText(
    "Dine svar er ikke gemt, fordi du har brugt alle dine forsøg på denne quiz. Vil du prøve igen, kan din kommunes administrator give dig nye forsøg.",
  );
  await expect(second.getByRole("heading", { level: 1, name: /^Quiz: / })).toBeVisible();
  await expectNoErrorPage(second);
  await expect(second.getByRole("link", { name: "Tilbage til filmen" })).toBeVisible();
  await second.screenshot({ path: "tests/results/screens/quiz-ingen-forsoeg-sendt-360.png", fullPage: true });
  await expectNoSeriousViolations(second);

  // Opened again, the quiz says the same and shows no form.
  await second.goto(QUIZ);
  await expect(
    second.getByText(
      "Du har brugt alle dine forsøg på quizzen uden at bestå. Vil du prøve igen, kan din kommunes administrator give dig nye forsøg.",
    ),
  ).toBeVisible();
  await expect(second.getByRole("button", { name: "Aflever svarene" })).toHaveCount(0);
  await second.screenshot({ path: "tests/results/screens/quiz-ingen-forsoeg-360.png", fullPage: true });
  await expectNoSeriousViolations(second);

  // The film page, where the way back leads, says the same.
  await second.getByRole("link", { name: "Tilbage til filmen" }).click();
  await expect(second.getByRole("region", { name: "Quiz" })).toContainText(
    "kan din kommunes administrator give dig nye forsøg",
  );
  await context.close();
});

const FEEDBACK = "/kurser/i-skolen-og-fritiden/feedback";
const SEAT_HOLDER = "plads.tilbage@demo-kommune.dk";

/**
 * A member of staff in Demo Kommune with a seat on its first licence and the demo password; a
 * retry against the same server starts with the seat held again. Returns what takes the seat back,
 * as an admin would while the person has the page open.
 */
function seatHolder(baseURL: string) {
  const file = serverDatabaseFile(baseURL);
  const { db, sqlite } = openDatabase(file);
  try {
    const passwordHash = db
      .select({ hash: users.passwordHash })
      .from(users)
      .where(eq(users.email, "medarbejder@demo-kommune.dk"))
      .get()!.hash;
    db.insert(users).values({ email: SEAT_HOLDER, name: "Pia Plads", passwordHash }).onConflictDoNothing().run();
    const userId = db.select({ id: users.id }).from(users).where(eq(users.email, SEAT_HOLDER)).get()!.id;
    db.insert(memberships).values({ userId, organisationId: 1, role: "learner" }).onConflictDoNothing().run();
    const licenceId = db
      .select({ id: licences.id })
      .from(licences)
      .where(eq(licences.organisationId, 1))
      .orderBy(licences.id)
      .get()!.id;
    db.delete(seats).where(eq(seats.userId, userId)).run();
    db.insert(seats).values({ licenceId, userId, claimedAt: new Date() }).run();
  } finally {
    sqlite.close();
  }
  return () => {
    const { db, sqlite } = openDatabase(file);
    try {
      const userId = db.select({ id: users.id }).from(users).where(eq(users.email, SEAT_HOLDER)).get()!.id;
      db.update(seats).set({ revokedAt: new Date() }).where(eq(seats.userId, userId)).run();
    } finally {
      sqlite.close();
    }
  };
}

test("a learner whose seat is taken back while the feedback form is open is told so above the form, not on an error page", async ({
  browser,
  baseURL,
}) => {
  const takeSeatBack = seatHolder(baseURL!);
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await signIn(page, SEAT_HOLDER);
  await page.goto(FEEDBACK);
  await page
    .getByRole("group", { name: /Hvor godt kan du bruge kurset i dit daglige arbejde/ })
    .getByLabel("4", { exact: true })
    .check();
  await page
    .getByRole("group", { name: /Hvor tryg er du nu ved at handle/ })
    .getByLabel("4", { exact: true })
    .check();
  await page
    .getByRole("group", { name: /Hvor sandsynligt er det, at du vil anbefale kurset/ })
    .getByLabel("8", { exact: true })
    .check();
  await page
    .getByRole("group", { name: /Hvor så du oftest filmene/ })
    .getByLabel("Hjemme")
    .check();
  await page.getByLabel("Faggruppe").selectOption({ label: "Pædagog" });

  takeSeatBack();
  await page.getByRole("button", { name: "Send dine svar" }).click();
  await expect(page.getByRole("alert")).toHaveText("Du har ikke en plads på kurset, så du kan ikke svare.");
  // Still the feedback page, with what was filled in, and not the error page.
  await expect(page.getByRole("button", { name: "Send dine svar" })).toBeVisible();
  await expect(page.getByLabel("Faggruppe")).toHaveValue("pedagogue");
  await expectNoErrorPage(page);
  await page.screenshot({ path: "tests/results/screens/feedback-plads-taget-tilbage-360.png", fullPage: true });
  await expectNoSeriousViolations(page);
  await context.close();
});
