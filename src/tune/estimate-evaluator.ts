// A deterministic evaluator for simulated studies: the simulator's analytic estimate() of exactly the command
// line the sim runtime would launch, no server. Used by dry runs (`autotune estimate`, `--dry-run`) and tests.
import { metricsMeetSlo } from '../benchmark/capacity-search.js';
import { searchLevels } from '../benchmark/search-levels.js';
import { InvalidOptionError } from '../errors.js';
import type { GpuInfo } from '../gpu/gpu-info.js';
import type { Params } from '../search/trial.js';
import { estimate } from '../sim/estimate.js';
import { parseSimArgs } from '../sim/sim-args.js';
import type { LatencySummary, SimPerformance } from '../sim/virtual-run.js';
import type { LatencyStats, RunMetrics, SloSpec } from '../slo/types.js';
import type { Evaluation, TrialEvaluator, TrialPlan } from './evaluator.js';
import type { ResolvedOptions } from './resolve-options.js';
import { studyLaunchSpec } from './study-launch-spec.js';
import type { FailureReason } from './trial-record.js';

function stats(summary: LatencySummary | undefined): LatencyStats {
  if (!summary) return { mean: undefined, p50: undefined, p90: undefined, p95: undefined, p99: undefined };
  // The estimate gives p90 and p99; p95 is read between them.
  return {
    mean: summary.mean,
    p50: summary.p50,
    p90: summary.p90,
    p95: (summary.p90 + summary.p99) / 2,
    p99: summary.p99,
  };
}

// Share of requests at or under `maxMs`, read off the summary's CDF points (p50, p90, p99) by linear
// interpolation; an approximation, since the estimate keeps no per-request values.
function shareUnder(summary: LatencySummary | undefined, maxMs: number): number {
  if (!summary) return 1;
  const points: Array<[number, number]> = [
    [0, 0],
    [summary.p50, 0.5],
    [summary.p90, 0.9],
    [summary.p99, 0.99],
  ];
  if (maxMs >= summary.p99) return maxMs >= summary.p99 * 1.05 ? 1 : 0.99;
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i] as [number, number];
    const [x0, y0] = points[i - 1] as [number, number];
    if (maxMs <= x1) return x1 === x0 ? y1 : y0 + ((maxMs - x0) / (x1 - x0)) * (y1 - y0);
  }
  return 1;
}

/** Approximate SLO attainment of an estimate: the tightest term's share of requests under its threshold. */
export function estimateAttainment(
  performance: SimPerformance,
  slo: SloSpec | undefined,
): number | undefined {
  if (!slo) return undefined;
  let attainment = 1;
  for (const term of slo.terms) {
    const summary =
      term.metric === 'ttft'
        ? performance.ttftMs
        : term.metric === 'e2e'
          ? performance.e2eMs
          : performance.tpotMs;
    attainment = Math.min(attainment, shareUnder(summary, term.maxMs));
  }
  return attainment;
}

/** RunMetrics from a simulator performance figure (no errors; ITL equals TPOT in steady state). */
export function metricsFromPerformance(
  performance: SimPerformance,
  promptTokens: number,
  requestCount: number,
  slo?: SloSpec,
): RunMetrics {
  const attainment = estimateAttainment(performance, slo);
  return {
    ...(attainment !== undefined ? { attainment, goodputRps: attainment * performance.requestsPerS } : {}),
    ttftMs: stats(performance.ttftMs),
    tpotMs: stats(performance.tpotMs),
    itlMs: stats(performance.tpotMs),
    e2eMs: stats(performance.e2eMs),
    requestsPerS: performance.requestsPerS,
    inputTokensPerS: performance.requestsPerS * promptTokens,
    outputTokensPerS: performance.outputTokensPerS,
    totalTokensPerS: performance.totalTokensPerS,
    errorRate: 0,
    requestCount,
  };
}

/** Mean prompt or output length of a workload; throws for prompts of a dataset (no analytic length). */
export function meanTokens(
  spec: ResolvedOptions['options']['workload'],
  key: 'inputTokens' | 'outputTokens',
): number {
  if (spec.kind !== 'synthetic' && key === 'inputTokens') {
    throw new InvalidOptionError('workload.kind', spec.kind, 'a synthetic workload for analytic estimates');
  }
  const length =
    spec.kind === 'synthetic'
      ? spec[key]
      : spec.kind === 'shared-prefix'
        ? spec.outputTokens
        : (spec.outputTokens ?? 128);
  if (typeof length === 'number') return length;
  if (length.kind === 'fixed') return length.tokens;
  if (length.kind === 'uniform') return (length.min + length.max) / 2;
  return length.mean;
}

