import { meanWithInterval, pairedChange } from "~/measurement/statistics";

const sumsOf = (values: number[]) => ({
  count: values.length,
  sum: values.reduce((total, value) => total + value, 0),
  sumOfSquares: values.reduce((total, value) => total + value * value, 0),
});

describe("the mean with its 95 % confidence interval", () => {
  it("matches a case worked by hand: changes 1, 2, 0, 1, 1", () => {
    // Mean 1; sample variance (0 + 1 + 1 + 0 + 0) / 4 = 0.5; standard error √(0.5 / 5) = 0.316228;
    // t(0.975; 4) = 2.776 from a printed table, so the half-width is 0.8780.
    const estimate = meanWithInterval(sumsOf([1, 2, 0, 1, 1]))!;
    expect(estimate.count).toBe(5);
    expect(estimate.mean).toBe(1);
    expect(estimate.low).toBeCloseTo(0.122, 3);
    expect(estimate.high).toBeCloseTo(1.878, 3);
  });

  it("widens with fewer degrees of freedom: the same spread over 3 values uses t(0.975; 2) = 4.303", () => {
    // Values 0, 1, 2: mean 1, variance 1, standard error 1 / √3.
    const estimate = meanWithInterval(sumsOf([0, 1, 2]))!;
    expect(estimate.high! - estimate.mean).toBeCloseTo(4.303 / Math.sqrt(3), 3);
    expect(estimate.mean - estimate.low!).toBeCloseTo(estimate.high! - estimate.mean, 10);
  });

  it("gives an interval of no width when every value is the same, never NaN", () => {
    const estimate = meanWithInterval(sumsOf([-2, -2, -2, -2, -2]))!;
    expect(estimate).toEqual({ count: 5, mean: -2, low: -2, high: -2 });
  });

  it("has no interval from one value and no figure at all from none", () => {
    expect(meanWithInterval(sumsOf([3]))).toEqual({ count: 1, mean: 3, low: null, high: null });
    expect(meanWithInterval(sumsOf([]))).toBeNull();
  });
});

describe("the paired change", () => {
  it("gives the means before and after and the interval of the mean change", () => {
    const before = [2, 3, 3, 4, 2];
    const after = [3, 5, 3, 5, 3];
    const changes = after.map((value, index) => value - before[index]!);
    const change = sumsOf(changes);
    const result = pairedChange({
      pairs: 5,
      sumBefore: 14,
      sumAfter: 19,
      sumChange: change.sum,
      sumChangeSquared: change.sumOfSquares,
    })!;
    expect(result.pairs).toBe(5);
    expect(result.meanBefore).toBeCloseTo(2.8, 12);
    expect(result.meanAfter).toBeCloseTo(3.8, 12);
    expect(result.change.mean).toBe(1);
    expect(result.change.low).toBeCloseTo(0.122, 3);
    expect(result.change.high).toBeCloseTo(1.878, 3);
  });

  it("is null without pairs", () => {
    expect(pairedChange({ pairs: 0, sumBefore: 0, sumAfter: 0, sumChange: 0, sumChangeSquared: 0 })).toBeNull();
  });
});
