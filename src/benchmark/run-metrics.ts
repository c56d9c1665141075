// Metrics of a run from its request records, per DESIGN.md "Metric definitions".
import { goodput } from '../slo/goodput.js';
import { mean, percentile } from '../slo/percentile.js';
import type { LatencyStats, RequestLatency, RunMetrics, SloSpec } from '../slo/types.js';
import type { RequestRecord } from './request-record.js';

/** Percentiles reported when none are asked for; p50, p90, p95 and p99 are always reported. */
export const DEFAULT_PERCENTILES: readonly number[] = [50, 90, 95, 99];

/**
 * Latencies of one request, all in ms from the moment its body was handed to the socket:
 * - TTFT: to the first chunk that carries a generated token, even one with empty text;
 * - E2E: to the last byte (the `[DONE]` event);
 * - TPOT: (E2E - TTFT) / (output tokens - 1), undefined for outputs of one token (the first token is excluded,
 *   as vLLM, SGLang and genai-bench do); output tokens come from the server's usage when it reports them;
 * - ITL: the gaps between consecutive token chunks.
 * A request that did not succeed has only `ok: false`.
 */
export function requestLatency(record: RequestRecord): RequestLatency & { itlMs: number[] } {
  if (record.status !== 'ok') return { ok: false, itlMs: [] };
  const e2eMs = record.endMs - record.sentMs;
  const ttftMs = record.firstTokenMs === undefined ? undefined : record.firstTokenMs - record.sentMs;
  const output = record.outputTokens ?? record.tokenChunkMs.length;
  const tpotMs = ttftMs !== undefined && output > 1 ? (e2eMs - ttftMs) / (output - 1) : undefined;
  const itlMs: number[] = [];
  const chunks = record.tokenChunkMs;
  for (let i = 1; i < chunks.length; i++) itlMs.push((chunks[i] as number) - (chunks[i - 1] as number));
  return { ok: true, ttftMs, tpotMs, e2eMs, itlMs };
}

/** Key of a percentile in LatencyStats: 99 -> `p99`, 99.9 -> `p99.9`. */
export const percentileKey = (q: number): string => `p${q}`;

/**
 * Mean and percentiles (linear interpolation between closest ranks, as NumPy and vLLM) of one metric over the
 * whole run; every statistic is `undefined` for an empty sample, never 0.
 */
export function summarize(
  values: readonly number[],
  percentiles: readonly number[] = DEFAULT_PERCENTILES,
): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  const stats: LatencyStats = {
    mean: mean(sorted),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
  for (const q of percentiles) stats[percentileKey(q)] = percentile(sorted, q);
  return stats;
}

/** The measured window of a run: first send to last end over non-warm-up, non-cancelled requests. */
export function measuredWindowMs(
  records: readonly RequestRecord[],
): { startMs: number; endMs: number } | undefined {
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    if (r.warmup || r.status === 'canceled') continue;
    startMs = Math.min(startMs, r.sentMs);
    endMs = Math.max(endMs, r.endMs);
  }
  return Number.isFinite(startMs) ? { startMs, endMs } : undefined;
}

/**
 * RunMetrics of the measured requests (warm-up and cancelled ones excluded). Percentiles come from every
 * request of this run (ITL gaps pooled over requests). Rates divide by the measured window; token rates count
 * successful requests only. Errors count in `errorRate` and as SLO misses for goodput and attainment.
 */
export function computeRunMetrics(
  records: readonly RequestRecord[],
  options: { slo?: SloSpec | undefined; percentiles?: readonly number[] | undefined } = {},
): RunMetrics {
  const measured = records.filter((r) => !r.warmup && r.status !== 'canceled');
  const latencies = measured.map(requestLatency);
  const ok = measured.filter((r) => r.status === 'ok');
  const window = measuredWindowMs(measured);
  const durationS = window ? (window.endMs - window.startMs) / 1000 : 0;
  const perS = (n: number): number => (durationS > 0 ? n / durationS : 0);
  const collect = (pick: (l: RequestLatency) => number | undefined): number[] =>
    latencies.map(pick).filter((v): v is number => v !== undefined);
  let inputTokens = 0;
  let outputTokens = 0;
  for (const r of ok) {
    inputTokens += r.promptTokens ?? 0;
    outputTokens += r.outputTokens ?? 0;
  }
  const percentiles = options.percentiles ?? DEFAULT_PERCENTILES;
  const metrics: RunMetrics = {
    ttftMs: summarize(
      collect((l) => l.ttftMs),
      percentiles,
    ),
    tpotMs: summarize(
      collect((l) => l.tpotMs),
      percentiles,
    ),
    itlMs: summarize(
      latencies.flatMap((l) => l.itlMs),
      percentiles,
    ),
    e2eMs: summarize(
      collect((l) => l.e2eMs),
      percentiles,
    ),
    requestsPerS: perS(ok.length),
    inputTokensPerS: perS(inputTokens),
    outputTokensPerS: perS(outputTokens),
    totalTokensPerS: perS(inputTokens + outputTokens),
    errorRate: measured.length === 0 ? 0 : (measured.length - ok.length) / measured.length,
    requestCount: measured.length,
  };
  if (options.slo !== undefined && durationS > 0) {
    const g = goodput(latencies, options.slo, durationS);
    metrics.goodputRps = g.goodputRps;
    metrics.attainment = g.attainment;
  }
  return metrics;
}
