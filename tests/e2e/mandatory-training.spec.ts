import { expect, test } from "@playwright/test";
import { and, eq, isNull } from "drizzle-orm";
import {
  certificates,
  courses,
  moduleProgress,
  organisations,
  quizAttempts,
  trainingAssignments,
  trainingCycles,
  users,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { danishDate, shiftDays } from "~/i18n/dates";
import { formatDay } from "~/i18n/i18n";
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
const UNIT = "Skovbrynets Børnehus";
/** Two new staff in the unit, so the seeded people's progress, which other specs read, stays as it was. */
const LATE = { email: "frida.frist@demo-kommune.dk", name: "Frida Frist" };
const ON_TIME = { email: "ida.itide@demo-kommune.dk", name: "Ida I. Tide" };

/**
 * Issue 12, "done when": Demo Kommune's admin makes "Unges egne fortællinger" mandatory for one
 * unit with a due date; a learner there sees it first on "Mine kurser" with the date; with the
 * clock moved (the training job run as of a week before the due date and the day after it), the
 * learner gets the 7-day and the overdue mail and the leader's weekly digest lists her; after
 * finishing, one who finished past her due date reads "Gennemført for sent" and one within it
 * "Gennemført til tiden". A leader naming someone outside their unit is refused in place. Looked
 * at as on a phone, 360 px wide. The admin takes the assignment away at the end, so the specs
 * after this one find "Mine kurser" as the seed left it.
 */
test.use({ viewport: { width: 360, height: 800 } });

/** The two new people with a seat each in the unit; a retry against the same server starts them afresh. */
function arrange(baseURL: string) {
  withServerDatabase(baseURL, (db) => {
    const organisationId = db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, "demo-kommune"))
      .get()!.id;
    const courseId = db.select({ id: courses.id }).from(courses).where(eq(courses.slug, COURSE_SLUG)).get()!.id;
    // What an earlier try of this spec left: its assignment and the two people's rounds and progress.
    db.update(trainingAssignments)
      .set({ removedAt: new Date() })
      .where(
        and(
          eq(trainingAssignments.organisationId, organisationId),
          eq(trainingAssignments.courseId, courseId),
          isNull(trainingAssignments.removedAt),
        ),
      )
      .run();
    for (const person of [LATE, ON_TIME])
      givenDemoStaffWithSeat(db, person, UNIT, [trainingCycles, certificates, quizAttempts, moduleProgress]);
  });
}

/** The person's due date moved to yesterday, as if the clock had run past it before they finished. */
function dueYesterday(baseURL: string, email: string) {
  withServerDatabase(baseURL, (db) => {
    const userId = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
    db.update(trainingCycles)
      .set({ dueOn: shiftDays(danishDate(), -1) })
      .where(and(eq(trainingCycles.userId, userId), isNull(trainingCycles.endedAt)))
      .run();
  });
}

