// One load level of a trial, stopped early once the requests measured so far prove the SLO lost.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BenchmarkOptions } from '../benchmark/benchmark-options.js';
import { exportRecordsJsonl } from '../benchmark/export-records.js';
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
  /** Why the load generator, not the server, set the pace (empty when it did not). */
  clientLimited: string[];
  /** The most frequent request errors with their counts (empty when none failed). */
  errorSamples: { error: string; count: number }[];
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

/** Most inter-token gaps a run can produce: max_tokens - 1 summed over its planned measured requests. */
export function maxItlGaps(options: BenchmarkOptions): number {
  const planned = options.stop.maxRequests ?? 0;
  const first = (options.workloadOffset ?? 0) + (options.warmupRequests ?? 0);
  let gaps = 0;
  for (let i = 0; i < planned; i++) gaps += Math.max(0, options.workload.request(first + i).maxTokens - 1);
  return gaps;
}

/**
 * A `stopWhen` for the run `options` describes: true once its measured records prove the SLO lost
 * (`provenLost` judges latencies in simulated real time). Undefined when there is nothing to judge with or
 * the run has no planned request count.
 */
export function stopOnceLost(
  provenLost: TrialContext['shouldPrune'],
  options: BenchmarkOptions,
  timeScale: number,
): ((record: RequestRecord) => boolean) | undefined {
  const planned = options.stop.maxRequests;
  if (!provenLost || planned === undefined || !Number.isFinite(planned)) return undefined;
  const done: RequestLatency[] = [];
  let gaps: number | undefined;
  const bounds = {
    maxItlGaps: () => {
      gaps ??= maxItlGaps(options);
      return gaps;
    },
  };
  return (record) => {
    done.push(scaled(requestLatency(record), timeScale));
    return provenLost(done, planned, bounds);
  };
}

/**
 * Runs one level; latencies and rates come back in simulated real time (`timeScale` undone). With `recordsPath`
 * its raw request records (in the server's time) are written there as JSONL.
 */
export async function measureLevel(
  options: BenchmarkOptions,
  ctx: TrialContext,
  timeScale: number,
  recordsPath?: string,
): Promise<LevelResult> {
  const stopWhen = stopOnceLost(ctx.shouldPrune, options, timeScale);
  const result = await runBenchmark(
    { ...options, ...(stopWhen ? { stopWhen } : {}) },
    { signal: ctx.signal },
  );
  if (recordsPath !== undefined) {
    await mkdir(dirname(recordsPath), { recursive: true });
    await exportRecordsJsonl(result, recordsPath, { signal: ctx.signal });
  }
  return {
    metrics: rescaleMetrics(result.metrics, timeScale),
    pruned: result.stoppedEarly,
    requestsSent: result.records.length,
    clientLimited: result.clientLimited ? result.client.reasons : [],
    errorSamples: result.errorSamples,
  };
}
