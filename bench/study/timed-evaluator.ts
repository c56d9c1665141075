// A trial evaluator whose duration is a known function of the configuration: the simulator's estimate of its
// start-up time plus the time its benchmark would take, scaled down and slept, so a study's wall time measures
// the scheduler rather than the CPU. Results are the analytic estimate, scored by the study as usual.
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import type { Params } from '../../src/search/trial.js';
import { estimate } from '../../src/sim/estimate.js';
import { createEngineEvaluator } from '../../src/tune/engine-evaluator.js';
import { createEstimateEvaluator, simCommandLine } from '../../src/tune/estimate-evaluator.js';
import type { TrialEvaluator } from '../../src/tune/evaluator.js';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import { resolveOptions } from '../../src/tune/resolve-options.js';

/** Simulated start-up and benchmark time of one configuration, unscaled. */
export interface TrialTime {
  startupMs: number;
  benchmarkMs: number;
}

/** Start-up (simulated engine) plus benchmark time (requests / estimated request rate) of a configuration. */
export function trialTimeOf(input: TuneOptionsInput): (params: Params) => TrialTime {
  const resolved = resolveOptions(input);
  const { options } = resolved;
  const load = options.load;
  if (options.workload.kind !== 'synthetic' || load.kind !== 'concurrency')
    throw new Error('the timed evaluator needs a synthetic workload and one concurrency level');
  const tokens = (length: unknown) => (typeof length === 'number' ? length : 512);
  const workload = {
    promptTokens: tokens(options.workload.inputTokens),
    outputTokens: tokens(options.workload.outputTokens),
    concurrency: load.levels[0] ?? 1,
  };
  const requests = options.benchmark.requests + options.benchmark.warmupRequests;
  return (params) => {
    const parsed = simCommandLine(resolved, params);
    if ('exitCode' in parsed) return { startupMs: 0, benchmarkMs: 0 };
    const result = estimate(parsed.config, workload);
    if (!result.ok) return { startupMs: 0, benchmarkMs: 0 };
    return {
      startupMs: result.estimate.startupMs,
      benchmarkMs: (requests / result.estimate.requestsPerS) * 1000,
    };
  };
}

/** What the timed evaluator measured inside each evaluation. */
export interface TimedRun {
  trial: number;
  worldSize: number;
  /** Wall time spent inside evaluate() (the slept start-up and benchmark time). */
  evaluateMs: number;
  /** performance.now() when evaluate() began and returned. */
  startMs: number;
  endMs: number;
}

/** The study's own validation, a sleep of `scale` x the trial time, then the analytic estimate's metrics. */
export function timedEvaluator(input: TuneOptionsInput, scale: number, runs: TimedRun[]): TrialEvaluator {
  const resolved = resolveOptions(input);
  const engine = createEngineEvaluator(resolved, {
    studyId: 'bench',
    controller: new LocalController(),
    gpusAvailable: Array.isArray(resolved.options.gpus) ? resolved.options.gpus.length : 8,
    libraryVersion: '0.0.0',
  });
  const measure = createEstimateEvaluator(resolved, engine.plan);
  const timeOf = trialTimeOf(input);
  return {
    plan: engine.plan,
    async evaluate(ctx) {
      const startMs = performance.now();
      const time = timeOf(ctx.trial.params);
      const startupMs = time.startupMs * scale;
      const benchmarkMs = time.benchmarkMs * scale;
      if (startupMs > 0) await sleep(startupMs, undefined, { signal: ctx.signal });
      if (benchmarkMs > 0) await sleep(benchmarkMs, undefined, { signal: ctx.signal });
      const evaluation = await measure.evaluate(ctx);
      const endMs = performance.now();
      runs.push({
        trial: ctx.trial.number,
        worldSize: ctx.gpus.length,
        evaluateMs: endMs - startMs,
        startMs,
        endMs,
      });
      return { ...evaluation, startupMs, benchmarkMs };
    },
  };
}
