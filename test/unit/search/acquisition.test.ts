import { describe, expect, it } from 'vitest';
import {
  expectedImprovement,
  logExpectedImprovement,
  logNormCdf,
  logProbabilityFeasible,
  normCdf,
  normPdf,
} from '../../../src/search/acquisition.js';

describe('acquisition numerics', () => {
  it.each([
    [0, 0.5],
    [1.96, 0.975],
    [-1.96, 0.025],
    [3, 0.99865],
  ])('normal CDF at %f', (z, p) => {
    expect(normCdf(z)).toBeCloseTo(p, 4);
  });

  it.each([-3, -7, -12, -30])('log CDF stays finite and accurate in the lower tail (z = %f)', (z) => {
    const value = logNormCdf(z);
    expect(Number.isFinite(value)).toBe(true);
    const reference = Math.log(normPdf(z) / -z); // leading Mills-ratio term
    expect(Math.abs(value - reference)).toBeLessThan(0.2);
  });

  it('matches the closed form of expected improvement', () => {
    const mean = 1.2;
    const variance = 0.25;
    const best = 1;
    const z = (best - mean) / 0.5;
    expect(expectedImprovement(mean, variance, best)).toBeCloseTo(0.5 * (normPdf(z) + z * normCdf(z)), 6);
  });

  it('keeps ranking points where plain EI underflows to zero', () => {
    const a = logExpectedImprovement(50, 1, 0);
    const b = logExpectedImprovement(40, 1, 0);
    expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
    expect(b).toBeGreaterThan(a);
  });

  it.each([
    [-1, 0.01, true],
    [1, 0.01, false],
    [0, 1, undefined],
  ])('probability of feasibility of a constraint with mean %f', (mean, variance, feasible) => {
    const p = Math.exp(logProbabilityFeasible(mean, variance));
    if (feasible === true) expect(p).toBeGreaterThan(0.99);
    else if (feasible === false) expect(p).toBeLessThan(0.01);
    else expect(p).toBeCloseTo(0.5, 3);
  });
});
