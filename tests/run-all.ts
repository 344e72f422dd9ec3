import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { projectRoot, tmpDir } from "./setup/paths";
import { ensureTestSystemPackages } from "./setup/system-deps";

/**
 * `npm test`: type-checking, lint, Vitest and Playwright in Debian's Chromium, then one line
 * `N passed, N failed` that totals every suite (type-checking, lint and the formatting check count as one test each).
 */
type Tally = { name: string; passed: number; failed: number };
const tallies: Tally[] = [];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  console.log(`\n▶ ${command} ${args.join(" ")}`);
  return spawnSync(command, args, { cwd: projectRoot, stdio: "inherit", env }).status ?? 1;
}

function check(name: string, command: string, args: string[]) {
  const status = run(command, args);
  tallies.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 });
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

fs.mkdirSync(tmpDir, { recursive: true });
ensureTestSystemPackages();

check("typecheck", "npx", ["tsc", "--noEmit"]);
check("lint", "npx", ["eslint", "--config", "tests/eslint.config.js", "--max-warnings", "0", "."]);
check("format", "npm", ["run", "--silent", "format:check"]);

const vitestReport = path.join(projectRoot, "tests/.vitest-report.json");
fs.rmSync(vitestReport, { force: true });
const vitestStatus = run("npx", [
  "vitest",
  "run",
  "--config",
  "tests/vitest.config.ts",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestReport}`,
]);
const vitest = readJson<{ numPassedTests: number; numFailedTests: number }>(vitestReport);
fs.rmSync(vitestReport, { force: true });
tallies.push({
  name: "vitest",
  passed: vitest?.numPassedTests ?? 0,
  failed: (vitest?.numFailedTests ?? 0) + (vitestStatus !== 0 && !vitest?.numFailedTests ? 1 : 0),
});

const playwrightReport = path.join(tmpDir, "playwright.json");
fs.rmSync(playwrightReport, { force: true });
const playwrightStatus = run("npx", ["playwright", "test", "--config", "tests/playwright.config.ts"]);
const playwright = readJson<{ stats: { expected: number; unexpected: number; flaky: number } }>(playwrightReport);
tallies.push({
  name: "playwright",
  passed: (playwright?.stats.expected ?? 0) + (playwright?.stats.flaky ?? 0),
  failed: (playwright?.stats.unexpected ?? 0) + (playwrightStatus !== 0 && !playwright?.stats.unexpected ? 1 : 0),
});

console.log("\nSuites:");
for (const tally of tallies) console.log(`  ${tally.name}: ${tally.passed} passed, ${tally.failed} failed`);
const passed = tallies.reduce((sum, t) => sum + t.passed, 0);
const failed = tallies.reduce((sum, t) => sum + t.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
