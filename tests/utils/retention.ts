import type { Range } from "~/learning/played-ranges";

/**
 * The retention figures worked out the slow, obvious way, to hold the sweep in
 * app/learning/retention.ts to: for every viewing and every second, whether a range holds the
 * middle of that second; then where each viewing's coverage breaks off, and whether it comes back.
 */
export function bruteForceRetention(viewings: readonly (readonly Range[])[], durationSeconds: number) {
  const watching = new Array<number>(durationSeconds).fill(0);
  const dropOffs = new Array<number>(durationSeconds).fill(0);
  const seekAways = new Array<number>(durationSeconds).fill(0);
  let counted = 0;
  for (const ranges of viewings) {
    const covered = Array.from({ length: durationSeconds }, (_, second) =>
      ranges.some(([start, end]) => start <= second + 0.5 && second + 0.5 < end),
    );
    const lastCovered = covered.lastIndexOf(true);
    if (lastCovered === -1) continue;
    counted += 1;
    covered.forEach((isCovered, second) => {
      if (isCovered) watching[second]! += 1;
      else if (second > 0 && covered[second - 1] && second < lastCovered) seekAways[second]! += 1;
    });
    // Stopping in the film's last second is watching it to the end.
    if (lastCovered + 1 < durationSeconds - 1) dropOffs[lastCovered + 1]! += 1;
  }
  return { durationSeconds, viewings: counted, watching, dropOffs, seekAways };
}
