import { describe, expect, it } from 'vitest';
import { type SeriesSample, summariseSeries } from '../../../src/benchmark/series-summary.js';

const at = (tMs: number, values: Record<string, number>): SeriesSample => ({
  tMs,
  values: new Map(Object.entries(values)),
});

describe('summariseSeries', () => {
  it('weights a gauge by how long each reading held, and keeps its max', () => {
    // 0.2 for 1 s, then 1.0 for 3 s: mean 0.8, saturated 3 of 4 s.
    const summary = summariseSeries(
      [at(0, { kv: 0.2 }), at(1_000, { kv: 1 }), at(4_000, { kv: 0.5 })],
      [{ key: 'kvCacheUsage', metric: 'kv', kind: 'gauge', saturationAt: 0.95 }],
    );
    expect(summary?.samples).toBe(3);
    expect(summary?.windowMs).toBe(4_000);
    expect(summary?.series['kvCacheUsage']).toEqual({
      kind: 'gauge',
      mean: 0.8,
      max: 1,
      saturationAt: 0.95,
      saturatedShare: 0.75,
    });
  });

  it.each([
    // (2.02 - 0.2) + (2.32 - 2.02) is 2.1200000000000006 in floating point, 2.32 - 0.2 is 2.1199999999999997.
    ['more', [0.2, 2.02, 2.32]],
    // (0.11 - 0.1) + (4.41 - 0.11) is 4.31, 4.41 - 0.1 is 4.3100000000000005.
    ['less', [0.1, 0.11, 4.41]],
  ])(
    'reads a share of exactly 1 and a mean within the readings when fractional intervals add up to %s than the span',
    (_name, times) => {
      const summary = summariseSeries(
        times.map((t) => at(t, { kv: 1 })),
        [{ key: 'kvCacheUsage', metric: 'kv', kind: 'gauge', saturationAt: 0.95 }],
      );
      expect(summary?.series['kvCacheUsage']).toEqual({
        kind: 'gauge',
        mean: 1,
        max: 1,
        saturationAt: 0.95,
        saturatedShare: 1,
      });
    },
  );

  it.each([
    ['steady increase', [0, 10, 30], 30, 15],
    // A counter that went down restarted: the increase after the restart counts from zero.
    ['restart', [100, 110, 5], 15, 7.5],
  ])('turns a counter into its increase and rate over the window (%s)', (_name, values, delta, perS) => {
    const summary = summariseSeries(
      values.map((v, i) => at(i * 1_000, { c: v })),
      [{ key: 'preemptions', metric: 'c', kind: 'counter' }],
    );
    expect(summary?.series['preemptions']).toEqual({ kind: 'counter', delta, perS });
  });

  it('leaves out series no sample carries and counters read at one instant only', () => {
    const summary = summariseSeries(
      [at(5, { a: 1, c: 3 })],
      [
        { key: 'a', metric: 'a', kind: 'gauge' },
        { key: 'c', metric: 'c', kind: 'counter' },
        { key: 'missing', metric: 'nope', kind: 'gauge' },
      ],
    );
    expect(summary?.series).toEqual({ a: { kind: 'gauge', mean: 1, max: 1 } });
    expect(summariseSeries([], [{ key: 'a', metric: 'a', kind: 'gauge' }])).toBeUndefined();
  });
});
