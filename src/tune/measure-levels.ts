// Runs the study's benchmark against a ready server: each fixed load level, or a capacity search, and picks
// the level that represents the trial.

import { join } from 'node:path';
import type { BenchmarkOptions } from '../benchmark/benchmark-options.js';
import type { BenchmarkResult } from '../benchmark/benchmark-result.js';
import { capacitySearch, type ProbeRunner } from '../benchmark/capacity-search.js';
import type { LoadSpec } from '../benchmark/load-spec.js';
import { runBenchmark } from '../benchmark/run-benchmark.js';
import { InternalError, InvalidOptionError } from '../errors.js';
import type { RunMetrics } from '../slo/types.js';
import { defaultLogger, type LogSink } from '../util/logger.js';
import { createScorer } from './create-scorer.js';
import type { TrialContext } from './evaluator.js';
import { measureLevel, stopOnceLost } from './measure-level.js';
import { rescaleMetrics, scaleSlo } from './rescale.js';
import type { ResolvedOptions } from './resolve-options.js';
import { TelemetrySession, type TelemetrySettings, type TrialTelemetry } from './trial-telemetry.js';
import { buildWorkload } from './workload.js';

// The chosen level's summaries with every level's problems (each said once).
function representative(sampled: readonly TrialTelemetry[], chosen: number): TrialTelemetry {
  const out: TrialTelemetry = {};
  const engine = sampled[chosen]?.engine;
  if (engine) out.engine = engine;
  const problems = [...new Set(sampled.flatMap((t) => t.problems ?? []))];
  if (problems.length > 0) out.problems = problems;
  return out;
}

/** Measurements of one trial. */
export interface LevelMeasurements {
  /** The metrics that represent the trial (the best level under the objective and SLO). */
  metrics: RunMetrics;
  levels: Array<{ level: number; metrics: RunMetrics }>;
  pruned: boolean;
  /** Why the load generator, not the server, set the pace of some level, by level (empty when it never did). */
  clientLimited: string[];
  /** The most frequent request errors of the levels, with counts (empty when none failed). */
  errorSamples: { error: string; count: number }[];
  /** What the engine did during the representative level; problems of every level. */
  telemetry?: TrialTelemetry;
}

function loadsOf(resolved: ResolvedOptions): Array<{ level: number; load: LoadSpec }> {
  const load = resolved.options.load;
  if (load.kind === 'concurrency')
    return load.levels.map((level) => ({ level, load: { kind: 'concurrency', concurrency: level } }));
  if (load.kind === 'rate') {
    return load.levels.map((level) => ({
      level,
      load: {
        kind: 'rate',
        ratePerS: level,
        arrival: load.arrival,
        ...(load.burstiness !== undefined ? { burstiness: load.burstiness } : {}),
        ...(load.maxConcurrency !== undefined ? { maxConcurrency: load.maxConcurrency } : {}),
      },
    }));
  }
  return [];
}

