import { describe, expect, it } from 'vitest';
import { constraintsHold, constraintValues, totalViolation } from '../../../src/slo/constraint-values.js';
import type { SloSpec } from '../../../src/slo/types.js';
import { runMetrics, stats } from './fixtures.js';

describe('constraintValues', () => {
  it('gives observed / threshold - 1 per term, in term order', () => {
    const metrics = runMetrics({ ttftMs: stats({ p99: 250 }), e2eMs: stats({ mean: 500 }) });
    const slo: SloSpec = {
      terms: [
        { metric: 'ttft', stat: 'p99', maxMs: 200 },
        { metric: 'e2e', stat: 'mean', maxMs: 1000 },
      ],
    };
    expect(constraintValues(metrics, slo)).toEqual([0.25, -0.5]);
  });

  it.each<[number, number, number]>([
    [0.02, 0.05, 0.02 / 0.05 - 1],
    [0.1, 0.05, 0.1 / 0.05 - 1],
    [0, 0, 0],
    [0.01, 0, 0.01],
  ])('error rate %f against maxErrorRate %f gives %f', (errorRate, maxErrorRate, expected) => {
    const values = constraintValues(runMetrics({ errorRate }), { terms: [], maxErrorRate });
    expect(values).toHaveLength(1);
    expect(values[0]).toBeCloseTo(expected, 12);
  });

  it('an undefined statistic cannot be met', () => {
    const metrics = runMetrics({ tpotMs: stats({ p90: undefined }) });
    expect(constraintValues(metrics, { terms: [{ metric: 'tpot', stat: 'p90', maxMs: 10 }] })).toEqual([
      Number.POSITIVE_INFINITY,
    ]);
  });

  it('no error-rate entry without maxErrorRate; no entries without terms', () => {
    expect(constraintValues(runMetrics({ errorRate: 0.9 }), { terms: [] })).toEqual([]);
  });
});

describe('constraintsHold and totalViolation', () => {
  it.each<[number[], boolean, number]>([
    [[], true, 0],
    [[0, -1], true, 0],
    [[0.5, -1, 0.25], false, 0.75],
    [[Number.NaN], false, Number.POSITIVE_INFINITY],
    [[Number.POSITIVE_INFINITY], false, Number.POSITIVE_INFINITY],
  ])('%j: holds %s, violation %f', (values, holds, violation) => {
    expect(constraintsHold(values)).toBe(holds);
    expect(totalViolation(values)).toBe(violation);
  });
});
