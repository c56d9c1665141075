// One load level of a trial, stopped early once the requests measured so far prove the SLO lost.
import type { BenchmarkOptions } from '../benchmark/benchmark-options.js';
import type { RequestRecord } from '../benchmark/request-record.js';
import { runBenchmark } from '../benchmark/run-benchmark.js';
import { requestLatency } from '../benchmark/run-metrics.js';
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

/** A request's latencies in simulated real time: the server ran `timeScale` times faster. */
export function scaled(latency: RequestLatency, timeScale: number): RequestLatency {
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

/**
 * A `stopWhen` for a run of `planned` measured requests: true once the records so far prove the SLO lost
 * (`provenLost` judges latencies in simulated real time). Undefined when there is nothing to judge with.
 */
export function stopOnceLost(
  provenLost: ((done: readonly RequestLatency[], planned: number) => boolean) | undefined,
  planned: number | undefined,
  timeScale: number,
): ((record: RequestRecord) => boolean) | undefined {
  if (!provenLost || planned === undefined || !Number.isFinite(planned)) return undefined;
  const done: RequestLatency[] = [];
  return (record) => {
    done.push(scaled(requestLatency(record), timeScale));
    return provenLost(done, planned);
  };
}

/** Runs one level; latencies and rates come back in simulated real time (`timeScale` undone). */
export async function measureLevel(
  options: BenchmarkOptions,
  ctx: TrialContext,
  timeScale: number,
): Promise<LevelResult> {
  const stopWhen = stopOnceLost(ctx.shouldPrune, options.stop.maxRequests, timeScale);
  const result = await runBenchmark(
    { ...options, ...(stopWhen ? { stopWhen } : {}) },
    { signal: ctx.signal },
  );
  return {
    metrics: rescaleMetrics(result.metrics, timeScale),
    pruned: result.stoppedEarly,
    requestsSent: result.records.length,
  };
}
