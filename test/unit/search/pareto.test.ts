import { describe, expect, it } from 'vitest';
import { chebyshevScalarise, dominates, paretoFront, simplexWeights } from '../../../src/search/pareto.js';
import type { Trial } from '../../../src/search/trial.js';
import { createRng } from '../../../src/util/rng.js';

const trial = (number: number, values: number[], extra: Partial<Trial> = {}): Trial => ({
  number,
  params: { n: number },
  state: 'complete',
  values,
  ...extra,
});

describe('Pareto computation', () => {
  it.each([
    [[1, 1], [2, 2], true],
    [[1, 2], [2, 1], false],
    [[1, 1], [1, 1], false],
    [[1, 1], [1, 2], true],
  ])('%j dominates %j: %s', (a, b, expected) => {
    expect(dominates(a, b)).toBe(expected);
  });

  it('keeps the non-dominated feasible trials only', () => {
    const history: Trial[] = [
      trial(0, [1, 5]),
      trial(1, [2, 2]),
      trial(2, [3, 3]),
      trial(3, [5, 1]),
      trial(4, [0, 0], { constraints: [0.5] }),
      { number: 5, params: {}, state: 'failed' },
      trial(6, [4, 1.5]),
    ];
    expect(paretoFront(history).map((t) => t.number)).toEqual([0, 1, 3, 6]);
  });

  it('scalarises with a weighted Chebyshev norm on normalised objectives', () => {
    const s = chebyshevScalarise(
      [
        [0, 10],
        [1, 0],
        [0.5, 5],
      ],
      [0.5, 0.5],
    );
    expect(s[2]).toBeLessThan(s[0] as number);
    expect(s[0]).toBeCloseTo(s[1] as number, 10);
  });

  it('draws weights on the simplex', () => {
    const w = simplexWeights(3, createRng(1));
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const v of w) expect(v).toBeGreaterThan(0);
  });
});
