// A deterministic, slow evaluator for kill/resume tests: the simulator's analytic estimate of each
// configuration, returned after a fixed delay so that a study can be killed while a trial runs.
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalController } from '../../../src/controllers/local/local-controller.js';
import { createEngineEvaluator } from '../../../src/tune/engine-evaluator.js';
import { createEstimateEvaluator } from '../../../src/tune/estimate-evaluator.js';
import type { TrialEvaluator } from '../../../src/tune/evaluator.js';
import type { TuneOptionsInput } from '../../../src/tune/options-schema.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';

/** The study's own validation (the engine evaluator's plan) and the analytic estimate, after `delayMs`. */
export function slowEstimateEvaluator(input: TuneOptionsInput, delayMs: number): TrialEvaluator {
  const resolved = resolveOptions(input);
  const engine = createEngineEvaluator(resolved, {
    studyId: 'slow-estimate',
    controller: new LocalController(),
    gpusAvailable: resolved.options.sim?.numGpus ?? 8,
    libraryVersion: '0.0.0',
  });
  const estimate = createEstimateEvaluator(resolved, engine.plan);
  return {
    plan: estimate.plan,
    async evaluate(ctx) {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: ctx.signal });
      return estimate.evaluate(ctx);
    },
  };
}

/** What the child script is told to run. */
export interface KillStudyJob {
  options: TuneOptionsInput;
  /** `engine`: real simulated servers through the local controller; `slow-estimate`: slowEstimateEvaluator. */
  mode: 'engine' | 'slow-estimate';
  /** Delay of each slow-estimate evaluation. */
  delayMs?: number;
}
