import { spawnSync } from "node:child_process";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import {
  type certificates,
  courses,
  licences,
  type measurementFollowUps,
  type measurementSubmissions,
  type meetingParticipants,
  memberships,
  moduleProgress,
  modules,
  organisations,
  organisationUnits,
  type quizAttempts,
  seats,
  type trainingCycles,
  users,
} from "#db/schema";
import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import { seedQuizzes } from "~/cli/seed/quizzes";
import { openDatabase } from "~/db.server";
import { projectRoot, tmpDir } from "../setup/paths";

/**
 * Signs in with a password the way a person does: the address first, then the password. Where a
 * spec has switched on the municipality's own login, the password is the fallback beneath it.
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Fortsæt" }).click();
  await expect(page.getByRole("button", { name: "Fortsæt" })).toHaveCount(0);
  const passwordInstead = page.getByText("Log ind med adgangskode i stedet");
  if (await passwordInstead.isVisible()) await passwordInstead.click();
  await page.getByLabel("Adgangskode").fill(password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mine kurser" })).toBeVisible();
}

/** The error page's headings (GeneralErrorBoundary): a refusal shown in place shows none of them. */
const ERROR_PAGE_TITLES = /^(Der gik noget galt|Vi kan ikke finde siden|Ingen adgang|Det kunne ikke lade sig gøre)$/;

export async function expectNoErrorPage(page: Page) {
  await expect(page.getByRole("heading", { level: 1, name: ERROR_PAGE_TITLES })).toHaveCount(0);
}

/** The path of the invitation mailed to this address. */
export async function invitationLink(browser: Browser, baseURL: string | undefined, email: string) {
  const link = (await mailTo(browser, baseURL, email)).match(/https?:\/\/\S+\/invitation\/\S+/)?.[0];
  expect(link).toBeTruthy();
  return new URL(link!).pathname;
}

/** Presses play on the module page and waits until the film has really run for a second. */
export async function expectFilmPlays(page: Page) {
  await page.getByTestId("video-player").getByRole("button", { name: "Afspil" }).click();
  await expect
    .poll(() => page.locator("video").evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 20_000 })
    .toBeGreaterThan(1);
}

/**
 * The browser specs share one server and database: a spec that switches Demo Kommune's own login
 * on switches it off again, so the specs after it find passwords only, as the seed has it.
 */
export async function switchOffMunicipalLogin(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, demoEmails.admin);
  await page.goto("/administration/kommunelogin");
  await page.getByLabel("Slå kommunelogin til").uncheck();
  await page.getByRole("button", { name: /^(Gem forbindelsen|Hent metadata og gem)$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Forbindelsen er gemt." })).toBeVisible();
  await context.close();
}

/** axe on the page as it stands: no serious or critical violation of WCAG 2.1 A or AA. */
export async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** The database of the server a spec talks to (tests/e2e/serve.ts names it by port). */
export const serverDatabaseFile = (baseURL: string) => path.join(tmpDir, `e2e-${new URL(baseURL).port}.sqlite`);

/**
 * Arranges or reads state in the server's database straight away, for what a person cannot do in
 * a browser in the time of a test (minutes of film, a date long past); the connection is closed after.
 */
export function withServerDatabase<T>(baseURL: string, work: (db: ReturnType<typeof openDatabase>["db"]) => T): T {
  const { db, sqlite } = openDatabase(serverDatabaseFile(baseURL));
  try {
    return work(db);
  } finally {
    sqlite.close();
  }
}

/** What a spec may wipe of a person it made, so a retry against the same server starts them afresh. */
type PersonTable =
  | typeof trainingCycles
  | typeof certificates
  | typeof quizAttempts
  | typeof moduleProgress
  | typeof measurementSubmissions
  | typeof measurementFollowUps
  | typeof meetingParticipants;

/**
 * A member of staff of Demo Kommune made by the spec, in the named unit, with the demo password and
 * a seat on the municipality's first licence; what `clear` holds of them from an earlier try is
 * deleted. Specs make their own people, so the seeded people's progress, which other specs read,
 * stays as it was. Returns the person's id.
 */
export function givenDemoStaffWithSeat(
  db: ReturnType<typeof openDatabase>["db"],
  person: { email: string; name: string },
  unit: string,
  clear: readonly PersonTable[] = [],
): number {
  const organisationId = db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.slug, "demo-kommune"))
    .get()!.id;
  const unitId = db
    .select({ id: organisationUnits.id })
    .from(organisationUnits)
    .where(and(eq(organisationUnits.organisationId, organisationId), eq(organisationUnits.name, unit)))
    .get()!.id;
  const licenceId = db
    .select({ id: licences.id })
    .from(licences)
    .where(eq(licences.organisationId, organisationId))
    .orderBy(licences.id)
    .get()!.id;
  const passwordHash = db
    .select({ hash: users.passwordHash })
    .from(users)
    .where(eq(users.email, demoEmails.learner))
    .get()!.hash;
  db.insert(users).values({ email: person.email, name: person.name, passwordHash }).onConflictDoNothing().run();
  const userId = db.select({ id: users.id }).from(users).where(eq(users.email, person.email)).get()!.id;
  db.insert(memberships).values({ userId, organisationId, role: "learner", unitId }).onConflictDoNothing().run();
  for (const table of [...clear, seats]) db.delete(table).where(eq(table.userId, userId)).run();
  db.insert(seats).values({ licenceId, userId, claimedAt: new Date() }).run();
  return userId;
}

