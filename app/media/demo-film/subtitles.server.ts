import type { Cue } from "../webvtt.server";
import { wrapWords } from "./wrap-words";

const MAX_CUE_CHARS = 80;
const MAX_LINE_CHARS = 42;
const TITLE_CUE_SECONDS = 3;

function splitSentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .split(/(?<=[.!?…])\s+(?=\S)/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/**
 * Splits text into as few pieces of at most `maxChars` as greedy wrapping allows, then
 * evens out their lengths, so a long sentence does not end in a stub of two words.
 */
function balancedWrap(text: string, maxChars: number): string[] {
  const count = wrapWords(text, maxChars).length;
  if (count <= 1) return [text.split(/\s+/).filter(Boolean).join(" ")];
  for (let width = Math.ceil(text.length / count); width < maxChars; width++) {
    const lines = wrapWords(text, width);
    if (lines.length <= count) return lines;
  }
  return wrapWords(text, maxChars);
}

function chunkSentence(sentence: string): string[] {
  // Two lines of at most ~42 characters is what a viewer reads comfortably in one cue.
  return balancedWrap(sentence, MAX_CUE_CHARS).map((piece) =>
    piece.length > MAX_LINE_CHARS ? balancedWrap(piece, MAX_LINE_CHARS).join("\n") : piece,
  );
}

function roundMs(seconds: number) {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * Danish subtitles for a demo film: the title, then the description in short pieces. The
 * cues follow each other without gaps from 0 s to the end, so a subtitle is showing at
 * every moment of the film.
 */
export function demoSubtitleCues(title: string, description: string, durationSeconds: number): Cue[] {
  if (!(durationSeconds > 0)) return [];
  const pieces = splitSentences(description).flatMap(chunkSentence);
  const titleText = balancedWrap(title.replace(/\s+/g, " ").trim() || "Rettidig", MAX_LINE_CHARS).join("\n");
  if (pieces.length === 0) return [{ startSeconds: 0, endSeconds: roundMs(durationSeconds), text: titleText }];

  const titleEnd = Math.min(TITLE_CUE_SECONDS, durationSeconds / (pieces.length + 1));
  const cues: Cue[] = [{ startSeconds: 0, endSeconds: roundMs(titleEnd), text: titleText }];
  const each = (durationSeconds - titleEnd) / pieces.length;
  pieces.forEach((text, index) => {
    const start = cues[cues.length - 1]!.endSeconds;
    const end = index === pieces.length - 1 ? durationSeconds : titleEnd + each * (index + 1);
    cues.push({ startSeconds: start, endSeconds: roundMs(end), text });
  });
  return cues;
}
