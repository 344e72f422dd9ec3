import type { Range } from "./played-ranges";

/** A stretch of whole seconds of a film: `first` up to, not including, `end`. */
export type SecondSpan = [first: number, end: number];

/**
 * A viewer who stops in the film's last second has watched it to the end: the stored duration is
 * whole seconds, and the player's last report can fall a fraction short of the final frame.
 */
export const FORGIVEN_END_SECONDS = 1;

/** Each whole second of the film, counted over the viewings of one group. */
export type RetentionCounts = {
  durationSeconds: number;
  /** Viewings that covered at least one second. */
  viewings: number;
  /** How many viewings covered second s (the interval [s, s + 1)). */
  watching: number[];
  /** How many viewings stopped for good at second s, before the film's end. */
  dropOffs: number[];
  /** How many viewings left at second s and went on watching from a later point. */
  seekAways: number[];
};

/**
 * The whole seconds a viewing covers: second s counts when its middle, s + 0.5, was played, so
 * disjoint ranges never both claim a second and a range shorter than half a second between two
 * others cannot count twice. Adjacent seconds form one span; spans outside the film are cut off.
 */
export function coveredSecondSpans(ranges: readonly Range[], durationSeconds: number): SecondSpan[] {
  const spans: SecondSpan[] = [];
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  for (const [start, end] of sorted) {
    const first = Math.max(0, Math.ceil(start - 0.5));
    const stop = Math.min(durationSeconds, Math.ceil(end - 0.5));
    if (stop <= first) continue;
    const last = spans.at(-1);
    if (last && first <= last[1]) last[1] = Math.max(last[1], stop);
    else spans.push([first, stop]);
  }
  return spans;
}

/**
 * The retention counts of a film from its viewings (each one person's played ranges in one round),
 * by a sweep: every span adds one at its first second and takes one away after its last, and one
 * running sum over the film gives how many were watching, so the work grows with the number of
 * ranges and the film's length, never with viewers times seconds. A viewing with no whole second
 * covered (a glimpse under half a second) is not a viewing.
 */
export function retentionCounts(viewings: Iterable<readonly Range[]>, durationSeconds: number): RetentionCounts {
  const length = Math.max(0, Math.floor(durationSeconds));
  const change = new Array<number>(length + 1).fill(0);
  const dropOffs = new Array<number>(length).fill(0);
  const seekAways = new Array<number>(length).fill(0);
  let counted = 0;
  for (const ranges of viewings) {
    const spans = coveredSecondSpans(ranges, length);
    if (spans.length === 0) continue;
    counted += 1;
    spans.forEach(([first, end], index) => {
      change[first]! += 1;
      change[end]! -= 1;
      if (index < spans.length - 1) seekAways[end]! += 1;
      else if (end < length - FORGIVEN_END_SECONDS) dropOffs[end]! += 1;
    });
  }
  const watching = new Array<number>(length);
  let running = 0;
  for (let second = 0; second < length; second += 1) {
    running += change[second]!;
    watching[second] = running;
  }
  return { durationSeconds: length, viewings: counted, watching, dropOffs, seekAways };
}

/** The share of viewings still watching at each tenth of the film, its start and last second included. */
export function tenthsOfFilm(counts: RetentionCounts): Array<{ second: number; share: number }> {
  const { durationSeconds, viewings, watching } = counts;
  if (durationSeconds === 0 || viewings === 0) return [];
  return Array.from({ length: 11 }, (_, tenth) => {
    const second = Math.min(durationSeconds - 1, Math.round((durationSeconds * tenth) / 10));
    return { second, share: watching[second]! / viewings };
  });
}

export type RetentionBucket = { start: number; end: number; dropOffs: number; seekAways: number };

/** At most this many bars for drop-offs and seek-aways, so each stays wide enough to see at 360 px. */
export const MAX_BUCKETS = 40;

/** Drop-offs and seek-aways gathered into equal stretches of whole seconds (the last may be shorter). */
export function retentionBuckets(counts: RetentionCounts, maxBuckets = MAX_BUCKETS): RetentionBucket[] {
  const { durationSeconds, dropOffs, seekAways } = counts;
  const size = Math.max(1, Math.ceil(durationSeconds / maxBuckets));
  const buckets: RetentionBucket[] = [];
  for (let start = 0; start < durationSeconds; start += size) {
    const end = Math.min(durationSeconds, start + size);
    let dropped = 0;
    let sought = 0;
    for (let second = start; second < end; second += 1) {
      dropped += dropOffs[second]!;
      sought += seekAways[second]!;
    }
    buckets.push({ start, end, dropOffs: dropped, seekAways: sought });
  }
  return buckets;
}

/** The stretches where most viewings stopped for good, most first (earliest first on a tie); none without drop-offs. */
export function biggestDropOffs(buckets: readonly RetentionBucket[], count = 3): RetentionBucket[] {
  return buckets
    .filter((bucket) => bucket.dropOffs > 0)
    .sort((a, b) => b.dropOffs - a.dropOffs || a.start - b.start)
    .slice(0, count);
}
