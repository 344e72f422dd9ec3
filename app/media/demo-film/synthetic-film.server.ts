import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureFfmpeg, run } from "../ffmpeg.server";
import { escapeFilterValue } from "../filters.server";
import { AUDIO_KBPS, AUDIO_RATE } from "../hls-ladder.server";
import { ensureFonts } from "./fonts.server";
import { wrapWords } from "./wrap-words";

function limitLines(lines: string[], max: number): string[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  kept[max - 1] = `${kept[max - 1]!.replace(/\s*\S*$/, "")} …`;
  return kept;
}

export interface SyntheticFilmOptions {
  title: string;
  caption?: string;
  durationSeconds: number;
  outFile: string;
}

/**
 * A stand-in film: a title card with a running timecode and a tone, so the player, progress
 * tracking and subtitles can be exercised without real footage.
 */
export async function makeSyntheticFilm({
  title,
  caption,
  durationSeconds,
  outFile,
}: SyntheticFilmOptions): Promise<void> {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) throw new Error("durationSeconds skal være positiv");
  const { ffmpeg } = await ensureFfmpeg();
  const fonts = ensureFonts();
  const textDir = await fs.mkdtemp(path.join(os.tmpdir(), "rettidig-film-"));
  const target = path.resolve(outFile);
  const partial = `${target}.partial-${randomBytes(4).toString("hex")}.mp4`;
  try {
    // Text goes through files so Danish letters, colons and quotes need no drawtext escaping.
    const writeText = async (name: string, text: string) => {
      const file = path.join(textDir, name);
      await fs.writeFile(file, text, "utf8");
      return escapeFilterValue(file);
    };

    const filters: string[] = [];
    const titleLines = limitLines(wrapWords(title, 32), 3);
    const captionLines = caption ? limitLines(wrapWords(caption, 60), 2) : [];
    const titleSize = 60;
    const titleLineHeight = 78;
    const captionSize = 30;
    const captionLineHeight = 42;
    const blockHeight =
      titleLines.length * titleLineHeight + (captionLines.length ? 36 + captionLines.length * captionLineHeight : 0);
    let y = Math.round((720 - blockHeight) / 2) - 30;

    for (const [index, line] of titleLines.entries()) {
      const file = await writeText(`title-${index}.txt`, line);
      filters.push(
        `drawtext=fontfile=${escapeFilterValue(fonts.bold)}:textfile=${file}:expansion=none:fontsize=${titleSize}:fontcolor=white:x=(w-text_w)/2:y=${y}`,
      );
      y += titleLineHeight;
    }
    y += 36;
    for (const [index, line] of captionLines.entries()) {
      const file = await writeText(`caption-${index}.txt`, line);
      filters.push(
        `drawtext=fontfile=${escapeFilterValue(fonts.regular)}:textfile=${file}:expansion=none:fontsize=${captionSize}:fontcolor=0xcfe0f0:x=(w-text_w)/2:y=${y}`,
      );
      y += captionLineHeight;
    }
    const brand = await writeText("brand.txt", "Rettidig · demofilm");
    filters.push(
      `drawtext=fontfile=${escapeFilterValue(fonts.regular)}:textfile=${brand}:expansion=none:fontsize=26:fontcolor=0xcfe0f0:x=48:y=40`,
    );
    // Top right, because the player draws subtitles over the bottom of the picture.
    const timecode = await writeText("timecode.txt", "%{pts:hms}");
    filters.push(
      `drawtext=fontfile=${escapeFilterValue(fonts.mono)}:textfile=${timecode}:fontsize=30:fontcolor=white:box=1:boxcolor=black@0.45:boxborderw=12:x=w-text_w-48:y=40`,
    );

    const seconds = durationSeconds.toFixed(3);
    await run(ffmpeg, [
      "-hide_banner",
      "-nostdin",
      "-y",
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      `color=c=0x16324f:s=1280x720:r=25:d=${seconds}`,
      "-f",
      "lavfi",
      "-i",
      // beep_factor adds a short higher beep each second, which makes audio sync audible.
      `sine=frequency=440:beep_factor=2:sample_rate=${AUDIO_RATE}:duration=${seconds}`,
      "-vf",
      filters.join(","),
      "-af",
      "volume=0.5",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-tune",
      "stillimage",
      "-crf",
      "20",
      "-pix_fmt",
      "yuv420p",
      "-c:a",
      "aac",
      "-b:a",
      `${AUDIO_KBPS}k`,
      "-ac",
      "2",
      "-t",
      seconds,
      "-movflags",
      "+faststart",
      "-f",
      "mp4",
      partial,
    ]);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(partial, target);
  } finally {
    await fs.rm(textDir, { recursive: true, force: true });
    await fs.rm(partial, { force: true });
  }
}
