import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src/benchmark/request-record.js';
import { computeRunMetrics, requestLatency, summarize } from '../../../src/benchmark/run-metrics.js';

function record(overrides: Partial<RequestRecord>): RequestRecord {
  return {
    index: 0,
    warmup: false,
    status: 'ok',
    sentMs: 0,
    tokenChunkMs: [],
    endMs: 0,
    maxTokens: 4,
    usageReported: true,
    ...overrides,
  };
}

describe('requestLatency', () => {
  it.each([
    // chunks, end, output tokens -> ttft, tpot, itl
    ['one token per chunk', [100, 110, 130, 160], 160, 4, 100, 20, [10, 20, 30]],
    ['usage says more tokens than chunks', [100, 140], 140, 5, 100, 10, [40]],
    ['one-token output', [50], 60, 1, 50, undefined, []],
    ['no token chunk at all', [], 60, 0, undefined, undefined, []],
  ])('%s', (_name, chunks, endMs, outputTokens, ttft, tpot, itl) => {
    const l = requestLatency(record({ tokenChunkMs: chunks, firstTokenMs: chunks[0], endMs, outputTokens }));
    expect(l.ttftMs).toBe(ttft);
    expect(l.tpotMs).toBe(tpot);
    expect(l.itlMs).toEqual(itl);
    expect(l.e2eMs).toBe(endMs);
  });

  it('a failed request has no latencies', () => {
    expect(requestLatency(record({ status: 'error', tokenChunkMs: [5], firstTokenMs: 5, endMs: 9 }))).toEqual(
      {
        ok: false,
        itlMs: [],
      },
    );
  });
});

describe('summarize', () => {
  it('interpolates percentiles between closest ranks and adds asked-for ones', () => {
    const stats = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [50, 99.9]);
    expect(stats.mean).toBe(5.5);
    expect(stats.p50).toBe(5.5);
    expect(stats.p90).toBeCloseTo(9.1, 9);
    expect(stats['p99.9']).toBeCloseTo(9.991, 9);
  });

  it('is undefined, never 0, for an empty sample', () => {
    expect(summarize([], [99.9])).toEqual({
      mean: undefined,
      p50: undefined,
      p90: undefined,
      p95: undefined,
      p99: undefined,
      'p99.9': undefined,
    });
  });
});

describe('computeRunMetrics', () => {
  const records = [
    record({
      index: 0,
      warmup: true,
      sentMs: 0,
      endMs: 1_000,
      firstTokenMs: 900,
      tokenChunkMs: [900],
      outputTokens: 1,
    }),
    record({
      index: 1,
      sentMs: 1_000,
      firstTokenMs: 1_100,
      tokenChunkMs: [1_100, 1_120],
      endMs: 1_120,
      promptTokens: 10,
      outputTokens: 2,
    }),
    record({
      index: 2,
      sentMs: 1_500,
      firstTokenMs: 1_800,
      tokenChunkMs: [1_800, 1_840],
      endMs: 1_840,
      promptTokens: 10,
      outputTokens: 2,
    }),
    record({ index: 3, status: 'error', sentMs: 2_000, endMs: 3_000 }),
    record({ index: 4, status: 'canceled', sentMs: 2_500, endMs: 9_000 }),
  ];

  it('excludes warm-up and cancelled requests; percentiles pool every measured request', () => {
    const m = computeRunMetrics(records);
    expect(m.requestCount).toBe(3);
    expect(m.errorRate).toBeCloseTo(1 / 3, 12);
    expect(m.ttftMs.mean).toBe(200);
    expect(m.itlMs.mean).toBe(30);
    expect(m.tpotMs.mean).toBe(30);
    // Window 1000..3000 ms = 2 s; only successful requests' tokens count.
    expect(m.requestsPerS).toBe(1);
    expect(m.inputTokensPerS).toBe(10);
    expect(m.outputTokensPerS).toBe(2);
    expect(m.totalTokensPerS).toBe(12);
    expect(m.goodputRps).toBeUndefined();
  });

  it('computes goodput and attainment with the SLO module, errors as misses', () => {
    const m = computeRunMetrics(records, { slo: { terms: [{ metric: 'ttft', stat: 'p99', maxMs: 250 }] } });
    expect(m.attainment).toBeCloseTo(1 / 3, 12);
    expect(m.goodputRps).toBe(0.5);
  });

  it('gives zero rates and undefined latencies without measured requests', () => {
    const m = computeRunMetrics([]);
    expect(m).toMatchObject({ requestCount: 0, errorRate: 0, requestsPerS: 0 });
    expect(m.e2eMs.p50).toBeUndefined();
  });
});
