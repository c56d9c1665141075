// Objective values and the original autotuner's penalised score (minimised), for every objective form.
import { InvalidOptionError } from '../errors.js';
import { type Objective, type ObjectiveSpec, objectiveDirection, objectiveList } from './objective.js';
import { type SloPenaltyResult, sloPenalty } from './slo-penalty.js';
import type { RunMetrics, SloSpec } from './types.js';

/** Facts about the trial that some objectives need besides its measurements. */
export interface ObjectiveContext {
  /** GPUs the configuration used (its world size; 0 on CPU). Needed by per-GPU and cost objectives. */
  worldSize?: number;
}

function usedGpus(context: ObjectiveContext): number {
  const gpus = context.worldSize;
  if (gpus === undefined || !(Number.isInteger(gpus) && gpus >= 0)) {
    throw new InvalidOptionError(
      'worldSize',
      gpus,
      'the GPUs the trial used (integer >= 0) for per-GPU and cost objectives',
    );
  }
  return gpus;
}

const finite = (value: number | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const LEGACY_MEANS = { minimize_latency: 'e2eMs', minimize_ttft: 'ttftMs', minimize_tpot: 'tpotMs' } as const;

/**
 * The value of an objective as the user reads it: tok/s or req/s for throughput and goodput (per GPU when
 * asked; a CPU run counts as one device), milliseconds for latency, US dollars per million output tokens for
 * cost, and for a weighted objective the weighted sum of each term's minimised form. `undefined` when the
 * metrics cannot give it (e.g. goodput of a run without an SLO, cost of a run with no output).
 */
export function objectiveValue(
  metrics: RunMetrics,
  objective: Objective,
  context: ObjectiveContext = {},
): number | undefined {
  if (typeof objective === 'string') {
    switch (objective) {
      case 'minimize_latency':
      case 'minimize_ttft':
      case 'minimize_tpot':
        return finite(metrics[LEGACY_MEANS[objective]].mean);
      case 'maximize_throughput':
        return finite(metrics.outputTokensPerS);
      case 'maximize_total_throughput':
        return finite(metrics.totalTokensPerS);
      case 'maximize_goodput':
        return finite(metrics.goodputRps);
    }
  }
  switch (objective.kind) {
    case 'throughput': {
      const tokens = objective.tokens ?? 'output';
      const rate =
        tokens === 'output'
          ? metrics.outputTokensPerS
          : tokens === 'total'
            ? metrics.totalTokensPerS
            : metrics.requestsPerS;
      return finite(objective.perGpu ? rate / Math.max(1, usedGpus(context)) : rate);
    }
    case 'goodput': {
      const rate = metrics.goodputRps;
      if (rate === undefined) return undefined;
      return finite(objective.perGpu ? rate / Math.max(1, usedGpus(context)) : rate);
    }
    case 'latency':
      return finite(metrics[`${objective.metric}Ms`][objective.stat]);
    case 'cost': {
      const usdPerS = (objective.gpuHourlyPriceUsd * usedGpus(context)) / 3600;
      if (!(metrics.outputTokensPerS > 0)) return undefined;
      return finite((usdPerS / metrics.outputTokensPerS) * 1_000_000);
    }
    case 'weighted': {
      let total = 0;
      for (const term of objective.terms) {
        const base = objectiveBase(metrics, term.objective, context);
        if (!Number.isFinite(base)) return undefined;
        total += term.weight * base;
      }
      return total;
    }
  }
}

/** An objective's value in minimised form (maximised ones negated); `Infinity` when it cannot be computed. */
export function objectiveBase(
  metrics: RunMetrics,
  objective: Objective,
  context: ObjectiveContext = {},
): number {
  const value = objectiveValue(metrics, objective, context);
  if (value === undefined) return Number.POSITIVE_INFINITY;
  return objectiveDirection(objective) === 'maximize' ? -value : value;
}

/**
 * Applies an SLO penalty to a minimised base value the way the original autotuner did:
 * `base + (multiplier - 1) * |base|`; a hard fail or a base that cannot be computed gives `Infinity`.
 */
export function penalizedScore(base: number, penalty: SloPenaltyResult | undefined): number {
  if (!Number.isFinite(base) || penalty?.hardFail) return Number.POSITIVE_INFINITY;
  const multiplier = penalty?.multiplier ?? 1;
  return base + (multiplier - 1) * Math.abs(base);
}

/**
 * The score of a run for an objective, always minimised: the objective's minimised base (mean E2E latency
 * for `minimize_latency`, mean TTFT / TPOT for `minimize_ttft` / `minimize_tpot`, minus output tok/s for
 * `maximize_throughput`, ...) with the SLO's soft-violation penalty `base + (multiplier - 1) * |base|`.
 * A hard fail (or an unjudgeable SLO term, or an error rate over `maxErrorRate`) scores `Infinity`, never a
 * value that could win. A list of objectives gives one score per entry (multi-objective vector).
 */
export function objectiveScore(
  metrics: RunMetrics,
  objective: Objective,
  slo?: SloSpec,
  context?: ObjectiveContext,
): number;
export function objectiveScore(
  metrics: RunMetrics,
  objective: readonly Objective[],
  slo?: SloSpec,
  context?: ObjectiveContext,
): number[];
export function objectiveScore(
  metrics: RunMetrics,
  objective: ObjectiveSpec,
  slo?: SloSpec,
  context?: ObjectiveContext,
): number | number[];
export function objectiveScore(
  metrics: RunMetrics,
  objective: ObjectiveSpec,
  slo?: SloSpec,
  context: ObjectiveContext = {},
): number | number[] {
  const penalty = slo ? sloPenalty(metrics, slo) : undefined;
  const score = (o: Objective): number => penalizedScore(objectiveBase(metrics, o, context), penalty);
  return Array.isArray(objective) ? objectiveList(objective).map(score) : score(objective as Objective);
}
