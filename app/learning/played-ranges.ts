/** A stretch of a film, in seconds from its start. */
export type Range = [start: number, end: number];

/**
 * timeupdate fires every ~250 ms, so the player's own ranges can leave hairline gaps that it may
 * close. The server never closes gaps: a gap filled there would be playing time nobody reported.
 */
export const PLAYER_JOIN_GAP_SECONDS = 0.25;

/** Slack for timeupdate arriving late relative to the wall clock. */
const JITTER_TOLERANCE_SECONDS = 0.5;

/** Longer than any gap between two timeupdates of real playback; a bigger step is a skip. */
const MAX_STEP_SECONDS = 3;

/**
 * Sorted, disjoint ranges. Ranges that cannot describe playback (non-finite,
 * empty or reversed) are dropped, because they come from untrusted clients.
 * Ranges at most `joinGap` apart are joined.
 */
export function mergeRanges(ranges: readonly Range[], joinGap = 0): Range[] {
  const valid: Range[] = [];
  for (const [rawStart, end] of ranges) {
    if (!Number.isFinite(rawStart) || !Number.isFinite(end)) continue;
    const start = Math.max(0, rawStart);
    if (end > start) valid.push([start, end]);
  }
  valid.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  const merged: Range[] = [];
  for (const [start, end] of valid) {
    const last = merged.at(-1);
    if (last && start - last[1] <= joinGap) {
      last[1] = Math.max(last[1], end);
    } else {
      merged.push([start, end]);
    }
  }
  return merged;
}

export function coveredSeconds(ranges: readonly Range[]): number {
  return mergeRanges(ranges).reduce((total, [start, end]) => total + (end - start), 0);
}

export function clipRanges(ranges: readonly Range[], maxEnd: number): Range[] {
  return mergeRanges(ranges.map(([start, end]): Range => [start, Math.min(end, maxEnd)]));
}

/** The parts of `a` that `b` does not cover. */
export function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const holes = mergeRanges(b);
  const result: Range[] = [];
  for (const [start, end] of mergeRanges(a)) {
    let cursor = start;
    for (const [holeStart, holeEnd] of holes) {
      if (holeEnd <= cursor) continue;
      if (holeStart >= end) break;
      if (holeStart > cursor) result.push([cursor, holeStart]);
      cursor = Math.max(cursor, holeEnd);
      if (cursor >= end) break;
    }
    if (cursor < end) result.push([cursor, end]);
  }
  return result;
}

export type Observation = {
  playing: boolean;
  playbackRate: number;
  /** performance.now() in milliseconds. */
  now: number;
};

/**
 * Turns a stream of media-element time observations into the ranges that were
 * actually watched. Only steps that real playback could have produced in the
 * wall-clock time that passed extend a range, so skipping ahead never counts.
 */
export class PlayedRangeTracker {
  private closed: Range[] = [];
  private open: Range | null = null;
  private last: { time: number; now: number } | null = null;

  get position(): number {
    return this.last?.time ?? 0;
  }

  observe(currentTime: number, { playing, playbackRate, now }: Observation): void {
    if (!Number.isFinite(currentTime) || currentTime < 0) return;

    const previous = this.last;
    this.last = { time: currentTime, now };
    if (!previous || !this.open) {
      this.startAt(currentTime);
      return;
    }

    const delta = currentTime - previous.time;
    if (delta === 0) return;

    const elapsedSeconds = Math.max(0, now - previous.now) / 1000;
    // A paused element still reports the few hundred milliseconds played just before the pause.
    const allowed = (playing ? elapsedSeconds * Math.max(0, playbackRate) : 0) + JITTER_TOLERANCE_SECONDS;
    if (delta > 0 && delta <= allowed && delta <= MAX_STEP_SECONDS) {
      this.open[1] = currentTime;
    } else {
      this.startAt(currentTime);
    }
  }

  seeking(): void {
    this.close();
  }

  ranges(): Range[] {
    return mergeRanges(this.open ? [...this.closed, this.open] : this.closed, PLAYER_JOIN_GAP_SECONDS);
  }

  private startAt(time: number) {
    this.close();
    this.open = [time, time];
  }

  private close() {
    // Merging as we go keeps a long session with many seeks small.
    if (this.open) this.closed = mergeRanges([...this.closed, this.open], PLAYER_JOIN_GAP_SECONDS);
    this.open = null;
  }
}

/** What the player tells the server: every range played since the view opened, and where it is now. */
export type ProgressReport = {
  viewId: string;
  ranges: Range[];
  positionSeconds: number;
  ended: boolean;
};
