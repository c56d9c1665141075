// The study's search strategy from its options, adapted to the loop (pending trials count as taken).
import { createBayesStrategy } from '../search/bayes-strategy.js';
import { createGridStrategy } from '../search/grid-strategy.js';
import { createLhsStrategy } from '../search/lhs-strategy.js';
import type { SearchSpace } from '../search/param-spec.js';
import type { PriorModel } from '../search/prior.js';
import { createRandomStrategy } from '../search/random-strategy.js';
import type { SearchStrategy } from '../search/strategy.js';
import type { Params, Trial } from '../search/trial.js';
import type { SloSpec } from '../slo/types.js';
import { searchSignals } from './diagnose-trial.js';
import type { ParsedTuneOptions } from './options-schema.js';
import type { LoopStrategy } from './run-trials.js';
import type { TrialTelemetry } from './trial-telemetry.js';

/** The latency metric each constraint value of the scorer bounds, in order (the error rate bounds none). */
export function constraintMetrics(slo: SloSpec | undefined): (string | undefined)[] {
  if (!slo) return [];
  return [...slo.terms.map((t) => t.metric), ...(slo.maxErrorRate === undefined ? [] : [undefined])];
}

/**
 * Whether the Bayesian strategy takes the analytic model's predictions as its prior: on by default where the
 * study has the model (see BENCHMARKS.md, bench/search generated problems); `analyticPrior: false` turns it off,
 * and the other strategies have no prior.
 */
export function usesAnalyticPrior(strategy: ParsedTuneOptions['strategy']): boolean {
  const spec = typeof strategy === 'string' ? { name: strategy } : strategy;
  if (spec.name !== 'auto' && spec.name !== 'bayes') return false;
  return !('analyticPrior' in spec && spec.analyticPrior === false);
}

/**
 * Builds the configured strategy (`auto` is constrained Bayesian optimisation, which repairs a broken SLO
 * along the space's latency hints during its start unless `sloRepair: false`).
 */
export function createStudyStrategy(
  space: SearchSpace,
  options: ParsedTuneOptions,
  slo?: SloSpec,
  /** Configurations the Bayesian strategy tries first after the user's `initial` ones (a warm start). */
  warmStart: readonly Params[] = [],
  /** The analytic model's predictions, the Bayesian strategy's prior unless `analyticPrior: false`. */
  prior?: PriorModel,
  /** The chance that a configuration starts, from the analytic model's memory prediction and its learnt bias. */
  startChance?: (params: Params) => number,
): SearchStrategy {
  const spec = typeof options.strategy === 'string' ? { name: options.strategy } : options.strategy;
  const seed = options.seed;
  switch (spec.name) {
    case 'grid':
      return createGridStrategy(space);
    case 'random':
      return createRandomStrategy(space, { seed });
    case 'lhs':
      return createLhsStrategy(space, { seed });
    default: {
      const initial = [...('initial' in spec && spec.initial ? spec.initial : []), ...warmStart];
      const usePrior = prior !== undefined && usesAnalyticPrior(options.strategy);
      return createBayesStrategy(space, {
        seed,
        ...(initial.length > 0 ? { initial } : {}),
        ...('useDefaults' in spec && spec.useDefaults !== undefined ? { useDefaults: spec.useDefaults } : {}),
        ...('initialDesignSize' in spec && spec.initialDesignSize
          ? { initialDesignSize: spec.initialDesignSize }
          : {}),
        ...('stopPatience' in spec && spec.stopPatience ? { stopping: { patience: spec.stopPatience } } : {}),
        ...('sloRepair' in spec && spec.sloRepair === false
          ? {}
          : { constraintMetrics: constraintMetrics(slo) }),
        ...(usePrior ? { prior } : {}),
        ...(startChance ? { startChance } : {}),
      });
    }
  }
}

/** Adapts a SearchStrategy to the study loop: it sees search trials only, and running ones as taken. */
export function loopStrategy(strategy: SearchStrategy): LoopStrategy {
  let lastStop: string | undefined;
  // Search trials only; a pruned trial carries the scores of the requests it measured, which already break
  // the SLO, so the strategy sees it as a complete infeasible point rather than a crash. A record's telemetry
  // reaches the strategy as signals (a full KV cache, preemptions) its SLO repair can act on.
  const searchOnly = (history: readonly Trial[]) =>
    history
      .filter((t) => !('phase' in t) || (t as { phase?: string }).phase === 'search')
      .map((t) => (t.state === 'pruned' && t.values ? { ...t, state: 'complete' as const } : t))
      // A configuration screened by the engine's model reaches the strategy with the failure predicted for it
      // (`oom`, `invalid-parallelism`), so its failure rules and out-of-memory repair learn from it as from a launch.
      .map((t) => {
        const kind = (t as { screened?: { kind?: string } }).screened?.kind;
        return t.state === 'invalid' && kind !== undefined ? { ...t, failureReason: kind } : t;
      })
      .map((t) => {
        const signals = searchSignals((t as { telemetry?: TrialTelemetry }).telemetry);
        return signals ? { ...t, signals } : t;
      });
  return {
    async ask(history, count, pending) {
      const running: Trial[] = pending.map((params, i) => ({ number: -1 - i, params, state: 'running' }));
      const result = strategy.ask([...searchOnly(history), ...running], { count });
      lastStop = result.stop?.reason;
      return result.params.map((params, i) => ({ params, origin: result.origins?.[i] }));
    },
    stopReason() {
      return lastStop;
    },
  };
}
