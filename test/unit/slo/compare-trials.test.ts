import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareTrials,
  dominates,
  isFeasibleOutcome,
  outcomeClass,
  paretoFront,
  type RankableTrial,
  rankTrials,
} from '../../../src/slo/compare-trials.js';

const feasible = (v: number, ...rest: number[]): RankableTrial => ({
  state: 'complete',
  values: [v, ...rest],
  constraints: [-0.1],
});
const infeasible = (v: number, violation: number): RankableTrial => ({
  state: 'complete',
  values: [v],
  constraints: [violation],
});

describe('outcomeClass', () => {
  it.each<[string, RankableTrial, number]>([
    ['feasible complete', feasible(1), 0],
    ['complete without constraints', { state: 'complete', values: [3] }, 0],
    ['complete with a violated constraint', infeasible(1, 0.2), 1],
    [
      'complete with an Infinity score (hard fail)',
      { state: 'complete', values: [Number.POSITIVE_INFINITY] },
      1,
    ],
    ['complete with a NaN score', { state: 'complete', values: [Number.NaN] }, 1],
    ['complete without values', { state: 'complete' }, 1],
    ['pruned', { state: 'pruned', values: [1] }, 2],
    ['failed', { state: 'failed', values: [Number.NEGATIVE_INFINITY] }, 3],
    ['invalid', { state: 'invalid' }, 3],
    ['running', { state: 'running' }, 3],
  ])('%s -> %i', (_name, trial, expected) => {
    expect(outcomeClass(trial)).toBe(expected);
    expect(isFeasibleOutcome(trial)).toBe(expected === 0);
  });
});

describe('compareTrials', () => {
  it('sorts feasible by score, then infeasible by violation, then pruned, then failed', () => {
    const trials: RankableTrial[] = [
      { state: 'failed', values: [-1e9] },
      infeasible(-5000, 0.5),
      { state: 'pruned', values: [-1e6] },
      feasible(-100),
      infeasible(-10, 0.1),
      { state: 'invalid' },
      feasible(-300),
    ];
    expect(rankTrials(trials).map((t) => [t.state, t.values?.[0]])).toEqual([
      ['complete', -300],
      ['complete', -100],
      ['complete', -10],
      ['complete', -5000],
      ['pruned', -1e6],
      ['failed', -1e9],
      ['invalid', undefined],
    ]);
  });

  it('breaks ties lexicographically over the value vector and ranks NaN last', () => {
    expect(compareTrials(feasible(1, 2), feasible(1, 3))).toBeLessThan(0);
    expect(compareTrials(feasible(1, 3), feasible(1, 2))).toBeGreaterThan(0);
    expect(compareTrials(feasible(1, 2), feasible(1, 2))).toBe(0);
    expect(compareTrials(infeasible(Number.NaN, 0.1), infeasible(5, 0.1))).toBeGreaterThan(0);
  });

  it('property: no failed, invalid, pruned or infeasible trial ever outranks a feasible one', () => {
    const value = fc.oneof(
      fc.double({ noNaN: false }),
      fc.constant(Number.NEGATIVE_INFINITY),
      fc.constant(Number.POSITIVE_INFINITY),
    );
    const trial = fc.record({
      state: fc.constantFrom('complete', 'failed', 'invalid', 'pruned', 'running'),
      values: fc.option(fc.array(value, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      constraints: fc.option(fc.array(fc.double(), { maxLength: 3 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(trial, { maxLength: 30 }), (trials) => {
        const ranked = rankTrials(trials);
        const firstNonFeasible = ranked.findIndex((t) => !isFeasibleOutcome(t));
        if (firstNonFeasible === -1) return true;
        return ranked.slice(firstNonFeasible).every((t) => !isFeasibleOutcome(t));
      }),
    );
  });
});

describe('Pareto helpers', () => {
  it.each<[number[], number[], boolean]>([
    [[1, 1], [2, 2], true],
    [[1, 2], [2, 1], false],
    [[1, 1], [1, 1], false],
    [[1, 1], [1, 2], true],
    [[1], [1, 2], false],
  ])('dominates(%j, %j) = %s', (a, b, expected) => {
    expect(dominates(a, b)).toBe(expected);
  });

  it('keeps the feasible non-dominated trials only', () => {
    const a = feasible(1, 5);
    const b = feasible(2, 2);
    const c = feasible(3, 3);
    const d: RankableTrial = { state: 'failed', values: [0, 0] };
    expect(paretoFront([a, b, c, d])).toEqual([a, b]);
  });
});
