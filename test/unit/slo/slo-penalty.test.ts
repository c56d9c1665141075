import { describe, expect, it } from 'vitest';
import { sloPenalty } from '../../../src/slo/slo-penalty.js';
import type { LatencyMetrics, LatencyStats, RunMetrics, SloSpec } from '../../../src/slo/types.js';

function stats(values: Partial<LatencyStats> = {}): LatencyStats {
  return { mean: 1, p50: 1, p90: 1, p95: 1, p99: 1, ...values };
}

function metrics(e2e: Partial<LatencyStats> = {}, ttft: Partial<LatencyStats> = {}): LatencyMetrics {
  return { ttftMs: stats(ttft), tpotMs: stats(), itlMs: stats(), e2eMs: stats(e2e) };
}

describe('sloPenalty parity with the original autotuner', () => {
  it.each<[string, LatencyMetrics, SloSpec, number, boolean]>([
    [
      'p50 2.2 vs 2.0, weight 1',
      metrics({ p50: 2.2 }),
      { terms: [{ metric: 'e2e', stat: 'p50', maxMs: 2.0 }] },
      3.7182818284590478,
      false,
    ],
    [
      'p90 6.25 vs 5, weight 2, hard fail at 0.3 (not hard)',
      metrics({ p90: 6.25 }),
      { terms: [{ metric: 'e2e', stat: 'p90', maxMs: 5, weight: 2, hardFail: true, failRatio: 0.3 }] },
      25.364987921406946,
      false,
    ],
    [
      'p90 6.5 vs 5, hard fail at 0.2',
      metrics({ p90: 6.5 }),
      { terms: [{ metric: 'e2e', stat: 'p90', maxMs: 5, hardFail: true, failRatio: 0.2 }] },
      1,
      true,
    ],
    ['no violations', metrics(), { terms: [{ metric: 'e2e', stat: 'p99', maxMs: 5 }] }, 1.0, false],
    ['no terms', metrics(), { terms: [] }, 1.0, false],
  ])('%s', (_name, m, slo, multiplier, hardFail) => {
    const result = sloPenalty(m, slo);
    expect(result.multiplier).toBe(multiplier);
    expect(result.hardFail).toBe(hardFail);
  });
});

describe('sloPenalty rules', () => {
  it('reports each violation with its relative excess and severity', () => {
    const result = sloPenalty(metrics({ p99: 130 }, { p50: 110 }), {
      terms: [
        { metric: 'e2e', stat: 'p99', maxMs: 100 },
        { metric: 'ttft', stat: 'p50', maxMs: 100 },
        { metric: 'ttft', stat: 'p90', maxMs: 100 },
      ],
    });
    expect(result.violations).toHaveLength(2);
    const [e2e, ttft] = result.violations;
    expect(e2e).toMatchObject({
      metric: 'e2e',
      stat: 'p99',
      actual: 130,
      threshold: 100,
      severity: 'severe',
    });
    expect(e2e?.relativeExcess).toBeCloseTo(0.3, 12);
    expect(ttft).toMatchObject({
      metric: 'ttft',
      stat: 'p50',
      severity: 'minor',
      judged: true,
      hardFail: false,
    });
    expect(result.multiplier).toBeCloseTo(1 + Math.exp(3) + Math.exp(1), 9);
  });

  it.each<[number, 'minor' | 'severe']>([
    [1.2, 'minor'],
    [1.2000001, 'severe'],
    [1.05, 'minor'],
  ])('actual %f against 1 is %s (severe strictly above 0.2)', (actual, severity) => {
    const result = sloPenalty(metrics({ mean: actual }), {
      terms: [{ metric: 'e2e', stat: 'mean', maxMs: 1 }],
    });
    expect(result.violations[0]?.severity).toBe(severity);
  });

  it('hard fail is strict: r equal to failRatio is a soft violation', () => {
    const result = sloPenalty(metrics({ p90: 6 }), {
      terms: [{ metric: 'e2e', stat: 'p90', maxMs: 5, hardFail: true, failRatio: 0.2 }],
    });
    expect(result.hardFail).toBe(false);
    expect(result.multiplier).toBeGreaterThan(1);
  });

  it('steepness changes the penalty', () => {
    const slo: SloSpec = { steepness: 0.2, terms: [{ metric: 'e2e', stat: 'p50', maxMs: 2 }] };
    expect(sloPenalty(metrics({ p50: 2.2 }), slo).multiplier).toBeCloseTo(1 + Math.exp(0.5), 12);
  });

  it('an undefined statistic is an unjudged violation that fails the trial', () => {
    const m = metrics();
    m.tpotMs = stats({ p99: undefined });
    const result = sloPenalty(m, { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 50 }] });
    expect(result.hardFail).toBe(true);
    expect(result.violations[0]).toMatchObject({ metric: 'tpot', judged: false, severity: 'severe' });
  });

  it('an error rate above maxErrorRate fails the trial when the metrics carry it', () => {
    const run: RunMetrics = {
      ...metrics(),
      requestsPerS: 1,
      inputTokensPerS: 1,
      outputTokensPerS: 1,
      totalTokensPerS: 2,
      errorRate: 0.1,
      requestCount: 10,
    };
    expect(sloPenalty(run, { terms: [], maxErrorRate: 0.05 })).toMatchObject({
      hardFail: true,
      multiplier: 1,
    });
    expect(sloPenalty(run, { terms: [], maxErrorRate: 0.1 }).hardFail).toBe(false);
    expect(sloPenalty(run, { terms: [], maxErrorRate: 0 }).violations[0]).toMatchObject({
      metric: 'error_rate',
      relativeExcess: Number.POSITIVE_INFINITY,
    });
  });
});
