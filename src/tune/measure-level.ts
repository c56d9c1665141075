// One load level of a trial, stopped early once the requests measured so far prove the SLO lost.
import type { BenchmarkOptions } from '../benchmark/benchmark-options.js';
import type { RequestRecord } from '../benchmark/request-record.js';
import { runBenchmark } from '../benchmark/run-benchmark.js';
import { computeRunMetrics, requestLatency } from '../benchmark/run-metrics.js';
import type { RequestLatency, RunMetrics } from '../slo/types.js';
import type { TrialContext } from './evaluator.js';
import { rescaleMetrics } from './rescale.js';

/** Measurements of one level; `pruned` when it was cut short because its SLO was already lost. */
export interface LevelResult {
  metrics: RunMetrics;
  pruned: boolean;
  /** Requests sent by the level (warm-up included), for the next level's fresh prompts. */
  requestsSent: number;
}

function scaled(latency: RequestLatency, timeScale: number): RequestLatency {
  if (timeScale === 1) return latency;
  const times = (v: number | undefined) => (v === undefined ? undefined : v * timeScale);
  return {
    ok: latency.ok,
    ttftMs: times(latency.ttftMs),
    tpotMs: times(latency.tpotMs),
    e2eMs: times(latency.e2eMs),
    itlMs: latency.itlMs?.map((v) => v * timeScale),
  };
}

/** Runs one level; latencies and rates come back in simulated real time (`timeScale` undone). */
export async function measureLevel(
  options: BenchmarkOptions,
  ctx: TrialContext,
  timeScale: number,
): Promise<LevelResult> {
  const planned = options.stop.maxRequests ?? Number.POSITIVE_INFINITY;
  const measured: RequestRecord[] = [];
  const done: RequestLatency[] = [];
  const prune = new AbortController();
  let sent = 0;
  const onRecord = (record: RequestRecord) => {
    sent++;
    if (record.warmup || prune.signal.aborted) return;
    measured.push(record);
    if (!ctx.shouldPrune || !Number.isFinite(planned)) return;
    done.push(scaled(requestLatency(record), timeScale));
    if (ctx.shouldPrune(done, planned)) prune.abort(new Error('SLO lost beyond doubt'));
  };
  try {
    const result = await runBenchmark(
      { ...options, onRecord },
      { signal: AbortSignal.any([ctx.signal, prune.signal]) },
    );
    return { metrics: rescaleMetrics(result.metrics, timeScale), pruned: false, requestsSent: sent };
  } catch (error) {
    if (ctx.signal.aborted || !prune.signal.aborted) throw error;
    const metrics = computeRunMetrics(measured, { slo: options.slo });
    return { metrics: rescaleMetrics(metrics, timeScale), pruned: true, requestsSent: sent };
  }
}
