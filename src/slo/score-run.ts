// Everything scoring says about one measured run: minimised values, constraints, penalty, feasibility.
import { constraintsHold, constraintValues } from './constraint-values.js';
import { type ObjectiveSpec, objectiveList } from './objective.js';
import { type ObjectiveContext, objectiveBase, objectiveValue, penalizedScore } from './objective-score.js';
import { type SloViolation, sloPenalty } from './slo-penalty.js';
import type { RunMetrics, SloSpec } from './types.js';

/** The scores of one measured configuration. */
export interface RunScore {
  /** Penalised objective scores, every one minimised (what strategies read); `Infinity` on a hard fail. */
  values: number[];
  /** Constraint values (`observed / threshold - 1`, then the error rate), feasible when every one is <= 0. */
  constraints: number[];
  /** Objective values in the user's direction (e.g. tok/s), unpenalised; NaN where they cannot be computed. */
  objective: number[];
  /** SLO penalty multiplier (1 = no violation). */
  penalty: number;
  /** True when the SLO failed the trial outright. */
  hardFail: boolean;
  violations: SloViolation[];
  /** True when every value is finite and every constraint holds. */
  feasible: boolean;
}

/** Scores a run against an objective (or a list of them) and an optional SLO. */
export function scoreRun(
  metrics: RunMetrics,
  objective: ObjectiveSpec,
  slo: SloSpec | undefined,
  context: ObjectiveContext = {},
): RunScore {
  const penalty = slo ? sloPenalty(metrics, slo) : undefined;
  const objectives = objectiveList(objective);
  const values = objectives.map((o) => penalizedScore(objectiveBase(metrics, o, context), penalty));
  const constraints = slo ? constraintValues(metrics, slo) : [];
  return {
    values,
    constraints,
    objective: objectives.map((o) => objectiveValue(metrics, o, context) ?? Number.NaN),
    penalty: penalty?.multiplier ?? 1,
    hardFail: penalty?.hardFail ?? false,
    violations: penalty?.violations ?? [],
    feasible: values.every(Number.isFinite) && constraintsHold(constraints) && !(penalty?.hardFail ?? false),
  };
}
