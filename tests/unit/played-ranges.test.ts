import { describe, expect, it } from "vitest";
import {
  clipRanges,
  coveredSeconds,
  mergeRanges,
  PlayedRangeTracker,
  PLAYER_JOIN_GAP_SECONDS,
  subtractRanges,
  type Range,
} from "../../app/learning/played-ranges";

describe("mergeRanges", () => {
  it("merges overlapping ranges", () => {
    expect(
      mergeRanges([
        [0, 10],
        [5, 15],
        [14, 20],
      ]),
    ).toEqual([[0, 20]]);
  });

  it("keeps real gaps", () => {
    expect(
      mergeRanges([
        [0, 10],
        [11, 20],
      ]),
    ).toEqual([
      [0, 10],
      [11, 20],
    ]);
  });

  it("collapses duplicates and contained ranges", () => {
    expect(
      mergeRanges([
        [2, 8],
        [2, 8],
        [3, 4],
      ]),
    ).toEqual([[2, 8]]);
  });

  it("joins touching ranges but fills no gap unless asked to", () => {
    expect(
      mergeRanges([
        [0, 10],
        [10, 12],
      ]),
    ).toEqual([[0, 12]]);
    expect(
      mergeRanges([
        [0, 10],
        [10.25, 12],
      ]),
    ).toEqual([
      [0, 10],
      [10.25, 12],
    ]);
    expect(
      mergeRanges(
        [
          [0, 10],
          [10.25, 12],
        ],
        PLAYER_JOIN_GAP_SECONDS,
      ),
    ).toEqual([[0, 12]]);
    expect(
      mergeRanges(
        [
          [0, 10],
          [10.3, 12],
        ],
        PLAYER_JOIN_GAP_SECONDS,
      ),
    ).toEqual([
      [0, 10],
      [10.3, 12],
    ]);
  });

  it("sorts unsorted input", () => {
    expect(
      mergeRanges([
        [30, 40],
        [0, 5],
        [10, 20],
      ]),
    ).toEqual([
      [0, 5],
      [10, 20],
      [30, 40],
    ]);
  });

  it("drops invalid ranges and clamps negative starts", () => {
    const input: Range[] = [
      [Number.NaN, 5],
      [3, Number.NaN],
      [0, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, 2],
      [8, 6],
      [7, 7],
      [-4, 1],
      [12, 13],
    ];
    expect(mergeRanges(input)).toEqual([
      [0, 1],
      [12, 13],
    ]);
  });

  it("returns new ranges and leaves its input alone", () => {
    const input: Range[] = [
      [5, 8],
      [0, 6],
    ];
    const result = mergeRanges(input);
    expect(result).toEqual([[0, 8]]);
    expect(result[0]).not.toBe(input[1]);
    expect(input).toEqual([
      [5, 8],
      [0, 6],
    ]);
  });
});

describe("coveredSeconds", () => {
  it("counts overlapping seconds once", () => {
    expect(
      coveredSeconds([
        [0, 10],
        [5, 15],
        [20, 25],
      ]),
    ).toBe(20);
    expect(coveredSeconds([])).toBe(0);
  });
});

describe("clipRanges", () => {
  it("clamps to the film's length and drops what lies beyond it", () => {
    expect(
      clipRanges(
        [
          [-2, 5],
          [8, 30],
          [40, 50],
        ],
        20,
      ),
    ).toEqual([
      [0, 5],
      [8, 20],
    ]);
  });
});

describe("subtractRanges", () => {
  it("returns what is new", () => {
    expect(
      subtractRanges(
        [[0, 30]],
        [
          [5, 10],
          [20, 25],
        ],
      ),
    ).toEqual([
      [0, 5],
      [10, 20],
      [25, 30],
    ]);
  });

  it("handles holes reaching past either end", () => {
    expect(
      subtractRanges(
        [
          [10, 20],
          [30, 40],
        ],
        [
          [0, 12],
          [18, 35],
        ],
      ),
    ).toEqual([
      [12, 18],
      [35, 40],
    ]);
  });

  it("is empty when everything is already covered", () => {
    expect(
      subtractRanges(
        [
          [2, 4],
          [6, 8],
        ],
        [[0, 10]],
      ),
    ).toEqual([]);
  });

  it("returns everything when nothing is covered", () => {
    expect(
      subtractRanges(
        [
          [6, 8],
          [2, 4],
        ],
        [],
      ),
    ).toEqual([
      [2, 4],
      [6, 8],
    ]);
  });
});