const STARTUP_REASONS: Record<string, FailureReason> = {
  oom: 'oom',
  'kv-too-small': 'oom',
  'invalid-parallelism': 'bad-flag',
  'invalid-config': 'bad-flag',
  'random-crash': 'crash',
};

/**
 * The simulator's own reading of the command line a configuration would launch with (the same flag parsing
 * the `inference-sim` process does), or its argument error.
 */
export function simCommandLine(
  resolved: ResolvedOptions,
  params: Params,
  gpus: readonly GpuInfo[] = [],
  trial = 0,
): ReturnType<typeof parseSimArgs> {
  const spec = studyLaunchSpec(
    resolved,
    params,
    gpus,
    { studyId: 'estimate', trialId: `trial-${trial}` },
    { target: 'local' },
  );
  return parseSimArgs(spec.args.slice(resolved.runtime.commandArgs.length));
}

/** Creates the analytic evaluator; `plan` is the engine evaluator's rule set (same validation). */
export function createEstimateEvaluator(
  resolved: ResolvedOptions,
  plan: (params: Params) => TrialPlan,
): TrialEvaluator {
  const { options } = resolved;
  if (!resolved.runtime.traits.analyticModel)
    throw new InvalidOptionError(
      'runtime',
      options.runtime,
      'a runtime with an analytic model (sim) for estimates',
    );
  const promptTokens = meanTokens(options.workload, 'inputTokens');
  const outputTokens = meanTokens(options.workload, 'outputTokens');
  const levels =
    options.load.kind === 'concurrency' || options.load.kind === 'rate' ? options.load.levels : [];
  return {
    plan,
    async evaluate(ctx): Promise<Evaluation> {
      const parsed = simCommandLine(resolved, ctx.trial.params, ctx.gpus, ctx.trial.number);
      if ('exitCode' in parsed)
        return { state: 'failed', failure: { reason: 'bad-flag', message: parsed.message } };
      const measured: Array<{ level: number; metrics: RunMetrics }> = [];
      // One analytic run at a level: its metrics, or the start-up failure (the same at every level).
      const at = (level: number, byRate: boolean): { metrics: RunMetrics } | { failed: Evaluation } => {
        const workload = byRate
          ? { promptTokens, outputTokens, requestRatePerS: level }
          : { promptTokens, outputTokens, concurrency: level };
        const result = estimate(parsed.config, workload);
        if (!result.ok) {
          const reason = STARTUP_REASONS[result.failure.kind] ?? 'crash';
          return { failed: { state: 'failed', failure: { reason, message: result.failure.message } } };
        }
        const { requests } = options.benchmark;
        return { metrics: metricsFromPerformance(result.estimate, promptTokens, requests, resolved.slo) };
      };
      if (options.load.kind === 'capacity') {
        // The same bracketing and bisection the engine's capacity search runs, on the analytic model.
        const load = options.load;
        const slo = resolved.slo;
        if (!slo) throw new InvalidOptionError('slo', slo, 'an SLO for load.kind capacity');
        const byRate = load.by === 'rate';
        let failed: Evaluation | undefined;
        const search = await searchLevels<RunMetrics>(
          async (level) => {
            const run = at(level, byRate);
            if ('failed' in run) {
              failed ??= run.failed;
              return { meets: false };
            }
            return { meets: metricsMeetSlo(run.metrics, slo), detail: run.metrics };
          },
          {
            tolerance: load.tolerance,
            integer: !byRate,
            ...(load.low !== undefined ? { start: load.low, minLevel: load.low } : {}),
            ...(load.high !== undefined ? { maxLevel: load.high } : {}),
          },
          { signal: ctx.signal },
        );
        if (failed) return failed;
        for (const probe of search.probes)
          if (probe.detail) measured.push({ level: probe.level, metrics: probe.detail });
        const best =
          search.probes.find((p) => p.meets && p.level === search.best)?.detail ?? measured[0]?.metrics;
        if (!best) return { state: 'failed', failure: { reason: 'unknown', message: 'no load level' } };
        return { state: 'complete', metrics: best, levels: measured };
      }
      for (const level of levels) {
        const run = at(level, options.load.kind === 'rate');
        if ('failed' in run) return run.failed;
        measured.push({ level, metrics: run.metrics });
      }
      const metrics = measured[measured.length - 1]?.metrics;
      if (!metrics) return { state: 'failed', failure: { reason: 'unknown', message: 'no load level' } };
      return { state: 'complete', metrics, ...(measured.length > 1 ? { levels: measured } : {}) };
    },
  };
}
