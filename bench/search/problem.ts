// Tuning problems for the search benchmark: a space, a noise-free evaluation and its exhaustive optimum.
import { expandGrid } from '../../src/search/grid.js';
import { normalizeSpace } from '../../src/search/normalize-space.js';
import type { SearchSpace, SpaceInput } from '../../src/search/param-spec.js';
import type { Params, Trial } from '../../src/search/trial.js';
import type { Rng } from '../../src/util/rng.js';

/** Noise-free outcome of one configuration. */
export type Outcome = { ok: true; objective: number; constraints: number[] } | { ok: false; reason: string };

/** A benchmark problem; `objective` is to be maximised when `maximise`, else minimised. */
export interface Problem {
  name: string;
  space: SearchSpace;
  maximise: boolean;
  /** Number of SLO constraints (values observed/threshold - 1, feasible <= 0). */
  constraintCount: number;
  /** The latency metric each constraint bounds (`ttft`, `tpot`), when known. */
  constraintMetrics?: string[];
  evaluate(params: Params): Outcome;
  /** Objective and SLO in words, for the table. */
  description?: string;
}

/** Problem plus its exhaustively computed optimum. */
export interface SolvedProblem extends Problem {
  size: number;
  optimum: number;
  feasibleShare: number;
  failureShare: number;
  /**
   * How far inside the SLO the most comfortable feasible configuration is: the largest, over feasible
   * configurations, of the smallest room below a bound (-constraint); 0 with no feasible configuration.
   */
  feasibleMargin?: number;
}

/** Multiplicative measurement noise applied to every measured figure. */
export const NOISE_CV = 0.05;

/** Builds a problem from a space input. */
export function problem(
  name: string,
  space: SpaceInput,
  maximise: boolean,
  constraintCount: number,
  evaluate: (params: Params) => Outcome,
): Problem {
  return { name, space: normalizeSpace(space), maximise, constraintCount, evaluate };
}

/** True when a noise-free outcome meets every constraint. */
export function feasible(
  outcome: Outcome,
): outcome is { ok: true; objective: number; constraints: number[] } {
  return outcome.ok && outcome.constraints.every((c) => c <= 0);
}

/** Evaluates every configuration to find the true optimum. */
export function solve(p: Problem): SolvedProblem {
  let optimum = p.maximise ? -Infinity : Infinity;
  let size = 0;
  let feasibleCount = 0;
  let failures = 0;
  let margin = 0;
  for (const params of expandGrid(p.space, 200_000)) {
    size++;
    const outcome = p.evaluate(params);
    if (!outcome.ok) failures++;
    if (!feasible(outcome)) continue;
    feasibleCount++;
    margin = Math.max(margin, Math.min(1, ...outcome.constraints.map((c) => -c)));
    optimum = p.maximise ? Math.max(optimum, outcome.objective) : Math.min(optimum, outcome.objective);
  }
  return {
    ...p,
    size,
    optimum,
    feasibleShare: feasibleCount / size,
    failureShare: failures / size,
    feasibleMargin: margin,
  };
}

/** A measured trial: noisy objective (minimised sign) and constraints, or a failure. */
export function measure(p: Problem, number: number, params: Params, rng: Rng): Trial {
  const outcome = p.evaluate(params);
  if (!outcome.ok) return { number, params, state: 'failed', failureReason: outcome.reason };
  const noisy = (v: number): number => v * (1 + NOISE_CV * rng.normal());
  const objective = noisy(outcome.objective);
  // Constraint values are observed/threshold - 1: the noise multiplies the observation.
  const constraints = outcome.constraints.map((c) => (1 + c) * (1 + NOISE_CV * rng.normal()) - 1);
  return { number, params, state: 'complete', values: [p.maximise ? -objective : objective], constraints };
}

/** Relative gap of a true objective value to the optimum (0 = optimal). */
export function gap(p: SolvedProblem, value: number): number {
  return p.maximise ? (p.optimum - value) / Math.abs(p.optimum) : (value - p.optimum) / Math.abs(p.optimum);
}
