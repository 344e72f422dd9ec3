import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { tmpDir } from "../setup/paths";
import { pdfText } from "../utils/pdf-text";
import { signIn } from "./helpers";

/**
 * The whole path in one go: the owner builds a course in the studio, a learner takes
 * it to the certificate, staff and a leader answer their forms, and the owner reads the answers.
 */
test.describe.configure({ mode: "serial" });

// A retry runs against the same server, so every run builds a course of its own.
const run = Date.now().toString(36);
const courseTitle = `Tidlig opsporing i praksis ${run}`;
const moduleTitle = `Når Emma holder op med at komme ${run}`;
const film = path.join(tmpDir, "e2e-studio-film.mp4");

async function asUser(browser: Browser, email: string) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

async function download(page: Page, click: () => Promise<void>) {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: file.suggestedFilename(), body: fs.readFileSync(await file.path()) };
}

test.beforeAll(() => {
  if (fs.existsSync(film)) return;
  // Eight seconds with sound: long enough to show the player and the coding progress, short to watch.
  const made = spawnSync("ffmpeg", [
    "-hide_banner",
    "-v",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=640x360:rate=25:duration=8",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:duration=8",
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-shortest",
    film,
  ]);
  if (made.status !== 0) throw new Error(`ffmpeg could not make the test film: ${made.stderr.toString()}`);
});

