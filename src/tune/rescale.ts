// Converts measurements of a time-scaled simulator (k times faster than real time) back to simulated real time.
import type { LatencyStats, RunMetrics, SloSpec } from '../slo/types.js';

function scaleStats(stats: LatencyStats, factor: number): LatencyStats {
  const out: LatencyStats = {
    mean: undefined,
    p50: undefined,
    p90: undefined,
    p95: undefined,
    p99: undefined,
  };
  for (const [key, value] of Object.entries(stats))
    out[key] = value === undefined ? undefined : value * factor;
  return out;
}

/** Latencies multiplied by `timeScale`, rates divided by it; identity for a time scale of 1. */
export function rescaleMetrics(metrics: RunMetrics, timeScale: number): RunMetrics {
  if (timeScale === 1) return metrics;
  return {
    ...metrics,
    ttftMs: scaleStats(metrics.ttftMs, timeScale),
    tpotMs: scaleStats(metrics.tpotMs, timeScale),
    itlMs: scaleStats(metrics.itlMs, timeScale),
    e2eMs: scaleStats(metrics.e2eMs, timeScale),
    requestsPerS: metrics.requestsPerS / timeScale,
    inputTokensPerS: metrics.inputTokensPerS / timeScale,
    outputTokensPerS: metrics.outputTokensPerS / timeScale,
    totalTokensPerS: metrics.totalTokensPerS / timeScale,
    ...(metrics.goodputRps !== undefined ? { goodputRps: metrics.goodputRps / timeScale } : {}),
  };
}

/** An SLO whose thresholds are divided by `timeScale`, for judging requests measured on the fast clock. */
export function scaleSlo(slo: SloSpec | undefined, timeScale: number): SloSpec | undefined {
  if (!slo || timeScale === 1) return slo;
  return { ...slo, terms: slo.terms.map((term) => ({ ...term, maxMs: term.maxMs / timeScale })) };
}
