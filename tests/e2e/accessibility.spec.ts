import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations, signIn } from "./helpers";

const learner = "medarbejder@demo-kommune.dk";
const pages: { name: string; path: string; as: string | null; status?: number }[] = [
  { name: "Mine kurser", path: "/kurser", as: learner },
  { name: "kursus", path: "/kurser/i-skolen-og-fritiden", as: learner },
  { name: "film", path: "/kurser/i-skolen-og-fritiden/laereren-naar-et-barn-aendrer-sig", as: learner },
  { name: "priser", path: "/priser", as: null },
  { name: "tilgængelighedserklæring", path: "/tilgaengelighed", as: null },
  { name: "min enhed", path: "/leder", as: "leder@demo-kommune.dk" },
  { name: "bestilling", path: "/administration/bestil", as: "admin@demo-kommune.dk" },
  { name: "kommunens oplysninger", path: "/administration/kommune", as: "admin@demo-kommune.dk" },
  { name: "kommunelogin", path: "/administration/kommunelogin", as: "admin@demo-kommune.dk" },
  { name: "brugerkatalog", path: "/administration/brugerkatalog", as: "admin@demo-kommune.dk" },
  { name: "kommunelogin med SAML", path: "/administration/kommunelogin?protocol=saml", as: "admin@demo-kommune.dk" },
  // No flow has this id, so the end of a SAML sign-in says so with a 400.
  { name: "SAML-login afvist", path: "/sso/faerdig?f=_ukendt", as: null, status: 400 },
  { name: "CSV-import", path: "/administration/import", as: "admin@demo-kommune.dk" },
  { name: "tilmeldingslinks", path: "/administration/tilmeldingslinks", as: "admin@demo-kommune.dk" },
  { name: "venter på en plads", path: "/administration/pladsanmodninger", as: "admin@demo-kommune.dk" },
  { name: "fakturaer", path: "/ejer/fakturaer", as: "ejer@rettidig.dk" },
  { name: "licenser og rabatter", path: "/ejer/priser", as: "ejer@rettidig.dk" },
  { name: "quiz", path: "/kurser/unges-egne-fortaellinger/sofie-ingen-spurgte-til-mig/quiz", as: learner },
  { name: "feedbackskema", path: "/kurser/unges-egne-fortaellinger/feedback", as: learner },
  // No certificate has this code, so the page says so with a 404.
  { name: "kursusbevis-kontrol", path: "/bevis/AAAA-BBBB-CCCC", as: null, status: 404 },
  { name: "kommunens feedback", path: "/administration/feedback", as: "admin@demo-kommune.dk" },
  {
    name: "mails om obligatoriske kurser",
    path: "/administration/obligatorisk/paamindelser",
    as: "admin@demo-kommune.dk",
  },
  {
    name: "overblik over obligatoriske kurser",
    path: "/administration/obligatorisk/overblik",
    as: "admin@demo-kommune.dk",
  },
  { name: "obligatoriske kurser i min enhed", path: "/leder/obligatorisk/overblik", as: "leder@demo-kommune.dk" },
  { name: "kursusstudie", path: "/ejer/studie", as: "ejer@rettidig.dk" },
  { name: "kursus i studiet", path: "/ejer/studie/kurser/1", as: "ejer@rettidig.dk" },
  { name: "modul i studiet", path: "/ejer/studie/moduler/1", as: "ejer@rettidig.dk" },
  { name: "quizbygger", path: "/ejer/studie/moduler/1/quiz", as: "ejer@rettidig.dk" },
  { name: "seerkurve", path: "/ejer/statistik/film/1", as: "ejer@rettidig.dk" },
  { name: "film og undertekster", path: "/ejer/studie/moduler/1/film", as: "ejer@rettidig.dk" },
  { name: "spørgeskemabygger", path: "/ejer/studie/kurser/1/feedback/medarbejdere", as: "ejer@rettidig.dk" },
  { name: "feedbackoversigt", path: "/ejer/feedback", as: "ejer@rettidig.dk" },
  { name: "før- og eftermåling i studiet", path: "/ejer/studie/kurser/1/maaling", as: "ejer@rettidig.dk" },
  { name: "før- og eftermåling", path: "/kurser/unges-egne-fortaellinger/maaling?tidspunkt=slut", as: learner },
  { name: "statistik", path: "/ejer/statistik", as: "ejer@rettidig.dk" },
  { name: "måling før og efter", path: "/ejer/maaling", as: "ejer@rettidig.dk" },
  { name: "kommunens måling før og efter", path: "/administration/maaling", as: "admin@demo-kommune.dk" },
  { name: "obligatoriske kurser", path: "/administration/obligatorisk", as: "admin@demo-kommune.dk" },
  { name: "obligatoriske kurser for enheden", path: "/leder/obligatorisk", as: "leder@demo-kommune.dk" },
  { name: "deltag i personalemøde", path: "/moede?kode=ABCDEF", as: learner },
  { name: "personalemøder", path: "/administration/personalemoeder", as: "admin@demo-kommune.dk" },
  { name: "personalemøder i enheden", path: "/leder/personalemoeder", as: "leder@demo-kommune.dk" },
  // The seed makes Mette Dahl, the health visitor, its third person; the page only asks, it erases nobody.
  { name: "slet person", path: "/administration/personer/3/slet", as: "admin@demo-kommune.dk" },
  { name: "databeskyttelse", path: "/administration/databeskyttelse", as: "admin@demo-kommune.dk" },
  { name: "beskrivelse af behandlingen", path: "/administration/databehandling", as: "admin@demo-kommune.dk" },
  { name: "mine data", path: "/mine-data", as: learner },
  // Sofie, the seed's first person, is one of Demo Kommune's staff.
  { name: "persondata om en medarbejder", path: "/administration/personer/1", as: "admin@demo-kommune.dk" },
  { name: "adgangslog", path: "/administration/adgangslog", as: "admin@demo-kommune.dk" },
];

for (const width of [1280, 360]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });

    test("the sign-in page has no serious accessibility violations, at both steps", async ({ page }) => {
      const response = await page.goto("/log-ind");
      expect(response?.status()).toBe(200);
      await expectNoSeriousViolations(page);
      await page.getByLabel("E-mail").fill("someone@example.com");
      await page.getByRole("button", { name: "Fortsæt" }).click();
      await expect(page.getByLabel("Adgangskode")).toBeFocused();
      await expectNoSeriousViolations(page);
    });

    for (const { name, path, as, status = 200 } of pages) {
      test(`the ${name} page has no serious accessibility violations`, async ({ page }) => {
        if (as) await signIn(page, as);
        // The page itself, not a refusal, an error page or the sign-in page it could redirect to.
        const response = await page.goto(path);
        expect(response?.status()).toBe(status);
        expect(new URL(page.url()).pathname).toBe(new URL(path, page.url()).pathname);
        await expect(page.locator("h1")).toBeVisible();
        if (name === "film") await expect(page.getByTestId("video-player")).toBeVisible();
        await expectNoSeriousViolations(page);
        await page.screenshot({
          path: `tests/results/screens/${name.replace(/\s/g, "-")}-${width}.png`,
          fullPage: true,
        });
      });
    }
  });
}