test("the owner builds a course with a film, a quiz and two feedback forms, and gives Demo Kommune access", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const owner = await asUser(browser, "ejer@rettidig.dk");
  await owner.getByRole("link", { name: "Studie" }).click();
  await expect(owner.getByRole("heading", { level: 1, name: "Kursusstudie" })).toBeVisible();
  await owner.waitForLoadState("networkidle");

  const newCourse = owner.getByRole("region", { name: "Nyt kursus" });
  await newCourse.getByLabel("Titel").fill(courseTitle);
  await newCourse
    .getByLabel("Kort beskrivelse")
    .fill("Et kort kursus om at se tegnene i tide og handle sammen med kollegerne.");
  await newCourse.getByRole("button", { name: "Opret kurset" }).click();
  await expect(owner.getByRole("heading", { level: 1, name: courseTitle })).toBeVisible();
  const courseUrl = owner.url();
  // A course with nothing to show is not offered for publishing; the page says what it needs instead.
  await expect(owner.getByRole("button", { name: /^Udgiv/ })).toHaveCount(0);
  await expect(owner.getByText("Kurset kan først udgives, når mindst ét udgivet modul har en film.")).toBeVisible();

  const newModule = owner.getByRole("region", { name: "Moduler" });
  await newModule.getByLabel("Titel").fill(moduleTitle);
  await newModule
    .getByLabel("Beskrivelse")
    .fill(
      "En lærer fortæller om en elev, der langsomt forsvinder fra skolen, og om den samtale, der blev vendepunktet.",
    );
  await newModule.getByRole("button", { name: "Opret modulet" }).click();
  await expect(owner.getByRole("heading", { level: 1, name: moduleTitle })).toBeVisible();
  const moduleUrl = owner.url();

  // The film: uploaded with a progress bar, then coded in the background while the page follows.
  await owner.getByRole("link", { name: "Læg film og undertekster op" }).click();
  await owner.getByLabel("Film", { exact: true }).setInputFiles(film);
  // Danish subtitles come with it: without them the module could not be published.
  await owner.getByLabel("Undertekster (kan udelades)").setInputFiles({
    name: "emma.vtt",
    mimeType: "text/vtt",
    buffer: Buffer.from("WEBVTT\n\n00:00.500 --> 00:04.000\nEmma er ikke kommet i skole i dag.\n"),
  });
  await owner.getByRole("button", { name: "Læg filmen op" }).click();
  await expect(owner.getByText("Filmen er modtaget og venter på at blive kodet.")).toBeVisible();
  const job = owner.getByRole("listitem").filter({ hasText: "e2e-studio-film.mp4" }).first();
  await expect(job).toContainText(/Venter i køen|Behandles nu|Færdig/);
  await expect(job).toContainText("Færdig", { timeout: 120_000 });
  await expect(owner.getByRole("region", { name: "Filmen nu" })).toContainText("0:08");
  // Once coded, the film no longer "waits to be coded".
  await expect(owner.getByText("Filmen er modtaget og venter på at blive kodet.")).toBeHidden();

  // The quiz: one question, the second option right.
  await owner.goto(moduleUrl);
  await owner.getByRole("link", { name: "Lav eller ret quizzen" }).click();
  await owner.getByRole("button", { name: "Tilføj spørgsmål med ét rigtigt svar" }).click();
  const question = owner.getByRole("group", { name: "Spørgsmål 1" });
  await question.getByLabel("Spørgsmål", { exact: true }).fill("Hvad gjorde læreren først, da Emma blev væk?");
  await question.getByLabel("Forklaring").fill("Hun delte sin bekymring med en kollega, før hun talte med forældrene.");
  await question.getByLabel("Svarmulighed 1", { exact: true }).fill("Ventede og så tiden an");
  await question.getByLabel("Svarmulighed 2", { exact: true }).fill("Delte sin bekymring med en kollega");
  // One right answer is one choice of a radio group, chosen with the keyboard as any radio group is.
  await question.getByLabel("Svarmulighed 1", { exact: true }).focus();
  await owner.keyboard.press("Tab");
  const firstRight = question.getByRole("radio", { name: "Svarmulighed 1 er rigtig" });
  const secondRight = question.getByRole("radio", { name: "Svarmulighed 2 er rigtig" });
  await expect(firstRight).toBeFocused();
  await owner.keyboard.press("ArrowDown");
  await expect(secondRight).toBeFocused();
  await expect(secondRight).toBeChecked();
  await expect(firstRight).not.toBeChecked();
  await owner.getByRole("button", { name: "Gem quizzen" }).first().click();
  await expect(owner.getByText("Quizzen er gemt.")).toBeVisible();
  await expect(
    owner.getByRole("group", { name: "Spørgsmål 1" }).getByRole("radio", { name: "Svarmulighed 2 er rigtig" }),
  ).toBeChecked();

  // Publish the module, then the course, and give Demo Kommune's licence the course.
  await owner.goto(moduleUrl);
  await owner.getByRole("button", { name: "Udgiv" }).first().click();
  await expect(owner.getByText("Modulet er udgivet.")).toBeVisible();
  await expect(owner).toHaveURL(moduleUrl);
  await owner.goto(courseUrl);
  await owner.getByRole("button", { name: "Udgiv" }).first().click();
  await expect(owner.getByText("Kurset er udgivet.")).toBeVisible();
  // The page stays at its own address after a form, not at "…?index".
  await expect(owner).toHaveURL(courseUrl);
  // No plan on sale has the new course yet: the next step stands at the top of the page.
  const nextStep = owner.getByRole("region", { name: "Næste skridt: Gør kurset muligt at købe" });
  await expect(nextStep).toBeVisible();
  await expect(nextStep.getByRole("link", { name: "Opret en ny licens til salg med kurset" })).toHaveAttribute(
    "href",
    /\/ejer\/priser\?kursus=\d+#ny-licens$/,
  );
  await owner
    .getByRole("checkbox", { name: /Demo Kommune/ })
    .first()
    .check();
  await owner.getByRole("button", { name: "Giv adgang" }).click();
  await expect(owner.getByText("Licenserne har nu adgang til kurset.")).toBeVisible();
  await expect(owner).toHaveURL(courseUrl);

  // The two feedback forms, with names, so the owner can follow single answers.
  for (const [link, questionText] of [
    ["Spørgeskema til medarbejdere", "Hvor godt kan du bruge kurset i dit arbejde?"],
    ["Spørgeskema til ledere", "Hvor godt passer kurset til jeres arbejde med tidlig indsats?"],
  ] as const) {
    await owner.goto(courseUrl);
    await owner.getByRole("link", { name: link }).click();
    await owner.getByLabel("Nej, svarene gemmes med navn").check();
    // A new form starts with one question.
    const first = owner.getByRole("group", { name: "Spørgsmål 1" });
    await first.getByLabel("Type").selectOption({ label: "Skala fra 1 til 5" });
    await first.getByLabel("Spørgsmålet").fill(questionText);
    await first.getByLabel("Tekst ved 1").fill("Slet ikke");
    await first.getByLabel("Tekst ved 5").fill("I høj grad");
    await owner.getByRole("button", { name: "Gem spørgeskemaet" }).click();
    await expect(owner.getByText("Spørgeskemaet er gemt.")).toBeVisible();
  }
  await owner.context().close();
});

