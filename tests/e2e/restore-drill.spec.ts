import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { integrityProblems } from "~/backup/snapshot.server";
import { demoEmails } from "~/cli/seed/accounts";
import { tmpDir } from "../setup/paths";
import { startPlatform } from "../utils/platform-process";
import { drillPersonNumber, runInProject, startWriter } from "../utils/restore-drill";
import { expectNoErrorPage, signIn } from "./helpers";

/**
 * The restore drill as an operator lives it (issue 15): the platform runs on a live database of
 * its own while the municipality's directory creates people through its SCIM API; `npm run
 * db:backup` takes a copy in the middle of that, `npm run db:restore` puts it in a fresh folder,
 * the built platform is started on the restored file, a person signs in through the form, and
 * every person whose creation the live platform had acknowledged before the backup began is found
 * through the restored platform's own API. The object store as target is drilled in Vitest
 * (tests/integration/backup-restore.test.ts).
 */

// Beside the ports the config's two servers use (E2E_PORT and the one after it), so checkouts with
// their own E2E_PORT never meet.
const firstPort = Number(process.env.E2E_PORT ?? 3100);
const restoredUrl = `http://localhost:${firstPort + 2}`;
const liveUrl = `http://localhost:${firstPort + 3}`;
const METRICS_TOKEN = "restore-drill-metrics-token-long-enough";
const DIRECTORY = "/scim/demo-kommune/v2";

/** What the platform needs to run on `database`, as tests/e2e/serve.ts starts it. */
function platformEnv(url: string, database: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "test",
    PORT: new URL(url).port,
    DATABASE_PATH: database,
    UPLOAD_DIR: path.join(path.dirname(database), "uploads"),
    SESSION_SECRET: "restore-drill-secret-long-enough-for-hmac",
    METRICS_TOKEN,
  };
}

/** The drill's people the platform at `url` holds, read a page at a time through its SCIM API. */
async function drillPeopleOn(url: string, token: string): Promise<number[]> {
  const numbers: number[] = [];
  for (let startIndex = 1; ;) {
    const response = await fetch(`${url}${DIRECTORY}/Users?startIndex=${startIndex}&count=100`, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/scim+json" },
    });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { totalResults: number; Resources: { userName: string }[] };
    for (const person of page.Resources) {
      const number = drillPersonNumber(person.userName);
      if (number !== null) numbers.push(number);
    }
    startIndex += page.Resources.length;
    if (page.Resources.length === 0 || startIndex > page.totalResults) return numbers;
  }
}

let drillDir: string | undefined;
/** Every process the drill started, stopped in afterAll in reverse order, whatever happened. */
const started: { stop(): Promise<unknown> }[] = [];

test.afterAll(async () => {
  for (const running of started.reverse()) await running.stop();
  if (drillDir) fs.rmSync(drillDir, { recursive: true, force: true });
});

test("restore drill: a backup taken while the platform writes, restored into a fresh folder and served, has every acknowledged write", async ({
  browser,
}) => {
  test.setTimeout(5 * 60_000);
  drillDir = fs.mkdtempSync(path.join(tmpDir, "restore-drill-"));
  const live = path.join(drillDir, "live", "rettidig.sqlite");
  const restored = path.join(drillDir, "restored", "rettidig.sqlite");
  const operator = { DATABASE_PATH: live, BACKUP_DIR: path.join(drillDir, "backups") };

  // A seeded live database of the drill's own, and the platform on it.
  const seeded = await runInProject(["npm", "run", "-s", "db:seed"], operator);
  expect(seeded.status, seeded.stderr).toBe(0);
  const livePlatform = await startPlatform(platformEnv(liveUrl, live), liveUrl);
  started.push(livePlatform);

  // Demo Kommune's admin makes the directory's token on the page, as for Entra ID.
  const adminOnLive = await browser.newContext({ baseURL: liveUrl });
  const admin = await adminOnLive.newPage();
  await signIn(admin, demoEmails.admin);
  await admin.goto("/administration/brugerkatalog");
  await admin.getByRole("button", { name: "Opret token" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Tokenet er oprettet." })).toBeVisible();
  const token = await admin.getByLabel("Nyt token").inputValue();
  await adminOnLive.close();

  // The directory creates people without pause; the backup is taken in the middle of it.
  const writer = startWriter("tests/e2e/restore-drill-writer.ts", {
    DRILL_SCIM_URL: `${liveUrl}${DIRECTORY}`,
    DRILL_SCIM_TOKEN: token,
  });
  started.push(writer);
  await writer.waitFor(50);
  const acknowledgedBefore = [...writer.acknowledged];
  const backup = await runInProject(["npm", "run", "-s", "db:backup"], operator);
  expect(backup.status, backup.stderr).toBe(0);
  expect(backup.stdout).toMatch(/Sikkerhedskopi rettidig-\S+\.sqlite \(\d+ bytes, integritetstjek: ok\)/);
  // The writes went on after the copy was made: the platform was never paused for it.
  await writer.waitFor(acknowledgedBefore.length + 20);
  expect(await writer.stop()).toBe(0);
  await livePlatform.stop();

  // Restored into a fresh folder by the operator's command, as README's "Sikkerhedskopier" says.
  const restore = await runInProject(["npm", "run", "-s", "db:restore", "--", "latest", "--to", restored], operator);
  expect(restore.status, restore.stderr).toBe(0);
  expect(restore.stdout).toContain(`til ${restored}`);
  expect(restore.stdout).toContain("integritetstjek: ok");
  expect(restore.stdout).toContain("Kopien har alle migreringer.");

  // The platform started on the restored file, answering as monitoring asks it.
  const restoredPlatform = await startPlatform(platformEnv(restoredUrl, restored), restoredUrl);
  started.push(restoredPlatform);
  const health = await fetch(`${restoredUrl}/healthz`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(health.status).toBe(200);
  const checks = ((await health.json()) as { checks: Record<string, unknown> }).checks;
  expect(checks.database).toEqual({ state: "ok", detail: { migrations: "current" } });

  // A demo account signs in through the form and finds itself.
  const context = await browser.newContext({ baseURL: restoredUrl });
  const page = await context.newPage();
  await signIn(page, demoEmails.admin);
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Mine data" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mine data" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Hanne Berg", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: demoEmails.admin, exact: true })).toBeVisible();
  await expectNoErrorPage(page);

  // Every write acknowledged before the backup began, through the restored platform: the
  // directory's token came back with the database, as Entra ID would find it after a restore.
  const restoredPeople = await drillPeopleOn(restoredUrl, token);
  const found = new Set(restoredPeople);
  expect(acknowledgedBefore.filter((number) => !found.has(number))).toEqual([]);
  expect(restoredPeople.length).toBe(found.size);
  // The admin's page counts the same people.
  await page.goto("/administration/brugerkatalog");
  await expect(page.getByText(`${found.size} aktive personer fra kataloget · 0 lukkede konti`)).toBeVisible();
  await context.close();

  // The file the platform now runs on is sound.
  expect(await integrityProblems(restored)).toEqual([]);
});
