import { describe, expect, it } from 'vitest';
import { incompleteBeta, studentTCdf, studentTQuantile } from '../../../src/tune/student-t.js';

describe("Student's t", () => {
  // Two-sided 95 % critical values from printed tables (and the normal limit).
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [3, 3.1824],
    [4, 2.7764],
    [5, 2.5706],
    [10, 2.2281],
    [30, 2.0423],
    [120, 1.9799],
    [Number.POSITIVE_INFINITY, 1.96],
  ])('the 0.975 quantile at %s degrees of freedom is %s', (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 3);
  });

  it('interpolates between integer degrees of freedom and is symmetric', () => {
    const q = studentTQuantile(0.975, 2.5);
    expect(q).toBeGreaterThan(3.1824);
    expect(q).toBeLessThan(4.3027);
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 10);
    expect(studentTQuantile(0.5, 3)).toBe(0);
  });

  it('the CDF inverts the quantile and has the known closed form at one degree of freedom', () => {
    for (const df of [1.5, 3, 12]) expect(studentTCdf(studentTQuantile(0.9, df), df)).toBeCloseTo(0.9, 9);
    // Cauchy: F(t) = 1/2 + atan(t) / pi.
    expect(studentTCdf(2, 1)).toBeCloseTo(0.5 + Math.atan(2) / Math.PI, 10);
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
  });

  it.each([
    [0, 3],
    [1, 3],
    [0.5, 0],
    [0.5, Number.NaN],
  ])('is NaN outside its domain (p %s, df %s)', (p, df) => {
    expect(studentTQuantile(p, df)).toBeNaN();
  });
});