/** Feeds the tracker the way timeupdate does: every 250 ms of wall time. */
function play(tracker: PlayedRangeTracker, from: number, to: number, clock: { now: number }, playbackRate = 1) {
  for (let time = from; time <= to + 1e-9; time += 0.25 * playbackRate) {
    tracker.observe(time, { playing: true, playbackRate, now: clock.now });
    clock.now += 250;
  }
}

describe("PlayedRangeTracker", () => {
  it("builds one range from continuous play", () => {
    const tracker = new PlayedRangeTracker();
    play(tracker, 0, 20, { now: 1000 });
    expect(tracker.ranges()).toEqual([[0, 20]]);
    expect(tracker.position).toBe(20);
  });

  it("does not count a seek forward", () => {
    const tracker = new PlayedRangeTracker();
    const clock = { now: 0 };
    play(tracker, 0, 5, clock);
    tracker.seeking();
    play(tracker, 60, 65, clock);
    expect(tracker.ranges()).toEqual([
      [0, 5],
      [60, 65],
    ]);
  });

  it("merges a replay after seeking back", () => {
    const tracker = new PlayedRangeTracker();
    const clock = { now: 0 };
    play(tracker, 0, 10, clock);
    tracker.seeking();
    play(tracker, 4, 15, clock);
    expect(tracker.ranges()).toEqual([[0, 15]]);
  });

  it("treats a backwards jump without a seeking event as a new range", () => {
    const tracker = new PlayedRangeTracker();
    const clock = { now: 0 };
    play(tracker, 10, 12, clock);
    play(tracker, 2, 3, clock);
    expect(tracker.ranges()).toEqual([
      [2, 3],
      [10, 12],
    ]);
  });

  it("does not count a jump larger than the wall time allows", () => {
    const tracker = new PlayedRangeTracker();
    tracker.observe(0, { playing: true, playbackRate: 1, now: 0 });
    tracker.observe(1, { playing: true, playbackRate: 1, now: 1000 });
    tracker.observe(3, { playing: true, playbackRate: 1, now: 1500 });
    tracker.observe(3.25, { playing: true, playbackRate: 1, now: 1750 });
    expect(tracker.ranges()).toEqual([
      [0, 1],
      [3, 3.25],
    ]);
  });

  it("does not count any step over 3 s, however much time passed", () => {
    const tracker = new PlayedRangeTracker();
    tracker.observe(0, { playing: true, playbackRate: 1, now: 0 });
    tracker.observe(5, { playing: true, playbackRate: 1, now: 60_000 });
    tracker.observe(5.25, { playing: true, playbackRate: 1, now: 60_250 });
    expect(tracker.ranges()).toEqual([[5, 5.25]]);
  });

  it("allows twice the speed at playbackRate 2, but not at 1", () => {
    const fast = new PlayedRangeTracker();
    play(fast, 0, 10, { now: 0 }, 2);
    expect(fast.ranges()).toEqual([[0, 10]]);

    const claimedFast = new PlayedRangeTracker();
    const clock = { now: 0 };
    for (let time = 0; time <= 10; time += 1) {
      claimedFast.observe(time, { playing: true, playbackRate: 1, now: clock.now });
      clock.now += 250;
    }
    expect(coveredSeconds(claimedFast.ranges())).toBe(0);
  });

  it("keeps the last moments reported by the timeupdate that follows a pause", () => {
    const tracker = new PlayedRangeTracker();
    tracker.observe(0, { playing: true, playbackRate: 1, now: 0 });
    tracker.observe(0.25, { playing: true, playbackRate: 1, now: 250 });
    tracker.observe(0.4, { playing: false, playbackRate: 1, now: 400 });
    tracker.observe(2.4, { playing: false, playbackRate: 1, now: 10_000 });
    expect(tracker.ranges()).toEqual([[0, 0.4]]);
  });

  it("ignores non-finite times", () => {
    const tracker = new PlayedRangeTracker();
    play(tracker, 0, 2, { now: 0 });
    tracker.observe(Number.NaN, { playing: true, playbackRate: 1, now: 10_000 });
    expect(tracker.ranges()).toEqual([[0, 2]]);
    expect(tracker.position).toBe(2);
  });
});
