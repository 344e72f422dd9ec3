import { filmRangesPresent, filmSecondsPresent, type PlaybackRow } from "~/meetings/presence";

const START = new Date("2027-01-04T13:00:00Z");
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);
const meeting = { startedAt: START };

/** The presenter's player reporting every ten seconds of a 40-second film played at normal speed from T+0. */
const normalSpeed: PlaybackRow[] = [
  { fromSecond: 0, toSecond: 10, at: at(10) },
  { fromSecond: 10, toSecond: 20, at: at(20) },
  { fromSecond: 20, toSecond: 30, at: at(30) },
  { fromSecond: 30, toSecond: 40, at: at(40) },
];

const present = (from: number, to: number, grace = 0) =>
  filmSecondsPresent(meeting, normalSpeed, { joinedAt: at(from), lastSeenAt: at(to) }, grace);

describe("the film seconds a participant was present for", () => {
  it("counts the whole film for someone there from before the start to after the end", () => {
    expect(present(-60, 100)).toBe(40);
  });

  it("counts second by second from when they joined, also inside a report's stretch", () => {
    expect(present(15, 100)).toBe(25);
    expect(present(16, 100)).toBe(24);
    expect(present(39, 100)).toBe(1);
  });

  it("stops when they were last seen, plus the grace", () => {
    expect(present(0, 25)).toBe(25);
    expect(present(0, 25, 5_000)).toBe(30);
    expect(present(0, 37, 20_000)).toBe(40);
  });

  it("counts nothing for someone who came after the film or left before it", () => {
    expect(present(41, 100)).toBe(0);
    expect(present(-100, -1)).toBe(0);
  });

  it("lays a fast report over the wall time since the one before, not before the meeting began", () => {
    // Double speed: 20 film seconds every 10 wall seconds.
    const fast: PlaybackRow[] = [
      { fromSecond: 0, toSecond: 20, at: at(10) },
      { fromSecond: 20, toSecond: 40, at: at(20) },
    ];
    const seconds = (from: number, to: number) =>
      filmSecondsPresent(meeting, fast, { joinedAt: at(from), lastSeenAt: at(to) }, 0);
    expect(seconds(0, 20)).toBe(40);
    expect(seconds(5, 20)).toBe(30);
    expect(seconds(0, 15)).toBe(30);
  });

  it("leaves out a pause: the stretch after it is only as long as the seconds the report holds", () => {
    const paused: PlaybackRow[] = [
      { fromSecond: 0, toSecond: 10, at: at(10) },
      { fromSecond: 10, toSecond: 20, at: at(100) },
    ];
    // Someone who left during the pause saw only the first ten seconds.
    expect(filmSecondsPresent(meeting, paused, { joinedAt: at(0), lastSeenAt: at(50) }, 0)).toBe(10);
    expect(filmSecondsPresent(meeting, paused, { joinedAt: at(85), lastSeenAt: at(100) }, 0)).toBe(10);
  });

  it("counts film played twice once, and gives the ranges seen", () => {
    const replayed: PlaybackRow[] = [...normalSpeed, { fromSecond: 0, toSecond: 10, at: at(60) }];
    expect(filmSecondsPresent(meeting, replayed, { joinedAt: at(0), lastSeenAt: at(100) }, 0)).toBe(40);
    expect(filmRangesPresent(meeting, replayed, { joinedAt: at(45), lastSeenAt: at(100) }, 0)).toEqual([[0, 10]]);
  });
});
