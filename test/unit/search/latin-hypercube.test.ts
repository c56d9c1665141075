import { describe, expect, it } from 'vitest';
import { createGridStrategy } from '../../../src/search/grid-strategy.js';
import { latinHypercube } from '../../../src/search/latin-hypercube.js';
import { createLhsStrategy } from '../../../src/search/lhs-strategy.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { Trial } from '../../../src/search/trial.js';
import { createRng } from '../../../src/util/rng.js';

describe('Latin hypercube', () => {
  it.each([
    [5, 2],
    [10, 3],
    [7, 6],
  ])('puts exactly one of %i points in each stratum of each of %i dimensions', (n, d) => {
    const design = latinHypercube(n, d, createRng(n * d));
    expect(design).toHaveLength(n);
    for (let dim = 0; dim < d; dim++) {
      const strata = design.map((p) => Math.floor((p[dim] as number) * n)).sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('spreads its first block over the space', () => {
    const space = normalizeSpace({ x: { low: 0, high: 1, step: 0.01 }, y: { low: 0, high: 1, step: 0.01 } });
    const { params } = createLhsStrategy(space, { seed: 4, blockSize: 8 }).ask([], { count: 8 });
    const xs = params.map((p) => p.x as number).sort((a, b) => a - b);
    const gaps = xs.slice(1).map((x, i) => x - (xs[i] as number));
    expect(Math.max(...gaps)).toBeLessThan(0.3);
  });
});

describe('grid strategy', () => {
  it('continues in grid order after the configurations the history already has', () => {
    const space = normalizeSpace({ a: [1, 2], b: ['x', 'y'] });
    const history: Trial[] = [
      { number: 0, params: { a: 1, b: 'y' }, state: 'failed' },
      { number: 1, params: { a: 1, b: 'x' }, state: 'complete', values: [1] },
    ];
    expect(createGridStrategy(space).ask(history, { count: 2 })).toEqual({
      params: [
        { a: 2, b: 'x' },
        { a: 2, b: 'y' },
      ],
      exhausted: true,
      stop: { kind: 'exhausted', reason: 'every grid point has been evaluated or asked' },
      origins: [{ kind: 'grid' }, { kind: 'grid' }],
    });
  });
});
