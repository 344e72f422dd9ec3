import { expect, test } from "@playwright/test";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import {
  certificates,
  courseRestarts,
  courses,
  licences,
  memberships,
  moduleProgress,
  modules,
  organisations,
  quizAttempts,
  quizzes,
  seats,
  trainingAssignmentPeople,
  trainingAssignments,
  trainingCycles,
  users,
} from "#db/schema";
import { openDatabase } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { formatDay } from "~/i18n/i18n";
import { cycleState } from "~/training/states";
import { roundExpiry } from "~/training/validity.server";
import {
  expectFilmPlays,
  expectNoErrorPage,
  expectNoSeriousViolations,
  runTrainingJobs,
  serverDatabaseFile,
  signIn,
} from "./helpers";

/**
 * A mandatory course that must be refreshed every 24 months, completed 25 months ago: once the
 * training jobs run, the person's course starts again from the beginning (films from 0, the quiz
 * open with fresh attempts) and the certificate of the earlier round says it has expired.
 */
const PERSON = "genopfrisk@demo-kommune.dk";
const COURSE = "unges-egne-fortaellinger";
const FIRST_FILM = "sofie-ingen-spurgte-til-mig";
/** Fixed, so a retry against the same server finds the same certificate; the letters of a real code. */
const OLD_CODE = "GNPF7RSKXY2H";
const RECURRENCE_MONTHS = 24;

function monthsBefore(today: string, months: number): string {
  const day = new Date(`${today}T00:00:00Z`);
  day.setUTCMonth(day.getUTCMonth() - months);
  return day.toISOString().slice(0, 10);
}

/**
 * Written straight to the browser tests' database, as a round completed long ago would have left
 * it: a person of Demo Kommune with a seat, the course assigned to her alone, a round completed
 * 25 months ago with every film watched, the quiz passed at the second of two allowed attempts,
 * and the certificate issued then. A retry against the same server starts from the same rows.
 */
function arrange(baseURL: string) {
  const { db, sqlite } = openDatabase(serverDatabaseFile(baseURL));
  try {
    const today = danishDate();
    const completedOn = monthsBefore(today, 25);
    const completedAt = new Date(`${completedOn}T10:00:00Z`);
    const expiresOn = roundExpiry(completedOn, { recurrenceMonths: RECURRENCE_MONTHS })!;
    const organisationId = db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, "demo-kommune"))
      .get()!.id;
    const course = db.select().from(courses).where(eq(courses.slug, COURSE)).get()!;
    const films = db
      .select({ id: modules.id, slug: modules.slug })
      .from(modules)
      .where(eq(modules.courseId, course.id))
      .orderBy(asc(modules.position))
      .all();
    const quiz = db
      .select({ id: quizzes.id })
      .from(quizzes)
      .where(eq(quizzes.moduleId, films.find((film) => film.slug === FIRST_FILM)!.id))
      .get()!;

    const passwordHash = db
      .select({ hash: users.passwordHash })
      .from(users)
      .where(eq(users.email, "medarbejder@demo-kommune.dk"))
      .get()!.hash;
    db.insert(users).values({ email: PERSON, name: "Gitte Genopfrisk", passwordHash }).onConflictDoNothing().run();
    const userId = db.select({ id: users.id }).from(users).where(eq(users.email, PERSON)).get()!.id;
    db.insert(memberships).values({ userId, organisationId, role: "learner" }).onConflictDoNothing().run();
    const licenceId = db
      .select({ id: licences.id })
      .from(licences)
      .where(eq(licences.organisationId, organisationId))
      .orderBy(licences.id)
      .get()!.id;
    db.delete(seats).where(eq(seats.userId, userId)).run();
    db.insert(seats).values({ licenceId, userId, claimedAt: completedAt }).run();

    // What an earlier run of this spec left behind.
    db.delete(courseRestarts).where(eq(courseRestarts.userId, userId)).run();
    db.delete(trainingCycles).where(eq(trainingCycles.userId, userId)).run();
    db.delete(certificates).where(eq(certificates.userId, userId)).run();
    db.delete(quizAttempts).where(eq(quizAttempts.userId, userId)).run();
    db.delete(moduleProgress).where(eq(moduleProgress.userId, userId)).run();
    db.delete(trainingAssignments)
      .where(
        inArray(
          trainingAssignments.id,
          db
            .select({ id: trainingAssignmentPeople.assignmentId })
            .from(trainingAssignmentPeople)
            .where(eq(trainingAssignmentPeople.userId, userId)),
        ),
      )
      .run();

    const assignment = db
      .insert(trainingAssignments)
      .values({
        organisationId,
        courseId: course.id,
        scope: "people",
        dueMode: "date",
        dueOn: shiftDays(completedOn, 10),
        recurrenceMonths: RECURRENCE_MONTHS,
        refreshDueDays: 90,
        createdAt: completedAt,
      })
      .returning({ id: trainingAssignments.id })
      .get();
    db.insert(trainingAssignmentPeople).values({ assignmentId: assignment.id, userId }).run();
    db.insert(trainingCycles)
      .values({
        organisationId,
        userId,
        courseId: course.id,
        number: 1,
        assignmentId: assignment.id,
        openedOn: shiftDays(completedOn, -20),
        dueOn: shiftDays(completedOn, 10),
        startedAt: completedAt,
        completedAt,
        completedOn,
        expiresOn,
      })
      .run();
    for (const film of films)
      db.insert(moduleProgress)
        .values({
          userId,
          moduleId: film.id,
          playedRanges: "[[0,600]]",
          playedMs: 600_000,
          // Stopped 20 s into a later viewing (the demo films are about half a minute long): the refresher starts from 0 instead.
          lastPositionMs: 20_000,
          watchedAt: completedAt,
          updatedAt: completedAt,
        })
        .run();
    db.update(quizzes).set({ maxAttempts: 2 }).where(eq(quizzes.id, quiz.id)).run();
    for (const passed of [false, true])
      db.insert(quizAttempts)
        .values({
          quizId: quiz.id,
          userId,
          correctCount: passed ? 3 : 0,
          questionCount: 3,
          scorePercent: passed ? 100 : 0,
          passed,
          submittedAt: completedAt,
        })
        .run();
    db.insert(certificates)
      .values({
        code: OLD_CODE,
        userId,
        courseId: course.id,
        recipientName: "Gitte Genopfrisk",
        courseTitle: course.title,
        organisationName: "Demo Kommune",
        minutes: 60,
        completedOn,
        issuedAt: completedAt,
        round: 0,
        validUntil: expiresOn,
      })
      .run();
    return { userId, expiresOn };
  } finally {
    sqlite.close();
  }
}

