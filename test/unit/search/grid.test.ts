import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, SpaceTooLargeError } from '../../../src/errors.js';
import { expandGrid, gridSize } from '../../../src/search/grid.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { SpaceInput } from '../../../src/search/param-spec.js';
import { isInSpace, paramsKey } from '../../../src/search/space-checks.js';

describe('grid', () => {
  it('enumerates in declaration order with the last parameter varying fastest', () => {
    const space = normalizeSpace({ a: [2, 1], b: { type: 'bool' }, c: { low: 0, high: 0.2, step: 0.1 } });
    const grid = [...expandGrid(space)];
    expect(grid).toHaveLength(12);
    expect(grid.slice(0, 4)).toEqual([
      { a: 2, b: false, c: 0 },
      { a: 2, b: false, c: 0.1 },
      { a: 2, b: false, c: 0.2 },
      { a: 2, b: true, c: 0 },
    ]);
    expect(grid[11]).toEqual({ a: 1, b: true, c: 0.2 });
  });

  it('leaves inactive conditional parameters out and skips points that break constraints', () => {
    const space = normalizeSpace({
      parameters: {
        chunked: { type: 'bool' },
        threshold: { values: [256, 1024], when: { chunked: [true] } },
        seqs: [128, 512],
      },
      constraints: [{ left: 'threshold', op: '>=', right: 'seqs' }],
    });
    expect(gridSize(space)).toBe(6);
    expect([...expandGrid(space)]).toEqual([
      { chunked: false, seqs: 128 },
      { chunked: false, seqs: 512 },
      { chunked: true, threshold: 256, seqs: 128 },
      { chunked: true, threshold: 1024, seqs: 128 },
      { chunked: true, threshold: 1024, seqs: 512 },
    ]);
  });

  it.each([
    ['int default step', { x: { low: 1, high: 4 } }, 4],
    ['int with step', { x: { low: 16, high: 64, step: 16 } }, 4],
    ['float with step not reaching high', { x: { low: 0, high: 1, step: 0.3 } }, 4],
    ['product', { x: [1, 2, 3], y: { type: 'bool' } }, 6],
    ['continuous float', { x: { type: 'float', low: 0, high: 1 } }, Infinity],
  ])('sizes a %s grid', (_name, input, size) => {
    expect(gridSize(normalizeSpace(input as SpaceInput))).toBe(size);
  });

  it('refuses an astronomically large grid and says how large', () => {
    const space = normalizeSpace({
      a: { low: 1, high: 100_000 },
      b: { low: 1, high: 100_000 },
      c: { low: 1, high: 100_000 },
    });
    expect(() => expandGrid(space)).toThrow(SpaceTooLargeError);
    expect(() => expandGrid(space)).toThrow(/1,000,000,000,000,000 points/);
  });

  it.each([
    ['float range without step', { x: { low: 0, high: 0.5 } }, /explicit step/],
    ['log float range', { x: { low: 0.1, high: 1, log: true } }, /log-scale/],
  ])('needs a step for a %s', (_name, input, message) => {
    const space = normalizeSpace(input as SpaceInput);
    expect(() => expandGrid(space)).toThrow(InvalidOptionError);
    expect(() => expandGrid(space)).toThrow(message);
  });

  it('is deterministic, duplicate-free and inside the space for random spaces', () => {
    const paramArb = fc.oneof(
      fc.uniqueArray(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('a', 'b', 'c')), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.record({ type: fc.constant('bool' as const) }),
      fc
        .tuple(
          fc.integer({ min: -10, max: 10 }),
          fc.integer({ min: 0, max: 6 }),
          fc.integer({ min: 1, max: 3 }),
        )
        .map(([low, span, step]) => ({ low, high: low + span, step })),
      fc
        .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 4 }))
        .map(([low, n]) => ({ low: low / 10, high: low / 10 + n * 0.05, step: 0.05 })),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('p', 'q', 'r', 's'), paramArb, { minKeys: 1 }), (input) => {
        const space = normalizeSpace(input as SpaceInput);
        const first = [...expandGrid(space)];
        const second = [...expandGrid(normalizeSpace(input as SpaceInput))];
        expect(second).toEqual(first);
        expect(first).toHaveLength(gridSize(space));
        expect(new Set(first.map((p) => paramsKey(space, p))).size).toBe(first.length);
        for (const p of first) expect(isInSpace(space, p)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
