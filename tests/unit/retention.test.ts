import { describe, expect, it } from "vitest";
import type { Range } from "../../app/learning/played-ranges";
import {
  biggestDropOffs,
  coveredSecondSpans,
  retentionBuckets,
  retentionCounts,
  tenthsOfFilm,
} from "../../app/learning/retention";
import { seededRandom } from "../bench/random";
import { bruteForceRetention } from "../utils/retention";

describe("coveredSecondSpans", () => {
  it("counts a second when its middle was played, and joins adjacent seconds", () => {
    expect(
      coveredSecondSpans(
        [
          [0, 3.6],
          [3.7, 7.5],
        ],
        60,
      ),
    ).toEqual([[0, 7]]);
    // A gap over the middle of second 3 splits the viewing there.
    expect(
      coveredSecondSpans(
        [
          [0, 3.4],
          [3.6, 7.5],
        ],
        60,
      ),
    ).toEqual([
      [0, 3],
      [4, 7],
    ]);
    expect(coveredSecondSpans([[0.6, 2.5]], 60)).toEqual([[1, 2]]);
  });

  it("leaves out glimpses under a second's middle and cuts ranges off at the film's end", () => {
    expect(coveredSecondSpans([[10.1, 10.4]], 60)).toEqual([]);
    expect(coveredSecondSpans([[55, 80]], 60)).toEqual([[55, 60]]);
  });
});

describe("retentionCounts", () => {
  it("counts who watched each second, where they stopped and where they skipped ahead", () => {
    const counts = retentionCounts(
      [
        [[0, 10]],
        [
          [0, 4],
          [7, 10],
        ],
        [[0, 2]],
        [[3, 9.6]],
      ],
      10,
    );
    expect(counts.viewings).toBe(4);
    expect(counts.watching).toEqual([3, 3, 2, 3, 2, 2, 2, 3, 3, 3]);
    // The first viewing reached the end; stopping inside the last second counts as the end too.
    expect(counts.dropOffs).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(counts.seekAways).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it("leaves out a viewing that covered no whole second", () => {
    const counts = retentionCounts([[[4.1, 4.3]], [[0, 5]]], 5);
    expect(counts.viewings).toBe(1);
    expect(counts.watching).toEqual([1, 1, 1, 1, 1]);
  });

  it("matches the second-by-second count for many random viewings", () => {
    const random = seededRandom(13);
    for (let round = 0; round < 20; round += 1) {
      const duration = random.int(1, 300);
      const viewings: Range[][] = Array.from({ length: random.int(0, 40) }, () => {
        const ranges: Range[] = [];
        let cursor = random.between(-1, duration / 3);
        while (cursor < duration + 5 && random.chance(0.8)) {
          const end = cursor + random.between(0.1, duration / 2);
          ranges.push([cursor, end]);
          cursor = end + random.between(0.05, duration / 4);
        }
        return ranges;
      });
      expect(retentionCounts(viewings, duration)).toEqual(bruteForceRetention(viewings, duration));
    }
  });
});

describe("the figures written out", () => {
  const counts = retentionCounts(
    [
      [[0, 100]],
      [[0, 100]],
      [[0, 35]],
      [[0, 35]],
      [[0, 12]],
      [
        [0, 50],
        [80, 100],
      ],
    ],
    100,
  );

  it("give the share still watching at every tenth of the film", () => {
    const tenths = tenthsOfFilm(counts);
    expect(tenths.map((tenth) => tenth.second)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99]);
    expect(tenths.map((tenth) => tenth.share)).toEqual([
      1,
      1,
      5 / 6,
      5 / 6,
      3 / 6,
      2 / 6,
      2 / 6,
      2 / 6,
      3 / 6,
      3 / 6,
      3 / 6,
    ]);
  });

  it("gather drop-offs and seek-aways into stretches and name the biggest drop-offs first", () => {
    const buckets = retentionBuckets(counts, 10);
    expect(buckets).toHaveLength(10);
    expect(buckets[1]).toEqual({ start: 10, end: 20, dropOffs: 1, seekAways: 0 });
    expect(buckets[3]).toEqual({ start: 30, end: 40, dropOffs: 2, seekAways: 0 });
    expect(buckets[5]).toEqual({ start: 50, end: 60, dropOffs: 0, seekAways: 1 });
    expect(biggestDropOffs(buckets).map((bucket) => [bucket.start, bucket.dropOffs])).toEqual([
      [30, 2],
      [10, 1],
    ]);
  });

  it("have nothing to say about a film nobody watched", () => {
    const empty = retentionCounts([], 30);
    expect(tenthsOfFilm(empty)).toEqual([]);
    expect(biggestDropOffs(retentionBuckets(empty))).toEqual([]);
  });
});
