import { coveredSeconds, mergeRanges, type Range } from "~/learning/played-ranges";

/**
 * A participant's page says it is there every 15 seconds; the last word before the meeting ends
 * may be that old, and a phone may lose a beat on the meeting room's Wi-Fi.
 */
export const PRESENCE_GRACE_MS = 20_000;

/** One stored report of the presenter's playback: film seconds, and the wall-clock moment it arrived. */
export type PlaybackRow = { fromSecond: number; toSecond: number; at: Date };
export type Presence = { joinedAt: Date; lastSeenAt: Date };
/** When the meeting started: nothing was played before it, however fast the first report's seconds went. */
export type Meeting = { startedAt: Date };

/**
 * The film the presenter played while the participant was in the room. Each report
 * covers the stretch of wall-clock time since the report before it, or the start (at most as long as the
 * film seconds it holds, played at normal speed); within it the film is taken to have run
 * evenly, so someone who came in halfway through a report gets half of its seconds.
 */
export function filmRangesPresent(
  meeting: Meeting,
  playback: readonly PlaybackRow[],
  presence: Presence,
  graceMs = PRESENCE_GRACE_MS,
): Range[] {
  const rows = [...playback].sort((a, b) => a.at.getTime() - b.at.getTime());
  const presentFrom = presence.joinedAt.getTime();
  const presentTo = presence.lastSeenAt.getTime() + graceMs;
  const seen: Range[] = [];
  let previousReport = meeting.startedAt.getTime();
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    const end = row.at.getTime();
    const length = row.toSecond - row.fromSecond;
    const start = Math.max(previousReport, end - length * 1000);
    // Rows of the same report share its moment, and its stretch of wall-clock time.
    if (rows[index + 1]?.at.getTime() !== end) previousReport = end;
    if (length <= 0) continue;
    if (end <= start) {
      if (end >= presentFrom && end <= presentTo) seen.push([row.fromSecond, row.toSecond]);
      continue;
    }
    const from = Math.max(start, presentFrom);
    const to = Math.min(end, presentTo);
    if (to <= from) continue;
    const scale = length / (end - start);
    seen.push([row.fromSecond + (from - start) * scale, row.fromSecond + (to - start) * scale]);
  }
  return mergeRanges(seen);
}

export const filmSecondsPresent = (
  meeting: Meeting,
  playback: readonly PlaybackRow[],
  presence: Presence,
  graceMs = PRESENCE_GRACE_MS,
) => coveredSeconds(filmRangesPresent(meeting, playback, presence, graceMs));