/** Benchmarks a ready server as the study options say; latencies and rates come back in simulated real time. */
export async function measureLevels(
  resolved: ResolvedOptions,
  ctx: TrialContext,
  endpoint: string,
  timeScale: number,
  seed: number,
  logger: LogSink = defaultLogger(),
  telemetry?: TelemetrySettings,
  recordsDir?: string,
): Promise<LevelMeasurements> {
  const { options, slo, objective } = resolved;
  const workload = await buildWorkload(options.workload, seed, { signal: ctx.signal });
  const base: Omit<BenchmarkOptions, 'load'> = {
    endpoint,
    model: options.model,
    api: options.benchmark.api,
    workload,
    stop: {
      maxRequests: options.benchmark.requests,
      ...(options.benchmark.durationMs ? { maxDurationMs: options.benchmark.durationMs / timeScale } : {}),
    },
    warmupRequests: options.benchmark.warmupRequests,
    ...(slo ? { slo: scaleSlo(slo, timeScale) } : {}),
    timeoutMs: options.benchmark.requestTimeoutMs,
    seed,
    logger,
  };
  const levels: LevelMeasurements['levels'] = [];
  if (options.load.kind === 'capacity') {
    if (!slo) throw new InvalidOptionError('slo', slo, 'an SLO when load.kind is capacity');
    // Each probe is sampled on its own; the probe that represents the trial brings its telemetry.
    const probeTelemetry = new Map<BenchmarkResult, TrialTelemetry>();
    const runProbe: ProbeRunner = async (probe, opts) => {
      if (!telemetry) return runBenchmark(probe, opts);
      const session = new TelemetrySession(telemetry);
      const measured = await runBenchmark({ ...probe, telemetry: session.probe }, opts);
      probeTelemetry.set(measured, session.result(timeScale));
      return measured;
    };
    const result = await capacitySearch(
      base,
      {
        dimension: options.load.by,
        slo: scaleSlo(slo, timeScale) as NonNullable<typeof slo>,
        tolerance: options.load.tolerance,
        ...(options.load.low !== undefined ? { start: options.load.low, minLevel: options.load.low } : {}),
        ...(options.load.high !== undefined ? { maxLevel: options.load.high } : {}),
        rateLoad: { kind: 'rate', arrival: options.load.arrival },
        // A probe whose SLO is already lost beyond doubt stops there (pruning, for search trials).
        probeStopWhen: (probe) => stopOnceLost(ctx.shouldPrune, probe, timeScale),
        runProbe,
      },
      { signal: ctx.signal },
    );
    const limited: string[] = [];
    for (const probe of result.probes) {
      if (!probe.detail) continue;
      levels.push({ level: probe.level, metrics: rescaleMetrics(probe.detail.metrics, timeScale) });
      if (probe.detail.clientLimited)
        limited.push(...probe.detail.client.reasons.map((r) => `probe at ${probe.level}: ${r}`));
    }
    const best = result.best ? rescaleMetrics(result.best.metrics, timeScale) : levels[0]?.metrics;
    if (!best) throw new InternalError('capacity search produced no measurement');
    const errorSamples = result.best?.errorSamples ?? [];
    const measured: LevelMeasurements = {
      metrics: best,
      levels,
      pruned: false,
      clientLimited: limited,
      errorSamples,
    };
    if (telemetry) {
      const detailed = result.probes.flatMap((p) => (p.detail ? [p.detail] : []));
      const chosen = result.best ?? detailed[0];
      const all = detailed.map((d) => probeTelemetry.get(d) ?? {});
      measured.telemetry = representative(all, chosen === undefined ? -1 : detailed.indexOf(chosen));
    }
    return measured;
  }
  let workloadOffset = 0;
  let prunedLevels = 0;
  const clientLimited: string[] = [];
  const errorSamples: { error: string; count: number }[] = [];
  const sampled: TrialTelemetry[] = [];
  for (const { level, load } of loadsOf(resolved)) {
    const planned = options.benchmark.requests;
    ctx.emit({
      type: 'benchmark-progress',
      trial: ctx.trial.number,
      requestsDone: 0,
      requestsPlanned: planned,
      level,
    });
    // Each level gets prompts no earlier level sent, so prefix caching cannot flatter later levels.
    const warmupRequests = levels.length === 0 ? options.benchmark.warmupRequests : 0;
    const session = telemetry ? new TelemetrySession(telemetry) : undefined;
    const result = await measureLevel(
      { ...base, load, warmupRequests, workloadOffset, ...(session ? { telemetry: session.probe } : {}) },
      ctx,
      timeScale,
      recordsDir === undefined
        ? undefined
        : join(recordsDir, `trial-${ctx.trial.number}-level-${level}.jsonl`),
    );
    if (session) sampled.push(session.result(timeScale));
    workloadOffset += result.requestsSent;
    if (result.pruned) prunedLevels++;
    clientLimited.push(...result.clientLimited.map((r) => `level ${level}: ${r}`));
    errorSamples.push(...result.errorSamples);
    levels.push({ level, metrics: result.metrics });
    ctx.emit({
      type: 'benchmark-progress',
      trial: ctx.trial.number,
      requestsDone: result.metrics.requestCount,
      requestsPlanned: planned,
      level,
    });
  }
  // The level that represents the trial: the best one under the objective and SLO (feasible first).
  const scorer = createScorer(objective, slo);
  const ranked = levels
    .map((entry) => ({ entry, score: scorer.score(entry.metrics, 1) }))
    .sort(
      (a, b) =>
        Number(b.score.feasible) - Number(a.score.feasible) ||
        (a.score.values[0] ?? Infinity) - (b.score.values[0] ?? Infinity),
    );
  const chosen = ranked[0]?.entry;
  if (!chosen) throw new InternalError('no load level was measured');
  const measured: LevelMeasurements = {
    metrics: chosen.metrics,
    levels,
    pruned: prunedLevels === levels.length,
    clientLimited,
    errorSamples,
  };
  if (telemetry) measured.telemetry = representative(sampled, levels.indexOf(chosen));
  return measured;
}