/** The person's current round, read from the database the way the pages judge it. */
function currentRound(baseURL: string, userId: number) {
  const { db, sqlite } = openDatabase(serverDatabaseFile(baseURL));
  try {
    return db
      .select()
      .from(trainingCycles)
      .where(and(eq(trainingCycles.userId, userId), isNull(trainingCycles.endedAt)))
      .get()!;
  } finally {
    sqlite.close();
  }
}

test("an expired completion comes round again: films from the start, the quiz open with fresh attempts, the old certificate expired", async ({
  browser,
  baseURL,
}) => {
  const { userId, expiresOn } = arrange(baseURL!);
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, PERSON);

  // Before the jobs run, the course stands as completed two years ago.
  await page.goto(`/kurser/${COURSE}`);
  await expect(page.getByText("4 af 4 film gennemført")).toBeVisible();
  await expect(page.getByText("Kontrolkode: GNPF-7RSK-XY2H")).toBeVisible();

  runTrainingJobs(baseURL!, new Date());
  const round = currentRound(baseURL!, userId);
  expect(round).toMatchObject({ number: 2, refresher: true, openedOn: shiftDays(expiresOn, 1) });
  expect(cycleState(round, danishDate())).toBe("refresh");
  await page.goto("/kurser");
  const mandatory = page.getByRole("region", { name: "Obligatoriske kurser" });
  await expect(mandatory).toContainText("Skal genopfriskes");
  await expect(mandatory).toContainText(`Skal være gennemført senest ${formatDay("da", round.dueOn)}`);

  // The course starts over: nothing completed, no certificate offered for this round yet.
  await page.goto(`/kurser/${COURSE}`);
  await expect(page.getByText("0 af 4 film gennemført")).toBeVisible();
  await expect(page.getByText("Quiz efter filmen")).toBeVisible();
  await expect(page.getByText("Kontrolkode:")).toHaveCount(0);
  await expectNoErrorPage(page);
  await page.screenshot({ path: "tests/results/screens/genopfriskning-kursus.png", fullPage: true });

  // The film is to be seen again, from the beginning.
  await page.goto(`/kurser/${COURSE}/${FIRST_FILM}`);
  await expect(page.getByTestId("watch-status")).toHaveText(
    "Du har set 0 % af filmen. En film tæller som set, når du har set mindst 90 %.",
  );
  await expectFilmPlays(page);
  expect(await page.locator("video").evaluate((video: HTMLVideoElement) => video.currentTime)).toBeLessThan(15);

  // Watched again (minutes of film, so written to the database as the other specs do), the quiz opens with both attempts.
  const { db, sqlite } = openDatabase(serverDatabaseFile(baseURL!));
  try {
    const film = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, FIRST_FILM)).get()!;
    db.update(moduleProgress)
      .set({ playedRanges: "[[0,600]]", playedMs: 600_000, watchedAt: new Date() })
      .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.moduleId, film.id)))
      .run();
  } finally {
    sqlite.close();
  }
  await page.goto(`/kurser/${COURSE}/${FIRST_FILM}/quiz`);
  await expect(page.getByText("Du har 2 af 2 forsøg tilbage.", { exact: false })).toBeVisible();
  await expect(page.getByRole("button", { name: "Aflever svarene" })).toBeVisible();

  // Anyone checking the old certificate learns it is genuine, and that it has expired.
  const checker = await browser.newContext({ baseURL });
  const check = await checker.newPage();
  await check.goto("/bevis/GNPF-7RSK-XY2H");
  await expect(check.getByRole("heading", { level: 1, name: "Kontrol af kursusbevis" })).toBeVisible();
  await expect(check.getByText(`Beviset er udløbet den ${formatDay("da", expiresOn)}`)).toBeVisible();
  await check.screenshot({ path: "tests/results/screens/kursusbevis-udloebet.png", fullPage: true });
  await expectNoSeriousViolations(check);
  await checker.close();
  await context.close();
});
