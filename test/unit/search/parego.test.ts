import { describe, expect, it } from 'vitest';
import { createBayesStrategy } from '../../../src/search/bayes-strategy.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import { chebyshevScalarise, simplexWeights } from '../../../src/search/parego.js';
import type { Trial } from '../../../src/search/trial.js';
import { paretoFront } from '../../../src/slo/compare-trials.js';
import { createRng } from '../../../src/util/rng.js';

describe('ParEGO scalarisation', () => {
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

  it.each([2, 3, 5])('draws %i weights on the simplex', (k) => {
    const w = simplexWeights(k, createRng(k));
    expect(w).toHaveLength(k);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const v of w) expect(v).toBeGreaterThan(0);
  });

  it('grows a Pareto front of throughput against latency over a multi-objective study', () => {
    // Two conflicting objectives: -throughput rises with x as latency falls.
    const space = normalizeSpace({ x: { low: 0, high: 1, step: 0.05 }, y: { low: 0, high: 1, step: 0.05 } });
    const strategy = createBayesStrategy(space, { seed: 2 });
    const history: Trial[] = [];
    for (let i = 0; i < 16; i++) {
      const [p] = strategy.ask(history).params;
      if (p === undefined) break;
      const x = p.x as number;
      const y = p.y as number;
      history.push({ number: i, params: p, state: 'complete', values: [-(x + 0.2 * y), x * x + 0.5 * y] });
    }
    const front = paretoFront(history);
    expect(front.length).toBeGreaterThanOrEqual(4);
    // The front spreads along the trade-off instead of collapsing on one objective.
    const xs = front.map((t) => t.params.x as number);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0.4);
  });
});