/** A page of its own browser context, signed in as the person; `width` sets the viewport. */
export async function signedInPage(browser: Browser, baseURL: string | undefined, email: string, width?: number) {
  const context = await browser.newContext({ baseURL, ...(width && { viewport: { width, height: 800 } }) });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/**
 * The training jobs run once as of `now`, as the scheduler would run them that morning, by the
 * operators' own command against the server's database: the browser tests move the clock this way.
 */
export function runTrainingJobs(baseURL: string, now: Date) {
  const run = spawnSync("npx", ["tsx", "app/cli/training-jobs.ts", `--now=${now.toISOString()}`], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_PATH: serverDatabaseFile(baseURL), NODE_ENV: "test" },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
}

/**
 * The text of the newest mail to `to` (whose subject matches, if given), as the course owner reads
 * it in the outbox: only the owner may, since it holds sign-in and invitation links.
 */
export async function mailTo(browser: Browser, baseURL: string | undefined, to: string, subject?: RegExp) {
  const context = await browser.newContext({ baseURL });
  const owner = await context.newPage();
  await signIn(owner, "ejer@rettidig.dk");
  await owner.goto("/udvikler/udbakke");
  const toThem = owner.locator("article").filter({ hasText: `Til: ${to}` });
  const mail = (
    subject ? toThem.filter({ has: owner.getByRole("heading", { level: 2, name: subject }) }) : toThem
  ).first();
  await expect(mail).toBeVisible();
  const text = await mail.locator("pre").innerText();
  await context.close();
  return text;
}

/**
 * Every film of the course watched (minutes of film, so written to the database as the other
 * specs do, over whatever the player already reported); the quiz is left to take.
 */
export function watchEveryFilm(baseURL: string, email: string, courseSlug: string) {
  withServerDatabase(baseURL, (db) => {
    const userId = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
    const course = db.select({ id: courses.id }).from(courses).where(eq(courses.slug, courseSlug)).get()!;
    const films = db.select({ id: modules.id }).from(modules).where(eq(modules.courseId, course.id)).all();
    const watchedAt = new Date();
    const watched = { playedRanges: "[[0,600]]", playedMs: 600_000, watchedAt, updatedAt: watchedAt };
    for (const film of films)
      db.insert(moduleProgress)
        .values({ userId, moduleId: film.id, ...watched })
        .onConflictDoUpdate({ target: [moduleProgress.userId, moduleProgress.moduleId], set: watched })
        .run();
  });
}

/** Takes a film's seeded quiz with the right answers, as the learner reads them off the page. */
export async function passTheQuiz(page: Page, courseSlug: string, filmSlug: string) {
  await page.goto(`/kurser/${courseSlug}/${filmSlug}/quiz`);
  const quiz = seedQuizzes.find((seeded) => seeded.moduleSlug === filmSlug)!;
  for (const question of quiz.questions) {
    const group = page.getByRole("group", { name: question.text });
    for (const [option, correct] of question.options)
      if (correct) await group.getByLabel(option, { exact: true }).check();
  }
  await page.getByRole("button", { name: "Aflever svarene" }).click();
  await expect(page.getByRole("heading", { name: "Du har bestået" })).toBeVisible();
}