test("a learner watches the film, fails the quiz once, passes it, answers the staff form and gets a certificate the public page confirms", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const learner = await asUser(browser, "medarbejder@demo-kommune.dk");
  await learner.getByRole("link", { name: courseTitle }).first().click();
  await learner.getByRole("link", { name: moduleTitle }).click();
  await expect(learner.getByRole("heading", { level: 1, name: moduleTitle })).toBeVisible();
  await expect(learner.getByText("Til filmen hører en kort quiz. Den åbner, når du har set filmen.")).toBeVisible();

  const player = learner.getByTestId("video-player");
  await player.getByRole("button", { name: "Afspil" }).click();
  await expect(learner.getByTestId("watch-status")).toHaveText("Du har set filmen.", { timeout: 30_000 });

  await learner.getByRole("link", { name: "Tag quizzen" }).click();
  const question = learner.getByRole("group", { name: /Hvad gjorde læreren først/ });
  await question.getByLabel("Ventede og så tiden an").check();
  await learner.getByRole("button", { name: "Aflever svarene" }).click();
  await expect(learner.getByRole("heading", { name: "Du har ikke bestået denne gang" })).toBeVisible();
  await expect(learner.getByText("Dit svar var forkert.")).toBeVisible();
  await expect(
    learner.getByText("Hun delte sin bekymring med en kollega, før hun talte med forældrene."),
  ).toBeVisible();

  await learner.getByRole("link", { name: "Prøv igen" }).click();
  await learner
    .getByRole("group", { name: /Hvad gjorde læreren først/ })
    .getByLabel("Delte sin bekymring med en kollega")
    .check();
  await learner.getByRole("button", { name: "Aflever svarene" }).click();
  await expect(learner.getByRole("heading", { name: "Du har bestået" })).toBeVisible();

  await learner.getByRole("link", { name: "Tilbage til filmen" }).click();
  await learner.getByRole("link", { name: new RegExp(`Tilbage til ${courseTitle}`) }).click();
  await expect(learner.getByText("1 af 1 film gennemført")).toBeVisible();
  const after = learner.getByRole("region", { name: "Kurset er gennemført" });
  const code = (await after.locator("code").innerText()).trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);

  const certificate = await download(learner, () =>
    after.getByRole("link", { name: "Hent kursusbevis (PDF)" }).click(),
  );
  expect(certificate.name).toMatch(/^kursusbevis-tidlig-opsporing-i-praksis-.*\.pdf$/);
  const text = (await pdfText(certificate.body)).replace(/\s+/g, " ");
  for (const expected of ["Sofie Nørgaard", courseTitle, "Demo Kommune", code, "0,25 timer"])
    expect(text).toContain(expected);

  // Anyone holding the code can check it, signed in or not.
  const stranger = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const check = await stranger.newPage();
  await check.goto(`/bevis/${code.toLowerCase().replaceAll("-", "")}`);
  await expect(check.getByRole("main")).toContainText("Sofie Nørgaard");
  await expect(check.getByRole("main")).toContainText(courseTitle);
  await expect(check.getByRole("main")).toContainText("Demo Kommune");
  await check.goto("/bevis/AAAA-BBBB-CCCC");
  await expect(check.getByRole("heading", { name: "Ukendt kode" })).toBeVisible();
  await stranger.close();

  await after.getByRole("link", { name: "Giv feedback" }).click();
  await learner.getByLabel("Faggruppe").selectOption({ label: "Pædagog" });
  await learner
    .getByRole("group", { name: /Hvor godt kan du bruge kurset i dit arbejde/ })
    .getByLabel("4")
    .check();
  await learner.getByRole("button", { name: "Send dine svar" }).click();
  await expect(learner.getByText("Tak for dine svar. De er gemt.")).toBeVisible();
  await learner.context().close();
});

test("a leader answers the leader form", async ({ browser }) => {
  const leader = await asUser(browser, "leder@demo-kommune.dk");
  await leader.getByRole("link", { name: courseTitle }).first().click();
  await leader.getByRole("link", { name: "Giv feedback som leder" }).click();
  await leader.getByLabel("Faggruppe").selectOption({ label: "Pædagog" });
  await leader
    .getByRole("group", { name: /Hvor godt passer kurset til jeres arbejde/ })
    .getByLabel("5")
    .check();
  await leader.getByRole("button", { name: "Send dine svar" }).click();
  await expect(leader.getByText("Tak for dine svar. De er gemt.")).toBeVisible();
  await leader.context().close();
});

test("the owner sees both responses in the dashboard, split by role, and exports them as CSV", async ({ browser }) => {
  const owner = await asUser(browser, "ejer@rettidig.dk");
  await owner.getByRole("link", { name: "Feedback" }).click();
  await owner.getByLabel("Kursus").selectOption({ label: courseTitle });
  await owner.getByRole("button", { name: "Vis" }).click();

  const staff = owner.getByRole("region", { name: `${courseTitle} – Medarbejdere` });
  const leaders = owner.getByRole("region", { name: `${courseTitle} – Ledere` });
  await expect(staff).toContainText("1 svar");
  await expect(staff).toContainText("Hvor godt kan du bruge kurset i dit arbejde?");
  await expect(leaders).toContainText("1 svar");
  await expect(leaders).toContainText("Hvor godt passer kurset til jeres arbejde med tidlig indsats?");
  await expect(staff).toContainText("Gennemsnit: 4,0");
  await expect(leaders).toContainText("Gennemsnit: 5,0");

  const csv = await download(owner, () => owner.getByRole("link", { name: "Hent svarene som CSV" }).click());
  const rows = parse(csv.body, { delimiter: ";", bom: true }) as string[][];
  const staffRow = rows.find((row) => row.includes("Sofie Nørgaard"));
  const leaderRow = rows.find((row) => row.includes("leder@demo-kommune.dk"));
  expect(staffRow?.slice(-2)).toEqual(["Hvor godt kan du bruge kurset i dit arbejde?", "4"]);
  expect(leaderRow?.slice(-2)).toEqual(["Hvor godt passer kurset til jeres arbejde med tidlig indsats?", "5"]);
  await owner.context().close();
});
