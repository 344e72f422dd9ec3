import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PORT = Number(process.env.E2E_PORT ?? 3100);
// The bad-input walk gets a server and database of its own, so its destructive requests never touch the browser tests' data.
const BAD_INPUT_PORT = Number(process.env.E2E_BAD_INPUT_PORT ?? PORT + 1);
const BAD_INPUT_SPEC = /bad-input\.spec\.ts$/;
const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--autoplay-policy=no-user-gesture-required",
    ],
  },
};

/** A server of tests/e2e/serve.ts on its own port, with a database of its own. */
function server(port: number, env: Record<string, string> = {}) {
  return {
    command: `npx tsx tests/e2e/serve.ts`,
    cwd: root,
    url: `http://localhost:${port}/healthz`,
    timeout: 15 * 60_000,
    reuseExistingServer: !process.env.CI,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
    env: { PORT: String(port), ...env },
  };
}

export default defineConfig({
  testDir: path.join(root, "tests/e2e"),
  outputDir: path.join(root, "tests/results"),
  // One worker: the machine has two cores, and video decoding is what the tests measure.
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: path.join(root, "tests/.tmp/playwright.json") }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: "da-DK",
    timezoneId: "Europe/Copenhagen",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      testIgnore: BAD_INPUT_SPEC,
      use: chromium,
    },
    {
      // Requests, not clicks: the browser only parses the pages' forms. It sets its own time budget.
      name: "bad-input",
      testMatch: BAD_INPUT_SPEC,
      retries: 0,
      // No trace or screenshot: they would hold the pages parsed, not anything a person saw.
      use: { ...chromium, baseURL: `http://localhost:${BAD_INPUT_PORT}`, trace: "off", screenshot: "off" },
    },
  ],
  // Playwright starts them one after the other, so their builds of build/ never overlap.
  webServer: [
    server(PORT),
    // With a webhook secret the webhook gets as far as checking Stripe's signature.
    server(BAD_INPUT_PORT, { STRIPE_WEBHOOK_SECRET: "whsec_bad_input_test_secret" }),
  ],
});
