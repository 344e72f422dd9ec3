import { createHash } from "node:crypto";
import { shortHash } from "../library.server";
import { PIPELINE_VERSION } from "../hls-ladder.server";
import type { Cue } from "../webvtt.server";
import { demoSubtitleCues } from "./subtitles.server";

const SYNTHETIC_CAPTION = "Demofilm – den rigtige film lægges op af kursusejeren";

export interface SyntheticVersionInput {
  title: string;
  caption?: string;
  durationSeconds: number;
  cues: readonly Cue[];
}

/** Changes whenever anything visible in the synthetic film or its subtitles would change. */
export function syntheticVersion(input: SyntheticVersionInput): string {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify([
      PIPELINE_VERSION,
      "synthetic",
      // Demo films carry a synthetic described soundtrack since issue 14; older folders lack it.
      "described",
      input.title,
      input.caption ?? null,
      input.durationSeconds,
      input.cues.map((cue) => [cue.startSeconds, cue.endSeconds, cue.text]),
    ]),
  );
  return shortHash(hash);
}

/** Deterministic 24..48 s, so every demo film differs a little but stays short. */
export function syntheticDurationSeconds(slug: string): number {
  const digest = createHash("sha256").update(slug).digest();
  return 24 + (digest.readUInt32BE(0) % 25);
}

/** What the demo film of a module looks like now; its version names the folder it is built into. */
export function syntheticPlan(module: { slug: string; title: string; description: string }) {
  const durationSeconds = syntheticDurationSeconds(module.slug);
  const cues = demoSubtitleCues(module.title, module.description, durationSeconds);
  const version = syntheticVersion({ title: module.title, caption: SYNTHETIC_CAPTION, durationSeconds, cues });
  return { durationSeconds, cues, version, caption: SYNTHETIC_CAPTION };
}
