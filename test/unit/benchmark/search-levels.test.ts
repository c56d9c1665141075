import { describe, expect, it } from 'vitest';
import { metricsMeetSlo } from '../../../src/benchmark/capacity-search.js';
import { computeRunMetrics } from '../../../src/benchmark/run-metrics.js';
import { searchLevels } from '../../../src/benchmark/search-levels.js';
import { InvalidOptionError } from '../../../src/errors.js';

/** A server that holds the SLO up to `capacity` (inclusive). */
const threshold = (capacity: number) => async (level: number) => ({ meets: level <= capacity });

describe('searchLevels', () => {
  it.each([0.37, 1, 3.3, 17.8, 64, 250.5, 9_999])(
    'brackets and bisects to capacity %s within 5 %%',
    async (capacity) => {
      const r = await searchLevels(threshold(capacity), { tolerance: 0.05 });
      expect(r.converged).toBe(true);
      expect(r.best).toBeLessThanOrEqual(capacity);
      expect(r.firstFailing).toBeGreaterThan(capacity);
      expect((r.firstFailing ?? 0) - (r.best ?? 0)).toBeLessThanOrEqual(0.05 * (r.best ?? 0) + 1e-9);
      expect(r.probes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(capacity + 2)) + 8);
    },
  );

  it.each([
    [20, 21.3, 4],
    [20, 18.1, 5],
    [100, 104, 3],
  ])('warm-started at %s finds %s in at most %s probes', async (previous, capacity, maxProbes) => {
    const warm = await searchLevels(threshold(capacity), { previous, tolerance: 0.05 });
    const cold = await searchLevels(threshold(capacity), { tolerance: 0.05 });
    expect(warm.converged).toBe(true);
    expect(warm.best).toBeLessThanOrEqual(capacity);
    expect((warm.firstFailing ?? 0) - (warm.best ?? 0)).toBeLessThanOrEqual(0.05 * (warm.best ?? 0) + 1e-9);
    expect(warm.probes.length).toBeLessThanOrEqual(maxProbes);
    expect(warm.probes.length).toBeLessThan(cold.probes.length);
  });

  it.each([1, 2, 7, 33, 128])('integer levels (concurrency) converge to exactly %s', async (capacity) => {
    const r = await searchLevels(threshold(capacity), { integer: true, tolerance: 0.01 });
    expect(r.best).toBe(capacity);
    expect(r.firstFailing).toBe(capacity + 1);
    expect(r.probes.every((p) => Number.isInteger(p.level))).toBe(true);
  });

  it('warm-starts integer levels without getting stuck on rounding', async () => {
    const r = await searchLevels(threshold(9), { integer: true, previous: 3, tolerance: 0.05 });
    expect(r.best).toBe(9);
  });

  it('reports no capacity when even the lowest level fails, and the cap when the highest passes', async () => {
    const none = await searchLevels(threshold(0.01), { minLevel: 0.5 });
    expect(none).toMatchObject({ best: undefined, firstFailing: 0.5, converged: true });
    const all = await searchLevels(threshold(1e9), { maxLevel: 64 });
    expect(all).toMatchObject({ best: 64, firstFailing: undefined, converged: true });
  });

  it('stops at maxProbes without claiming convergence', async () => {
    const r = await searchLevels(threshold(1000), { maxProbes: 3, tolerance: 0.001 });
    expect(r.probes).toHaveLength(3);
    expect(r.converged).toBe(false);
  });

  it('passes the signal to probes and stops when it is aborted', async () => {
    const controller = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    const run = searchLevels(
      async (level, { signal }) => {
        seen.push(signal);
        if (level >= 4) controller.abort(new Error('enough'));
        return { meets: true };
      },
      {},
      { signal: controller.signal },
    );
    await expect(run).rejects.toThrow('enough');
    expect(seen[0]).toBe(controller.signal);
  });

  it.each([
    [{ tolerance: 0 }, 'search.tolerance'],
    [{ growth: 1 }, 'search.growth'],
    [{ minLevel: 5, maxLevel: 2 }, 'search.maxLevel'],
  ])('rejects %o', async (options, name) => {
    await expect(searchLevels(threshold(1), options)).rejects.toThrow(InvalidOptionError);
    await expect(searchLevels(threshold(1), options)).rejects.toThrow(name);
  });
});

describe('metricsMeetSlo', () => {
  const ok = (ttft: number, index: number) => ({
    index,
    warmup: false,
    status: 'ok' as const,
    sentMs: 0,
    firstTokenMs: ttft,
    tokenChunkMs: [ttft],
    endMs: ttft,
    maxTokens: 1,
    outputTokens: 1,
    usageReported: true,
  });
  const slo = { terms: [{ metric: 'ttft' as const, stat: 'p50' as const, maxMs: 100 }] };
  const metrics = computeRunMetrics([ok(50, 0), ok(60, 1), ok(500, 2)], { slo });

  it.each([
    ['terms', true],
    [{ minAttainment: 0.6 }, true],
    [{ minAttainment: 0.9 }, false],
  ] as const)('criterion %o -> %s', (criterion, expected) => {
    expect(metricsMeetSlo(metrics, slo, criterion)).toBe(expected);
  });

  it('fails on the error-rate bound and on empty runs', () => {
    expect(metricsMeetSlo({ ...metrics, errorRate: 0.2 }, { ...slo, maxErrorRate: 0.1 })).toBe(false);
    expect(metricsMeetSlo(computeRunMetrics([]), slo)).toBe(false);
  });
});
