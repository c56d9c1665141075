// The one ranking rule of trial outcomes: feasible before infeasible before pruned before failed.
import { constraintsHold, totalViolation } from './constraint-values.js';

/** What ranking needs to know about a trial (structurally a search Trial or a study TrialRecord). */
export interface RankableTrial {
  /** `complete`, `failed`, `invalid`, `pruned` or `running`. */
  state: string;
  /** Objective scores, every one minimised. */
  values?: readonly number[] | undefined;
  /** Constraint values, feasible when every one is <= 0. */
  constraints?: readonly number[] | undefined;
}

/** Rank classes: 0 feasible, 1 complete but infeasible, 2 pruned, 3 failed / invalid / anything else. */
export type OutcomeClass = 0 | 1 | 2 | 3;

/** True when a trial is complete, has finite values and satisfies every constraint. */
export function isFeasibleOutcome(trial: RankableTrial): boolean {
  const values = trial.values;
  if (trial.state !== 'complete' || !values || values.length === 0) return false;
  return values.every(Number.isFinite) && constraintsHold(trial.constraints ?? []);
}

/** The rank class of a trial outcome. */
export function outcomeClass(trial: RankableTrial): OutcomeClass {
  if (trial.state === 'complete') return isFeasibleOutcome(trial) ? 0 : 1;
  if (trial.state === 'pruned') return 2;
  return 3;
}

function compareValues(a: readonly number[] | undefined, b: readonly number[] | undefined): number {
  const length = Math.max(a?.length ?? 0, b?.length ?? 0);
  for (let i = 0; i < length; i++) {
    // Missing or NaN values rank after every number (NaN would break a sort comparator).
    const x = a?.[i] ?? Number.NaN;
    const y = b?.[i] ?? Number.NaN;
    const xNaN = Number.isNaN(x);
    const yNaN = Number.isNaN(y);
    if (xNaN || yNaN) {
      if (xNaN && yNaN) continue;
      return xNaN ? 1 : -1;
    }
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Comparator for sorting trial outcomes best first, whatever the objective direction (values are minimised
 * scores). Feasible trials come first, by their values (lexicographically for a vector); then complete but
 * infeasible ones, by total constraint violation and then values; then pruned ones; failed and invalid trials
 * last. A failed, invalid or infeasible trial therefore never outranks a feasible one.
 */
export function compareTrials(a: RankableTrial, b: RankableTrial): number {
  const classA = outcomeClass(a);
  const classB = outcomeClass(b);
  if (classA !== classB) return classA - classB;
  if (classA === 0) return compareValues(a.values, b.values);
  if (classA === 3) return 0;
  const violationA = totalViolation(a.constraints ?? []);
  const violationB = totalViolation(b.constraints ?? []);
  if (violationA !== violationB) return violationA < violationB ? -1 : 1;
  return compareValues(a.values, b.values);
}

/** A copy of `trials` sorted best first by compareTrials (stable: ties keep their order). */
export function rankTrials<T extends RankableTrial>(trials: readonly T[]): T[] {
  return [...trials].sort(compareTrials);
}

/** True when minimised vector `a` is no worse than `b` everywhere and better somewhere (Pareto dominance). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (!(x <= y)) return false;
    if (x < y) better = true;
  }
  return better;
}

/** The feasible trials no other feasible trial dominates (the Pareto front of a multi-objective study). */
export function paretoFront<T extends RankableTrial>(trials: readonly T[]): T[] {
  const feasible = trials.filter(isFeasibleOutcome);
  return feasible.filter(
    (trial) =>
      !feasible.some((other) => other !== trial && dominates(other.values ?? [], trial.values ?? [])),
  );
}
