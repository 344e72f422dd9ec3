import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { projectRoot } from "../setup/paths";

/**
 * drizzle-kit compares the schema with the newest snapshot in its migrations folder and writes a
 * migration for whatever differs. Run against a copy of db/migrations (the real folder is never
 * touched), any file it writes is a schema change that was committed without its migration.
 */
function generateAgainstCopyOfMigrations() {
  const workDir = fs.mkdtempSync(path.join(inject("runDir"), "schema-migrations-"));
  const out = path.join(workDir, "migrations");
  fs.cpSync(path.join(projectRoot, "db/migrations"), out, { recursive: true });
  const committed = new Set(fs.readdirSync(out));

  // The project's own config, so the test follows any change to it; only the output folder
  // differs, and drizzle-kit reads that one relative to the working directory.
  const config = path.join(workDir, "drizzle.config.ts");
  fs.writeFileSync(
    config,
    `import config from ${JSON.stringify(path.join(projectRoot, "db/drizzle.config.ts"))};\n` +
      `export default { ...config, out: ${JSON.stringify(path.relative(projectRoot, out))} };\n`,
  );
  const result = spawnSync(path.join(projectRoot, "node_modules/.bin/drizzle-kit"), ["generate", "--config", config], {
    cwd: projectRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 90_000,
  });
  const newMigrations = fs
    .readdirSync(out)
    .filter((file) => file.endsWith(".sql") && !committed.has(file))
    .map((file) => `-- ${file}\n${fs.readFileSync(path.join(out, file), "utf8")}`);
  return { result, output: `${result.stdout}\n${result.stderr}`, newMigrations };
}

describe("the committed migrations", () => {
  it("cover the schema: drizzle-kit generate finds nothing to migrate", { timeout: 120_000 }, () => {
    const { result, output, newMigrations } = generateAgainstCopyOfMigrations();

    expect(result.status, `drizzle-kit generate did not run to the end:\n${result.error ?? ""}\n${output}`).toBe(0);
    expect(
      newMigrations,
      "db/schema/ differs from db/migrations: run `npm run db:generate` and commit the migration. " +
        `It would contain:\n\n${newMigrations.join("\n")}`,
    ).toEqual([]);
    // drizzle-kit also exits with 0 when it gives up, e.g. when it would have to ask whether a
    // column was renamed and there is no terminal to ask in; only its own verdict says it compared.
    expect(output, `drizzle-kit did not finish the comparison; run \`npm run db:generate\`:\n${output}`).toContain(
      "No schema changes, nothing to migrate",
    );
  });
});
