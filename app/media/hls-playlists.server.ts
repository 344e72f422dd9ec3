import fs from "node:fs/promises";
import path from "node:path";
import type { RenditionInfo } from "./ladder-folder.server";
import { withTimestampMap } from "./webvtt.server";

interface PlaylistSegment {
  uri: string;
  duration: number;
}

export function parseMediaPlaylist(text: string): { version: number; segments: PlaylistSegment[] } {
  const segments: PlaylistSegment[] = [];
  let version = 3;
  let pending: number | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("#EXT-X-VERSION:")) version = Number(line.slice("#EXT-X-VERSION:".length)) || version;
    else if (line.startsWith("#EXTINF:")) pending = Number.parseFloat(line.slice("#EXTINF:".length));
    else if (!line.startsWith("#") && pending !== null) {
      segments.push({ uri: line, duration: pending });
      pending = null;
    }
  }
  return { version, segments };
}

// Segments shorter than this (typically the last one) are counted with their neighbour:
// measured alone, a fraction of a second of TS overhead would look like a huge peak.
const MIN_PEAK_WINDOW_SECONDS = 1;

export function measureBandwidth(segments: { bytes: number; duration: number }[]) {
  const windows: { bytes: number; duration: number }[] = [];
  for (const segment of segments) {
    const last = windows.at(-1);
    if (last && segment.duration < MIN_PEAK_WINDOW_SECONDS) {
      last.bytes += segment.bytes;
      last.duration += segment.duration;
    } else {
      windows.push({ ...segment });
    }
  }
  const totalBytes = segments.reduce((sum, s) => sum + s.bytes, 0);
  const totalDuration = segments.reduce((sum, s) => sum + s.duration, 0);
  const peak = Math.max(0, ...windows.filter((w) => w.duration > 0).map((w) => (w.bytes * 8) / w.duration));
  const average = totalDuration > 0 ? (totalBytes * 8) / totalDuration : 0;
  return { peak: Math.ceil(peak), average: Math.ceil(average), totalDuration };
}

function formatAttributeNumber(value: number): string {
  return value.toFixed(3);
}

export function masterPlaylist(version: number, renditions: RenditionInfo[], hasSubtitles: boolean): string {
  const lines = ["#EXTM3U", `#EXT-X-VERSION:${version}`, "#EXT-X-INDEPENDENT-SEGMENTS"];
  if (hasSubtitles) {
    lines.push(
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Dansk",LANGUAGE="da",DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,URI="subs/da.m3u8"',
    );
  }
  for (const r of renditions) {
    const attributes = [
      `BANDWIDTH=${r.bandwidth}`,
      `AVERAGE-BANDWIDTH=${r.averageBandwidth}`,
      `RESOLUTION=${r.width}x${r.height}`,
      `FRAME-RATE=${formatAttributeNumber(r.frameRate)}`,
      `CODECS="${r.codecs}"`,
    ];
    if (hasSubtitles) attributes.push('SUBTITLES="subs"');
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(",")}`, `${r.name}/index.m3u8`);
  }
  return `${lines.join("\n")}\n`;
}

function subtitlePlaylist(totalSeconds: number): string {
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(totalSeconds))}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    `#EXTINF:${totalSeconds.toFixed(3)},`,
    "da.vtt",
    "#EXT-X-ENDLIST",
    "",
  ].join("\n");
}

export async function writeSubtitleFiles(dir: string, vtt: string, firstPts: number, totalSeconds: number) {
  await fs.mkdir(path.join(dir, "subs"));
  await fs.writeFile(path.join(dir, "subs", "da.vtt"), withTimestampMap(vtt, firstPts), "utf8");
  await fs.writeFile(path.join(dir, "subs", "da.m3u8"), subtitlePlaylist(totalSeconds), "utf8");
}
