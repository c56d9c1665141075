import type { LatencyStats, RunMetrics } from '../../../src/slo/types.js';

/** Latency statistics with every entry 1 ms unless overridden. */
export function stats(values: Partial<LatencyStats> = {}): LatencyStats {
  return { mean: 1, p50: 1, p90: 1, p95: 1, p99: 1, ...values };
}

/** A run's metrics with small latencies and round rates unless overridden. */
export function runMetrics(overrides: Partial<RunMetrics> = {}): RunMetrics {
  return {
    ttftMs: stats(),
    tpotMs: stats(),
    itlMs: stats(),
    e2eMs: stats(),
    requestsPerS: 4,
    inputTokensPerS: 2000,
    outputTokensPerS: 1000,
    totalTokensPerS: 3000,
    errorRate: 0,
    requestCount: 100,
    ...overrides,
  };
}
