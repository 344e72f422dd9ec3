import { MediaError } from "./ffmpeg.server";

export interface Cue {
  startSeconds: number;
  endSeconds: number;
  text: string;
}

function vttTimestamp(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}.${String(rest).padStart(3, "0")}`;
}

function escapeCueText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .map((line) => line.trim())
      // An empty line would end the cue early.
      .filter(Boolean)
      .join("\n")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
  );
}

/** A WebVTT file without a timestamp map; buildLadder adds the one that fits the encoded segments. */
export function buildWebVtt(cues: readonly Cue[]): string {
  const blocks = ["WEBVTT"];
  cues.forEach((cue, index) => {
    if (
      !Number.isFinite(cue.startSeconds) ||
      !Number.isFinite(cue.endSeconds) ||
      cue.startSeconds < 0 ||
      cue.endSeconds <= cue.startSeconds
    ) {
      throw new Error(`Ugyldig undertekst nr. ${index + 1}: ${cue.startSeconds}–${cue.endSeconds}`);
    }
    const text = escapeCueText(cue.text);
    if (!text) return;
    blocks.push(`${index + 1}\n${vttTimestamp(cue.startSeconds)} --> ${vttTimestamp(cue.endSeconds)}\n${text}`);
  });
  return `${blocks.join("\n\n")}\n`;
}

export function isWebVtt(text: string): boolean {
  return /^\uFEFF?WEBVTT(?:[ \t][^\n]*)?(?:\r?\n|$)/.test(text);
}

/**
 * Sets X-TIMESTAMP-MAP in the header block: players place cues on the MPEG-TS timeline
 * through it, and without it hls.js assumes a different origin than ffmpeg's segments use.
 */
export function withTimestampMap(vtt: string, mpegts: number): string {
  if (!isWebVtt(vtt)) throw new MediaError("Underteksterne er ikke en WebVTT-fil (første linje skal være WEBVTT).");
  const lines = vtt
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");
  const headerEnd = lines.indexOf("");
  const header = headerEnd === -1 ? lines : lines.slice(0, headerEnd);
  const rest = headerEnd === -1 ? [] : lines.slice(headerEnd);
  const [firstLine = "WEBVTT", ...headerLines] = header;
  const map = `X-TIMESTAMP-MAP=MPEGTS:${Math.round(mpegts)},LOCAL:00:00:00.000`;
  const kept = headerLines.filter((line) => !line.startsWith("X-TIMESTAMP-MAP="));
  const text = [firstLine, map, ...kept, ...rest].join("\n");
  return text.endsWith("\n") ? text : `${text}\n`;
}
