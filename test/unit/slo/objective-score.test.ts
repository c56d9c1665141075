import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import type { Objective } from '../../../src/slo/objective.js';
import { objectiveBase, objectiveScore, objectiveValue } from '../../../src/slo/objective-score.js';
import type { SloSpec } from '../../../src/slo/types.js';
import { runMetrics, stats } from './fixtures.js';

const p50Slo: SloSpec = { terms: [{ metric: 'e2e', stat: 'p50', maxMs: 2.0 }] };

describe('objectiveScore parity with the original autotuner', () => {
  it('minimize_latency with mean 2.2 and p50 2.2 over 2.0 scores 8.180220022609905', () => {
    const metrics = runMetrics({ e2eMs: stats({ mean: 2.2, p50: 2.2 }) });
    expect(objectiveScore(metrics, 'minimize_latency', p50Slo)).toBe(8.180220022609905);
  });

  it('no violation leaves the base unchanged', () => {
    const metrics = runMetrics({ e2eMs: stats({ mean: 2.2, p50: 1.9 }) });
    expect(objectiveScore(metrics, 'minimize_latency', p50Slo)).toBe(2.2);
  });

  it('a hard fail scores Infinity for minimised and maximised objectives alike', () => {
    const hard: SloSpec = {
      terms: [{ metric: 'e2e', stat: 'p90', maxMs: 5, hardFail: true, failRatio: 0.2 }],
    };
    const metrics = runMetrics({ e2eMs: stats({ p90: 6.5 }) });
    expect(objectiveScore(metrics, 'minimize_latency', hard)).toBe(Number.POSITIVE_INFINITY);
    expect(objectiveScore(metrics, 'maximize_throughput', hard)).toBe(Number.POSITIVE_INFINITY);
  });

  it('maximize_throughput: base is minus output tok/s, the penalty moves it toward worse', () => {
    const metrics = runMetrics({ outputTokensPerS: 1000, e2eMs: stats({ p50: 2.2 }) });
    expect(objectiveScore(metrics, 'maximize_throughput')).toBe(-1000);
    const penalised = objectiveScore(metrics, 'maximize_throughput', p50Slo);
    expect(penalised).toBe(-1000 + 2.7182818284590478 * 1000);
    expect(penalised).toBeGreaterThan(-1000);
  });
});

describe('objective values', () => {
  const metrics = runMetrics({
    ttftMs: stats({ mean: 120, p99: 400 }),
    tpotMs: stats({ mean: 15 }),
    e2eMs: stats({ mean: 2000 }),
    outputTokensPerS: 3600,
    totalTokensPerS: 9000,
    requestsPerS: 8,
    goodputRps: 6,
  });
  const context = { worldSize: 4 };

  it.each<[string, Objective, number | undefined, number]>([
    ['minimize_latency (mean E2E)', 'minimize_latency', 2000, 2000],
    ['minimize_ttft (mean)', 'minimize_ttft', 120, 120],
    ['minimize_tpot (mean)', 'minimize_tpot', 15, 15],
    ['maximize_throughput (output tok/s)', 'maximize_throughput', 3600, -3600],
    ['maximize_total_throughput', 'maximize_total_throughput', 9000, -9000],
    ['maximize_goodput', 'maximize_goodput', 6, -6],
    ['output throughput', { kind: 'throughput' }, 3600, -3600],
    ['total throughput per GPU', { kind: 'throughput', tokens: 'total', perGpu: true }, 2250, -2250],
    ['requests per second', { kind: 'throughput', tokens: 'requests' }, 8, -8],
    ['goodput per GPU', { kind: 'goodput', perGpu: true }, 1.5, -1.5],
    ['p99 TTFT', { kind: 'latency', metric: 'ttft', stat: 'p99' }, 400, 400],
    // 2 USD/h x 4 GPUs = 8 USD/h = 1/450 USD/s; / 3600 tok/s * 1e6
    [
      'cost per million output tokens',
      { kind: 'cost', gpuHourlyPriceUsd: 2 },
      (8 / 3600 / 3600) * 1e6,
      (8 / 3600 / 3600) * 1e6,
    ],
    [
      'weighted sum of minimised forms',
      {
        kind: 'weighted',
        terms: [
          { objective: 'maximize_throughput', weight: 1 },
          { objective: { kind: 'latency', metric: 'ttft', stat: 'p99' }, weight: 2 },
        ],
      },
      -3600 + 800,
      -3600 + 800,
    ],
  ])('%s', (_name, objective, value, base) => {
    const actual = objectiveValue(metrics, objective, context);
    if (value === undefined) expect(actual).toBeUndefined();
    else expect(actual).toBeCloseTo(value, 9);
    expect(objectiveBase(metrics, objective, context)).toBeCloseTo(base, 9);
  });

  it('a CPU run counts as one device for per-GPU figures and costs nothing in GPU hours', () => {
    const cpu = { worldSize: 0 };
    expect(objectiveValue(metrics, { kind: 'throughput', perGpu: true }, cpu)).toBe(3600);
    expect(objectiveValue(metrics, { kind: 'cost', gpuHourlyPriceUsd: 2 }, cpu)).toBe(0);
  });

  it.each<[string, Objective]>([
    ['per-GPU throughput', { kind: 'throughput', perGpu: true }],
    ['cost', { kind: 'cost', gpuHourlyPriceUsd: 2 }],
  ])('%s needs the world size', (_name, objective) => {
    expect(() => objectiveValue(metrics, objective)).toThrow(InvalidOptionError);
    expect(() => objectiveValue(metrics, objective, { worldSize: 1.5 })).toThrow(/worldSize/);
  });

  it.each<[string, Objective, Partial<Parameters<typeof runMetrics>[0]>]>([
    ['goodput without an SLO', { kind: 'goodput' }, { goodputRps: undefined }],
    ['maximize_goodput without an SLO', 'maximize_goodput', { goodputRps: undefined }],
    ['TPOT of one-token outputs', 'minimize_tpot', { tpotMs: stats({ mean: undefined }) }],
    ['cost of a run without output', { kind: 'cost', gpuHourlyPriceUsd: 2 }, { outputTokensPerS: 0 }],
    [
      'weighted with an undefined term',
      { kind: 'weighted', terms: [{ objective: 'minimize_tpot', weight: 1 }] },
      { tpotMs: stats({ mean: undefined }) },
    ],
  ])('%s cannot be computed and scores Infinity', (_name, objective, overrides) => {
    const m = runMetrics(overrides);
    expect(objectiveValue(m, objective, { worldSize: 1 })).toBeUndefined();
    expect(objectiveScore(m, objective, undefined, { worldSize: 1 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('objectiveScore vector form', () => {
  it('scores each objective with the same penalty', () => {
    const metrics = runMetrics({ e2eMs: stats({ mean: 2.2, p50: 2.2 }), outputTokensPerS: 100 });
    const scores = objectiveScore(metrics, ['minimize_latency', 'maximize_throughput'], p50Slo);
    expect(scores).toEqual([8.180220022609905, -100 + 2.7182818284590478 * 100]);
  });

  it('a hard fail makes every entry Infinity', () => {
    const metrics = runMetrics({ errorRate: 0.5 });
    expect(
      objectiveScore(metrics, ['minimize_ttft', { kind: 'throughput' }], { terms: [], maxErrorRate: 0.1 }),
    ).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });
});
