// The result of one benchmark run: RunMetrics for scoring plus everything needed to audit or recompute them.
import type { RunMetrics } from '../slo/types.js';
import type { ClientLoadReport } from './client-guard.js';
import type { LoadSpec } from './load-spec.js';
import type { RequestRecord } from './request-record.js';

/** How well the workload's intended prompt lengths matched the server's reported usage. */
export interface PromptTokenCheck {
  /** Requests with both an intended length and a reported one. */
  compared: number;
  /** Of those, how many differed. */
  mismatched: number;
  /** Largest absolute difference in tokens (0 when none were compared). */
  maxAbsErrorTokens: number;
}

/** One benchmark run. */
export interface BenchmarkResult {
  /** Metrics of the measured requests (warm-up and cancelled excluded). */
  metrics: RunMetrics;
  /** Every request, warm-up included, in completion order. */
  records: RequestRecord[];
  /** Wall-clock epoch ms of the run clock's zero (records' times are relative to it). */
  startedAtWallMs: number;
  /** Measured window on the run clock (first measured send to last measured end). */
  measuredWindowMs: { startMs: number; endMs: number } | undefined;
  /** Length of the measured window in seconds (the denominator of every rate). */
  durationS: number;
  counts: { ok: number; error: number; canceled: number; warmup: number };
  /** True when the client, not the server, set the pace (see `client.reasons`); treat the numbers with care. */
  clientLimited: boolean;
  /** True when `stopWhen` ended the run before its stop rule did. */
  stoppedEarly: boolean;
  client: ClientLoadReport;
  promptTokenCheck: PromptTokenCheck;
  /** The most frequent error texts of measured requests, most frequent first (at most 5). */
  errorSamples: { error: string; count: number }[];
  load: LoadSpec;
  workload: string;
}

/** Compares intended prompt lengths with the server's usage. */
export function checkPromptTokens(records: readonly RequestRecord[]): PromptTokenCheck {
  let compared = 0;
  let mismatched = 0;
  let maxAbsErrorTokens = 0;
  for (const r of records) {
    if (!r.usageReported || r.expectedPromptTokens === undefined || r.promptTokens === undefined) continue;
    compared++;
    const diff = Math.abs(r.promptTokens - r.expectedPromptTokens);
    if (diff > 0) mismatched++;
    maxAbsErrorTokens = Math.max(maxAbsErrorTokens, diff);
  }
  return { compared, mismatched, maxAbsErrorTokens };
}

/** Counts error texts of measured failed requests. */
export function sampleErrors(records: readonly RequestRecord[]): { error: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (r.warmup || r.status !== 'error') continue;
    const key = r.error ?? 'unknown error';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([error, count]) => ({ error, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, 5);
}