test("an admin makes a course mandatory for a unit: its learners see it first, get the 7-day and overdue mails, the leader's digest lists them, and finishing says on time or late", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  arrange(baseURL!);
  const dueOn = shiftDays(danishDate(), 10);
  const dueText = formatDay("da", dueOn);

  const admin = await signedInPage(browser, baseURL, demoEmails.admin);
  await admin.goto("/administration");
  await admin.getByRole("link", { name: "Obligatoriske kurser" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Obligatoriske kurser" })).toBeVisible();
  await expect(admin.getByRole("link", { name: "Overblik" })).toBeVisible();
  await expect(admin.getByRole("link", { name: "Påmindelser" })).toBeVisible();
  await admin.getByLabel("Kursus").selectOption({ label: COURSE });
  // Only the fields the choices use are shown.
  await expect(admin.getByLabel("Enhed", { exact: true })).toBeHidden();
  await expect(admin.getByLabel("Antal dage", { exact: true })).toBeHidden();
  await admin.getByRole("radio", { name: "En enhed" }).check();
  await admin.getByLabel("Enhed", { exact: true }).selectOption({ label: UNIT });
  await admin.getByRole("radio", { name: "En dato" }).check();
  await admin.getByLabel("Dato", { exact: true }).fill(dueOn);
  await admin.getByRole("button", { name: "Gør obligatorisk" }).click();
  await expect(admin.getByRole("status")).toContainText("Kurset er nu obligatorisk.");
  const row = admin.getByRole("row", { name: new RegExp(COURSE) });
  await expect(row).toContainText(`Enheden ${UNIT}`);
  await expect(row).toContainText(dueText);
  await expectNoSeriousViolations(admin);
  await admin.screenshot({ path: "tests/results/screens/obligatorisk-admin-360.png", fullPage: true });

  const learner = await signedInPage(browser, baseURL, LATE.email);
  const mandatory = learner.getByRole("region", { name: "Obligatoriske kurser" });
  await expect(mandatory.getByRole("heading", { level: 3 }).first()).toHaveText(COURSE);
  await expect(mandatory).toContainText(`Skal være gennemført senest ${dueText}`);
  await expect(mandatory).toContainText("Ikke startet");
  await expect(mandatory.getByRole("link", { name: "Hent fristerne til din kalender" })).toBeVisible();
  await expect(learner.getByRole("heading", { level: 2, name: "Valgfrie kurser" })).toBeVisible();
  await expectNoSeriousViolations(learner);
  await learner.screenshot({ path: "tests/results/screens/mine-kurser-obligatorisk-360.png", fullPage: true });

  // A week before the due date, then the day after it: the job as it runs at 7 in the morning.
  runTrainingJobs(baseURL!, new Date(`${shiftDays(dueOn, -7)}T06:00:00Z`));
  const weekBefore = await mailTo(browser, baseURL, LATE.email, /^Snart frist: «Unges egne fortællinger»/);
  expect(weekBefore).toContain(dueText);
  expect(weekBefore).toContain(`/kurser/${COURSE_SLUG}/${FIRST_FILM}`);
  runTrainingJobs(baseURL!, new Date(`${shiftDays(dueOn, 1)}T06:00:00Z`));
  const overdue = await mailTo(browser, baseURL, LATE.email, /^Fristen er overskredet: «Unges egne fortællinger»/);
  expect(overdue).toContain(dueText);
  expect(overdue).toContain(`/kurser/${COURSE_SLUG}/${FIRST_FILM}`);
  const digest = await mailTo(
    browser,
    baseURL,
    demoEmails.leader,
    /^Ugens frister for obligatoriske kurser i Skovbrynets Børnehus/,
  );
  expect(digest).toContain(`${LATE.name}: «${COURSE}», fristen var ${dueText} og er overskredet`);
  expect(digest).toContain(`${ON_TIME.name}: «${COURSE}»`);

  // Frida finishes after her due date has passed; Ida before hers.
  dueYesterday(baseURL!, LATE.email);
  watchEveryFilm(baseURL!, LATE.email, COURSE_SLUG);
  await passTheQuiz(learner, COURSE_SLUG, FIRST_FILM);
  await learner.goto("/kurser");
  await expect(mandatory).toContainText("Gennemført for sent");
  await learner.screenshot({ path: "tests/results/screens/mine-kurser-for-sent-360.png", fullPage: true });

  const onTime = await signedInPage(browser, baseURL, ON_TIME.email);
  watchEveryFilm(baseURL!, ON_TIME.email, COURSE_SLUG);
  await passTheQuiz(onTime, COURSE_SLUG, FIRST_FILM);
  await onTime.goto("/kurser");
  await expect(onTime.getByRole("region", { name: "Obligatoriske kurser" })).toContainText("Gennemført til tiden");

  // Mette works in Sundhedsplejen, not in the leader's unit.
  const leader = await signedInPage(browser, baseURL, demoEmails.leader);
  await leader.goto("/leder");
  await leader.getByRole("link", { name: "Obligatoriske kurser for din enhed" }).click();
  await leader.getByRole("radio", { name: "Udvalgte personer" }).check();
  await leader.getByLabel("Personernes e-mailadresser").fill(demoEmails.healthVisitor);
  await leader.getByRole("button", { name: "Gør obligatorisk" }).click();
  await expect(leader.getByRole("alert")).toHaveText(
    "Som leder kan du kun gøre et kursus obligatorisk for din egen enhed.",
  );
  await expectNoErrorPage(leader);
  await expect(leader.getByLabel("Personernes e-mailadresser")).toHaveValue(demoEmails.healthVisitor);
  await leader.screenshot({ path: "tests/results/screens/obligatorisk-leder-afvist-360.png", fullPage: true });

  await admin.getByRole("button", { name: `Gør ${COURSE} valgfrit igen` }).click();
  await expect(admin.getByRole("status")).toContainText("Kurset er ikke længere obligatorisk");
  const sofie = await signedInPage(browser, baseURL, demoEmails.learner);
  await expect(sofie.getByRole("region", { name: "Obligatoriske kurser" })).toHaveCount(0);
});
