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

/** The audio renditions of a version that has an audio-described soundtrack. */
export interface AudioGroup {
  /** Peak bits per second of the heavier of the two audio renditions, added to every variant. */
  bandwidth: number;
}

export const AUDIO_GROUP_ID = "aud";
export const MAIN_AUDIO_PLAYLIST = "audio-main/index.m3u8";
export const DESCRIBED_AUDIO_PLAYLIST = "audio-described/index.m3u8";
/** The name a player shows for the described track; hls.js hands it to the page as the track's name. */
export const DESCRIBED_AUDIO_NAME = "Synstolkning";
const DESCRIBES_VIDEO = "public.accessibility.describes-video";

export interface MasterPlaylistOptions {
  subtitles: boolean;
  audio?: AudioGroup | null;
}

/**
 * With an audio group, both soundtracks are renditions with a URI of their own, although the
 * video segments still carry the main sound: hls.js then plays only the group's audio and
 * switches between two URI renditions cleanly, where going back to audio muxed into the
 * video (a rendition without URI) is what its alternate-audio code handles worst.
 */
export function masterPlaylist(version: number, renditions: RenditionInfo[], options: MasterPlaylistOptions): string {
  const lines = ["#EXTM3U", `#EXT-X-VERSION:${version}`, "#EXT-X-INDEPENDENT-SEGMENTS"];
  if (options.subtitles) {
    lines.push(
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Dansk",LANGUAGE="da",DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,URI="subs/da.m3u8"',
    );
  }
  const audio = options.audio ?? null;
  if (audio) {
    lines.push(
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${AUDIO_GROUP_ID}",NAME="Dansk",LANGUAGE="da",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="${MAIN_AUDIO_PLAYLIST}"`,
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${AUDIO_GROUP_ID}",NAME="${DESCRIBED_AUDIO_NAME}",LANGUAGE="da",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",CHARACTERISTICS="${DESCRIBES_VIDEO}",URI="${DESCRIBED_AUDIO_PLAYLIST}"`,
    );
  }
  for (const r of renditions) {
    const attributes = [
      `BANDWIDTH=${r.bandwidth + (audio?.bandwidth ?? 0)}`,
      `AVERAGE-BANDWIDTH=${r.averageBandwidth + (audio?.bandwidth ?? 0)}`,
      `RESOLUTION=${r.width}x${r.height}`,
      `FRAME-RATE=${formatAttributeNumber(r.frameRate)}`,
      `CODECS="${r.codecs}"`,
    ];
    if (audio) attributes.push(`AUDIO="${AUDIO_GROUP_ID}"`);
    if (options.subtitles) attributes.push('SUBTITLES="subs"');
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

/** The playlist version and the length of a built ladder, as its renditions' playlists say. */
export async function readLadderTimeline(dir: string, renditions: RenditionInfo[]) {
  let playlistVersion = 3;
  let totalSeconds = 0;
  for (const rendition of renditions) {
    const playlist = parseMediaPlaylist(await fs.readFile(path.join(dir, rendition.name, "index.m3u8"), "utf8"));
    playlistVersion = Math.max(playlistVersion, playlist.version);
    totalSeconds = Math.max(
      totalSeconds,
      playlist.segments.reduce((sum, segment) => sum + segment.duration, 0),
    );
  }
  return { playlistVersion, totalSeconds };
}
