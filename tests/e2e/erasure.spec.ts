import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { certificates, courses, users } from "#db/schema";
import { danishDate } from "~/i18n/dates";
import { expectNoSeriousViolations, givenDemoStaffWithSeat, signedInPage, signIn, withServerDatabase } from "./helpers";

const PERSON = { email: "slettes-i-browseren@demo-kommune.dk", name: "Birthe Sletmig" };
const CODE = "SKTB2345MNPQ";

test("the admin erases a learner by typing her name, after a wrong confirmation is refused in place", async ({
  page,
  baseURL,
}) => {
  const personId = givenStaffWithCertificate(baseURL!, PERSON, CODE);
  await page.goto(`/bevis/${CODE}`);
  await expect(page.getByText(PERSON.name)).toBeVisible();

  await signIn(page, "admin@demo-kommune.dk");
  await page.goto(`/administration/personer/${personId}/slet`);
  await expect(page.getByRole("heading", { level: 1, name: `Slet ${PERSON.name}` })).toBeVisible();
  await expect(page.getByText(/bogføringsloven kræver/)).toBeVisible();

  const confirmation = page.getByLabel("Skriv personens navn eller e-mailadresse");
  await confirmation.fill("Sofie Nørgaard");
  await page.getByRole("button", { name: "Slet personen for altid" }).click();
  await expect(page.getByText("Det, du skrev, er hverken personens navn eller e-mailadresse.")).toBeVisible();
  await expect(confirmation).toHaveAttribute("aria-invalid", "true");
  expect(
    withServerDatabase(baseURL!, (db) => db.select().from(users).where(eq(users.id, personId)).get()),
  ).toBeDefined();

  await confirmation.fill(PERSON.name);
  await page.getByRole("button", { name: "Slet personen for altid" }).click();
  await expect(page).toHaveURL(/\/administration\?besked=slettet$/);
  await expect(page.getByRole("status").filter({ hasText: "Personen er slettet." })).toBeVisible();
  expect(
    withServerDatabase(baseURL!, (db) => db.select().from(users).where(eq(users.id, personId)).get()),
  ).toBeUndefined();

  // The certificate's code still answers, to say it no longer vouches for anyone.
  const check = await page.goto(`/bevis/${CODE}`);
  expect(check?.status()).toBe(410);
  await expect(page.getByRole("heading", { level: 1, name: "Kursusbeviset er trukket tilbage" })).toBeVisible();
  await expect(page.getByText(PERSON.name)).toHaveCount(0);
});

/** A member of staff made by the spec, holding a certificate with the given code. */
function givenStaffWithCertificate(baseURL: string, person: { email: string; name: string }, code: string) {
  return withServerDatabase(baseURL, (db) => {
    const id = givenDemoStaffWithSeat(db, person, "Skovbrynets Børnehus", [certificates]);
    const course = db.select({ id: courses.id, title: courses.title }).from(courses).get()!;
    // A retry finds the code on the stand-in of the person the first try erased.
    db.delete(certificates).where(eq(certificates.code, code)).run();
    db.insert(certificates)
      .values({
        code,
        userId: id,
        courseId: course.id,
        recipientName: person.name,
        courseTitle: course.title,
        organisationName: "Demo Kommune",
        minutes: 60,
        completedOn: danishDate(),
        issuedAt: new Date(),
      })
      .onConflictDoNothing()
      .run();
    return id;
  });
}

for (const width of [1280, 360]) {
  test(`the erase page and a withdrawn certificate have no serious accessibility violations at ${width} px`, async ({
    browser,
    baseURL,
  }) => {
    const person = { email: `axe-slettes-${width}@demo-kommune.dk`, name: `Axel Sletmig ${width}` };
    const code = width === 1280 ? "AXEB2345MNPQ" : "AXEC2345MNPQ";
    const personId = givenStaffWithCertificate(baseURL!, person, code);
    const page = await signedInPage(browser, baseURL, "admin@demo-kommune.dk", width);
    await page.goto(`/administration/personer/${personId}/slet`);
    await expectNoSeriousViolations(page);
    // With the refusal beside the field too.
    await page.getByRole("button", { name: "Slet personen for altid" }).click();
    await expect(page.getByText("Udfyld feltet.")).toBeVisible();
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: test.info().outputPath(`slet-${width}.png`), fullPage: true });

    await page.getByLabel("Skriv personens navn eller e-mailadresse").fill(person.email);
    await page.getByRole("button", { name: "Slet personen for altid" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Personen er slettet." })).toBeVisible();
    expect((await page.goto(`/bevis/${code}`))?.status()).toBe(410);
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: test.info().outputPath(`bevis-trukket-tilbage-${width}.png`), fullPage: true });
    await page.context().close();
  });
}
