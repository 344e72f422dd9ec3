import jStat from "jstat";

/**
 * Sums the database adds up over a set of numbers (one per pair or per answer), so a figure over
 * twenty thousand answers travels out of SQLite as five numbers instead of twenty thousand rows.
 */
export type Sums = { count: number; sum: number; sumOfSquares: number };

/** A mean with its 95 % confidence interval; the interval is null when one value cannot give one. */
export type Estimate = { count: number; mean: number; low: number | null; high: number | null };

const CONFIDENCE = 0.95;

/**
 * The mean of the numbers and the 95 % confidence interval of that mean from the t distribution
 * with count − 1 degrees of freedom: mean ± t · s / √n, where s is the sample standard deviation.
 */
export function meanWithInterval({ count, sum, sumOfSquares }: Sums): Estimate | null {
  if (count < 1) return null;
  const mean = sum / count;
  if (count < 2) return { count, mean, low: null, high: null };
  // Rounding in the sums can leave a hair below zero when every value is the same.
  const variance = Math.max(0, (sumOfSquares - count * mean * mean) / (count - 1));
  const halfWidth = jStat.studentt.inv(1 - (1 - CONFIDENCE) / 2, count - 1) * Math.sqrt(variance / count);
  return { count, mean, low: mean - halfWidth, high: mean + halfWidth };
}

/** The sums of the paired differences (after − before) and of each side, for one item and comparison. */
export type PairedSums = {
  pairs: number;
  sumBefore: number;
  sumAfter: number;
  sumChange: number;
  sumChangeSquared: number;
};

export type PairedChange = { pairs: number; meanBefore: number; meanAfter: number; change: Estimate };

/** The paired change: the mean before, the mean after, and the mean change with its interval. */
export function pairedChange(sums: PairedSums): PairedChange | null {
  const change = meanWithInterval({ count: sums.pairs, sum: sums.sumChange, sumOfSquares: sums.sumChangeSquared });
  if (!change) return null;
  return {
    pairs: sums.pairs,
    meanBefore: sums.sumBefore / sums.pairs,
    meanAfter: sums.sumAfter / sums.pairs,
    change,
  };
}
