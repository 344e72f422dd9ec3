import fs from "node:fs/promises";
import path from "node:path";
import type { AudioGroup } from "./hls-playlists.server";

// A ladder lives in a version folder of its own, which counts as whole once complete.json is in it.

export interface RenditionInfo {
  name: string;
  width: number;
  height: number;
  frameRate: number;
  bandwidth: number;
  averageBandwidth: number;
  codecs: string;
}

export interface CompleteManifest {
  durationSeconds: number;
  renditions: RenditionInfo[];
  subtitles: boolean;
  /** Set when the version has the main and the audio-described soundtrack as audio renditions. */
  describedAudio?: AudioGroup | null;
  /** MPEG-TS PTS of the first video frame, which subtitle cue time 0 is mapped to. */
  firstVideoPts: number;
  createdAt: string;
  pipelineVersion: string;
}

export const COMPLETE_FILE = "complete.json";
/** Written into a version folder the first time a clean-up finds its module on another version; never part of the film. */
export const SUPERSEDED_MARK = "superseded.json";

export async function readCompleteManifest(dir: string): Promise<CompleteManifest | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(dir, COMPLETE_FILE), "utf8")) as Partial<CompleteManifest>;
    if (typeof parsed.durationSeconds !== "number" || !Array.isArray(parsed.renditions)) return null;
    return parsed as CompleteManifest;
  } catch {
    return null;
  }
}

export async function writeCompleteManifest(dir: string, manifest: CompleteManifest) {
  await fs.writeFile(path.join(dir, COMPLETE_FILE), `${JSON.stringify(manifest, null, 2)}\n`, "utf8");
}

/** Renames a finished work folder into place as the version folder. */
export async function publish(partialDir: string, outDir: string) {
  try {
    await fs.rename(partialDir, outDir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
  }
  // Another build of the same version may have finished first; its result is as good as ours.
  if (await readCompleteManifest(outDir)) return;
  // Only builds publish, and they publish whole folders, so anything else here is debris.
  await fs.rm(outDir, { recursive: true, force: true });
  await fs.rename(partialDir, outDir);
}

// A hard link costs no space; a copy is the fallback where the file system refuses links.
async function linkOrCopy(from: string, to: string) {
  try {
    await fs.link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP") throw error;
    await fs.copyFile(from, to);
  }
}

/**
 * Shares a complete version's files with a new work folder, so a version that only adds or
 * replaces a part (subtitles, a soundtrack) encodes nothing again. The master playlist and
 * complete.json are never shared: the new version writes its own; `replaced` names the
 * top-level entries it writes itself.
 */
export async function linkVersionFiles(sourceDir: string, workDir: string, replaced: readonly string[]) {
  const skipped = new Set(["master.m3u8", COMPLETE_FILE, ...replaced]);
  const walk = async (from: string, to: string, top: boolean) => {
    for (const entry of await fs.readdir(from, { withFileTypes: true })) {
      if (top && skipped.has(entry.name)) continue;
      if (entry.isDirectory()) {
        await fs.mkdir(path.join(to, entry.name));
        await walk(path.join(from, entry.name), path.join(to, entry.name), false);
      } else if (entry.isFile()) {
        await linkOrCopy(path.join(from, entry.name), path.join(to, entry.name));
      }
    }
  };
  await walk(sourceDir, workDir, true);
}
