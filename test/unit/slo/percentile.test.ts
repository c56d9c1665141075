import { describe, expect, it } from 'vitest';
import { mean, percentile, statistic } from '../../../src/slo/percentile.js';

describe('percentile (linear interpolation, NumPy default)', () => {
  it.each<[number[], number, number | undefined]>([
    [[], 50, undefined],
    [[7], 99, 7],
    [[1, 2, 3, 4], 50, 2.5],
    [[4, 1, 3, 2], 0, 1],
    [[4, 1, 3, 2], 100, 4],
    [[10, 20, 30, 40, 50], 90, 46],
    [[10, 20, 30, 40, 50], 99, 49.6],
  ])('percentile(%j, %f) = %f', (values, q, expected) => {
    const actual = percentile(values, q);
    if (expected === undefined) expect(actual).toBeUndefined();
    else expect(actual).toBeCloseTo(expected, 12);
  });

  it.each<[number[], string, number | undefined]>([
    [[1, 2, 3], 'mean', 2],
    [[1, 2, 3], 'p50', 2],
    [[1, 2, 3, 4, 5], 'p99.9', 4.996],
    [[1, 2, 3], 'max', undefined],
    [[], 'mean', undefined],
  ])('statistic(%j, %s) = %f', (values, stat, expected) => {
    const actual = statistic(values, stat);
    if (expected === undefined) expect(actual).toBeUndefined();
    else expect(actual).toBeCloseTo(expected, 12);
  });

  it('mean of nothing is undefined', () => {
    expect(mean([])).toBeUndefined();
  });
});
