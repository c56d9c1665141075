import { describe, expect, it } from 'vitest';
import type { RequestLatency, SloTerm } from '../../../src/slo/types.js';
import { createScorer, termProvenBroken } from '../../../src/tune/create-scorer.js';
import { maxItlGaps } from '../../../src/tune/measure-level.js';

const ok = (ttftMs: number, e2eMs = 1000): RequestLatency => ({ ok: true, ttftMs, e2eMs, tpotMs: 10 });
const p99ttft: SloTerm = { metric: 'ttft', stat: 'p99', maxMs: 100 };

describe('termProvenBroken', () => {
  it.each([
    ['p99 of 100 planned: 1 slow request proves nothing', [ok(500)], 100, p99ttft, false],
    ['p99 of 100 planned: 2 slow requests prove the p99 broken', [ok(500), ok(400)], 100, p99ttft, true],
    [
      'p50 of 10 planned: 6 slow prove it',
      Array.from({ length: 6 }, () => ok(200)),
      10,
      { ...p99ttft, stat: 'p50' },
      true,
    ],
    [
      'p50 of 10 planned: 5 slow do not (the median may interpolate below)',
      Array.from({ length: 5 }, () => ok(200)),
      10,
      { ...p99ttft, stat: 'p50' },
      false,
    ],
    [
      'mean: known sum already above N x threshold',
      [ok(600), ok(500)],
      10,
      { ...p99ttft, stat: 'mean' },
      true,
    ],
    ['mean: not yet', [ok(600), ok(300)], 10, { ...p99ttft, stat: 'mean' }, false],
    [
      'itl without a bound on the gaps is never judged early',
      [ok(1e9)],
      1,
      { ...p99ttft, metric: 'itl' },
      false,
    ],
  ] as const)('%s', (_name, done, planned, term, expected) => {
    expect(termProvenBroken(done, planned, term as SloTerm)).toBe(expected);
  });

  it('judges ITL, pooled over gaps, against the most gaps the run can produce', () => {
    const p90itl: SloTerm = { metric: 'itl', stat: 'p90', maxMs: 20 };
    const gaps = (...itlMs: number[]): RequestLatency => ({ ok: true, ttftMs: 1, itlMs });
    // 10 requests of at most 10 tokens: at most 90 gaps; p90 of 90 breaks once 90 - floor(0.9 x 89) = 10 exceed.
    const bounds = { maxItlGaps: () => 90 };
    const slow9 = [gaps(50, 50, 50, 50, 50, 50, 50, 50, 50)];
    expect(termProvenBroken(slow9, 10, p90itl, bounds)).toBe(false);
    expect(termProvenBroken([...slow9, gaps(50, 5)], 10, p90itl, bounds)).toBe(true);
    expect(termProvenBroken([...slow9, gaps(50, 5)], 10, p90itl)).toBe(false);
    // Mean over at most 90 gaps: a known sum above 90 x 20 ms proves it.
    const mean: SloTerm = { ...p90itl, stat: 'mean' };
    expect(termProvenBroken([gaps(1000, 801)], 10, mean, bounds)).toBe(true);
    expect(termProvenBroken([gaps(1000, 799)], 10, mean, bounds)).toBe(false);
    // Failed requests add no gaps; more gaps than the bound (a server ignoring max_tokens) count as they are.
    expect(termProvenBroken([{ ok: false }], 10, p90itl, bounds)).toBe(false);
    const many = [gaps(...Array.from({ length: 200 }, () => 30))];
    expect(termProvenBroken(many, 10, p90itl, bounds)).toBe(true);
  });

  it('agrees with the final percentile once every request is in', () => {
    // With all 100 values known, "proven" must equal "p99 > threshold" computed directly.
    for (let slow = 0; slow <= 5; slow++) {
      const done = Array.from({ length: 100 }, (_, i) => ok(i < slow ? 150 : 50));
      const sorted = done.map((r) => r.ttftMs as number).sort((a, b) => a - b);
      const pos = 0.99 * 99;
      const lo = sorted[Math.floor(pos)] as number;
      const hi = sorted[Math.ceil(pos)] as number;
      const p99 = lo + (hi - lo) * (pos - Math.floor(pos));
      expect(termProvenBroken(done, 100, p99ttft)).toBe(p99 > 100);
    }
  });
});

describe('createScorer', () => {
  it('proves an error-rate bound lost and labels objectives', () => {
    const scorer = createScorer('maximize_throughput', { terms: [], maxErrorRate: 0.05 });
    expect(scorer.directions).toEqual(['maximize']);
    expect(scorer.objectiveNames).toEqual(['maximize_throughput']);
    const failures: RequestLatency[] = Array.from({ length: 6 }, () => ({ ok: false }));
    expect(scorer.provenLost(failures.slice(0, 5), 100)).toBe(false);
    expect(scorer.provenLost(failures, 100)).toBe(true);
  });

  it('scores with the slo module and marks SLO breaches infeasible', () => {
    const stats = (v: number) => ({ mean: v, p50: v, p90: v, p95: v, p99: v });
    const metrics = {
      ttftMs: stats(150),
      tpotMs: stats(10),
      itlMs: stats(10),
      e2eMs: stats(1000),
      requestsPerS: 2,
      inputTokensPerS: 100,
      outputTokensPerS: 500,
      totalTokensPerS: 600,
      errorRate: 0,
      requestCount: 50,
    };
    const scorer = createScorer({ kind: 'throughput', perGpu: true }, { terms: [p99ttft] });
    const score = scorer.score(metrics, 2);
    expect(score.objective).toEqual([250]);
    expect(score.feasible).toBe(false);
    expect(score.constraints[0]).toBeCloseTo(0.5, 9);
    expect(createScorer('maximize_throughput', undefined).score(metrics, 1).feasible).toBe(true);
  });
});

describe('maxItlGaps', () => {
  it('sums max_tokens - 1 over the measured requests a run plans, after its offset and warm-up', () => {
    const workload = {
      name: 'w',
      request: (i: number) => ({ prompt: `p${i}`, maxTokens: i < 5 ? 100 : 10 }),
    };
    const base = {
      endpoint: 'http://127.0.0.1:1',
      model: 'm',
      workload,
      load: { kind: 'concurrency' as const, concurrency: 1 },
    };
    expect(maxItlGaps({ ...base, stop: { maxRequests: 3 } })).toBe(3 * 99);
    // Requests 0-1 warm up, 2-4 measured (99 gaps each), 5-6 measured (9 each).
    expect(maxItlGaps({ ...base, stop: { maxRequests: 5 }, warmupRequests: 2 })).toBe(3 * 99 + 2 * 9);
    expect(maxItlGaps({ ...base, stop: { maxRequests: 2 }, workloadOffset: 5 })).toBe(2 * 9);
  });
});
