import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { SpaceInput } from '../../../src/search/param-spec.js';
import { isInSpace } from '../../../src/search/space-checks.js';
import { createUnitCubeEncoder } from '../../../src/search/unit-cube.js';

const mixed = normalizeSpace({
  dtype: ['auto', 'half', 'bfloat16'],
  chunked: { type: 'bool' },
  threshold: { low: 64, high: 4096, log: true, when: { chunked: [true] } },
  mem: { low: 0.5, high: 0.95 },
  blocks: { low: 8, high: 32, step: 8 },
  frac: { low: 0.1, high: 0.9, step: 0.1 },
  lr: { low: 1e-5, high: 1e-1, log: true },
  wide: { type: 'float', low: -1e6, high: 1e6 },
  fixed: 7,
  pair: ['x', 'y'],
  seqs: [64, 16, 256, 32],
});

describe('unit cube encoding', () => {
  it('lays out dimensions: one-hot for 3+ categories, one for ranges, numeric lists and binaries, none for fixed', () => {
    const enc = createUnitCubeEncoder(mixed);
    expect(enc.dims.map((d) => `${d.param}:${d.kind}`)).toEqual([
      'dtype:onehot',
      'dtype:onehot',
      'dtype:onehot',
      'chunked:binary',
      'threshold:numeric',
      'mem:numeric',
      'blocks:numeric',
      'frac:numeric',
      'lr:numeric',
      'wide:numeric',
      'pair:binary',
      'seqs:numeric',
    ]);
  });

  it.each([
    [
      {
        dtype: 'half',
        chunked: true,
        threshold: 512,
        mem: 0.9,
        blocks: 16,
        frac: 0.3,
        lr: 0.001,
        wide: 0.001,
        fixed: 7,
        pair: 'y',
        seqs: 256,
      },
    ],
    [
      {
        dtype: 'auto',
        chunked: false,
        mem: 0.5,
        blocks: 32,
        frac: 0.9,
        lr: 1e-5,
        wide: -1e6,
        fixed: 7,
        pair: 'x',
        seqs: 16,
      },
    ],
  ])('round-trips %o exactly', (params) => {
    const enc = createUnitCubeEncoder(mixed);
    const point = enc.encode(params);
    for (const u of point) expect(u >= 0 && u <= 1).toBe(true);
    expect(enc.decode(point)).toEqual(params);
  });

  it.each([
    [[16, 64, 32, 128], 32, 0.375],
    [[16, 64, 32, 128], 128, 0.875],
    [[1, 2, 4, 8], 1, 0.125],
    [[0.5, -3, 7], -3, 1 / 6],
  ])('encodes numeric values %o as one ordered dimension: %d -> %d', (values, value, unit) => {
    const enc = createUnitCubeEncoder(normalizeSpace({ n: values }));
    expect(enc.dims).toEqual([{ param: 'n', kind: 'numeric', discrete: true }]);
    expect(enc.encode({ n: value })[0]).toBeCloseTo(unit, 12);
    expect(enc.decode(enc.encode({ n: value }))).toEqual({ n: value });
  });

  it('keeps mixed or two-value lists categorical', () => {
    expect(createUnitCubeEncoder(normalizeSpace({ n: [1, 'two', 3] })).dims.map((d) => d.kind)).toEqual([
      'onehot',
      'onehot',
      'onehot',
    ]);
    expect(createUnitCubeEncoder(normalizeSpace({ n: [1, 2] })).dims.map((d) => d.kind)).toEqual(['binary']);
  });

  it('decodes every point of the cube into the space, and re-encoding is stable', () => {
    const enc = createUnitCubeEncoder(mixed);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), {
          minLength: enc.dims.length,
          maxLength: enc.dims.length,
        }),
        (point) => {
          const params = enc.decode(point);
          expect(isInSpace(mixed, params)).toBe(true);
          expect(enc.decode(enc.encode(params))).toEqual(params);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trips random values written with up to 6 decimals on random ranges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (lowMicro, spanMicro, t, log) => {
          const low = log ? (Math.abs(lowMicro) + 1) / 1e6 : lowMicro / 1e6;
          const high = Number((low + spanMicro / 1e6).toFixed(6));
          const space = normalizeSpace({ x: { type: 'float', low, high, log } } as SpaceInput);
          // `+ 0` turns -0 into 0: configurations never carry a negative zero.
          const value = Math.min(high, Number((low + t * (high - low)).toFixed(6))) + 0;
          const enc = createUnitCubeEncoder(space);
          expect(enc.decode(enc.encode({ x: value }))).toEqual({ x: value });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
