// Fixtures of the study-loop tests: idle GPUs, run metrics with flat latency statistics, a throughput scorer.
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
import type { RunMetrics } from '../../../src/slo/types.js';
import type { Scorer } from '../../../src/tune/scorer.js';

/** `count` idle GPUs of one model. */
export function idleGpus(count: number, name: string, memoryMiB: number): GpuInfo[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    uuid: `GPU-${index}`,
    name,
    memoryTotalMiB: memoryMiB,
    memoryUsedMiB: 0,
    memoryFreeMiB: memoryMiB,
    utilizationPct: 0,
    processes: [],
  }));
}

/** Latency statistics that are all `v`. */
export const flatStats = (v: number) => ({ mean: v, p50: v, p90: v, p95: v, p99: v });

/** Metrics of a run at `throughput` output tok/s (TTFT 10 ms, TPOT 5 ms unless given). */
export function runMetrics(
  throughput: number,
  latency: { ttftMs?: number; tpotMs?: number } = {},
): RunMetrics {
  const tpot = latency.tpotMs ?? 5;
  return {
    ttftMs: flatStats(latency.ttftMs ?? 10),
    tpotMs: flatStats(tpot),
    itlMs: flatStats(tpot),
    e2eMs: flatStats(100),
    requestsPerS: 1,
    inputTokensPerS: 1,
    outputTokensPerS: throughput,
    totalTokensPerS: throughput + 1,
    errorRate: 0,
    requestCount: 10,
  };
}

/** Maximises output throughput; every measurement is feasible. */
export const throughputScorer: Scorer = {
  objectiveNames: ['throughput'],
  directions: ['maximize'],
  score: (m) => ({
    values: [-m.outputTokensPerS],
    constraints: [],
    objective: [m.outputTokensPerS],
    penalty: 1,
    feasible: true,
  }),
  provenLost: () => false,
};
