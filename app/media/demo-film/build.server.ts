import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { modules } from "#db/schema";
import type { Db } from "~/db.server";
import { pruneSupersededVersions } from "../superseded-versions.server";
import { MediaError, ensureFfmpeg } from "../ffmpeg.server";
import { buildLadder } from "../hls-ladder.server";
import { readCompleteManifest } from "../ladder-folder.server";
import { isSafeSlug, moduleMediaDir } from "../library.server";
import { storeVersion, storedVersion } from "../version-store.server";
import { buildWebVtt } from "../webvtt.server";
import { syntheticPlan } from "./plan.server";
import { makeSyntheticDescription } from "./synthetic-description.server";
import { makeSyntheticFilm } from "./synthetic-film.server";

function seconds(ms: number): string {
  return `${(ms / 1000).toLocaleString("da-DK", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
}

export interface BuildSyntheticOptions {
  log?: (line: string) => void;
  /** Remove version folders no token can reach any more (pruneSupersededVersions). */
  prune?: boolean;
}

export interface BuildSyntheticSummary {
  built: number;
  upToDate: number;
  elapsedMs: number;
}

/**
 * Makes sure every module with a synthetic film has a complete ladder matching its current
 * title and description, and that the module row points at it. Films already built are
 * skipped, so running this at every start costs almost nothing.
 */
export async function buildSyntheticMediaForAllModules(
  db: Db,
  { log = console.log, prune = true }: BuildSyntheticOptions = {},
): Promise<BuildSyntheticSummary> {
  const started = Date.now();
  const rows = db
    .select({
      id: modules.id,
      slug: modules.slug,
      title: modules.title,
      description: modules.description,
      durationSeconds: modules.durationSeconds,
      mediaVersion: modules.mediaVersion,
    })
    .from(modules)
    .where(eq(modules.mediaSource, "synthetic"))
    .orderBy(modules.courseId, modules.position)
    .all();

  if (rows.length === 0) {
    log("Ingen moduler med syntetisk film i databasen – intet at bygge (kør evt. db:seed først).");
    return { built: 0, upToDate: 0, elapsedMs: Date.now() - started };
  }

  let built = 0;
  let upToDate = 0;
  for (const row of rows) {
    if (!isSafeSlug(row.slug))
      throw new MediaError(`Modulet "${row.slug}" har et slug, der ikke kan bruges som mappenavn.`);
    const filmStarted = Date.now();
    const { durationSeconds, cues, version, caption } = syntheticPlan(row);
    const outDir = moduleMediaDir(row.slug, version);

    if (storedVersion(row.slug, version, db) || (await readCompleteManifest(outDir))) {
      upToDate++;
      log(`  · ${row.slug}: er allerede bygget (${version})`);
    } else {
      await ensureFfmpeg();
      const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "rettidig-synthetic-"));
      try {
        const film = path.join(workDir, `${row.slug}.mp4`);
        await makeSyntheticFilm({ title: row.title, caption, durationSeconds, outFile: film });
        // Through the same audio renditions as an owner's upload, so the demo films have "Synstolkning" too.
        const described = path.join(workDir, `${row.slug}-synstolkning.m4a`);
        await makeSyntheticDescription({ film, durationSeconds, outFile: described });
        await buildLadder({ input: film, outDir, subtitlesVtt: buildWebVtt(cues), describedAudioFile: described });
      } finally {
        await fs.rm(workDir, { recursive: true, force: true });
      }
      built++;
      log(`  ✓ ${row.slug}: bygget på ${seconds(Date.now() - filmStarted)} (${durationSeconds} s film, ${version})`);
    }

    // The row moves only after the ladder is whole in the media store, so a player never points at a half-built version.
    const { durationSeconds: finalDuration } = await storeVersion(db, row.slug, version);
    if (row.mediaVersion !== version || row.durationSeconds !== finalDuration) {
      db.update(modules)
        .set({ mediaVersion: version, durationSeconds: finalDuration })
        .where(eq(modules.id, row.id))
        .run();
    }
  }

  if (prune) await pruneSupersededVersions(db, { log });
  const elapsedMs = Date.now() - started;
  log(`${rows.length} film: ${built} bygget, ${upToDate} var allerede bygget (${seconds(elapsedMs)} i alt).`);
  return { built, upToDate, elapsedMs };
}
