// Stopping rule: little expected improvement left and no progress over the last few trials.
import type { StopAdvice } from './strategy.js';
import { isFeasibleTrial, type Trial } from './trial.js';

/** When the Bayesian strategy advises stopping. */
export interface StoppingRule {
  /** Expected improvement left, relative to |best value|, below which stopping is advised. @default 0.001 */
  minRelativeImprovement?: number;
  /** Finished trials in a row without a new best feasible value required as well. @default 8 */
  patience?: number;
}

/**
 * Advice to stop when the largest expected improvement left is below `minRelativeImprovement` of the
 * best value AND the last `patience` finished trials did not improve the best feasible value. Both
 * parts are functions of the history, so the advice is the same after a resume.
 */
export function adviseStop(
  history: readonly Trial[],
  expectedImprovement: number,
  incumbent: number,
  rule: StoppingRule,
): StopAdvice | undefined {
  const threshold = rule.minRelativeImprovement ?? 0.001;
  const patience = rule.patience ?? 8;
  const scale = Math.max(Math.abs(incumbent), 1e-12);
  const relative = expectedImprovement / scale;
  if (!(relative < threshold)) return undefined;
  const finished = history.filter((t) => t.state !== 'running');
  if (finished.length <= patience) return undefined;
  const bestBefore = Math.min(
    ...finished
      .slice(0, finished.length - patience)
      .filter(isFeasibleTrial)
      .map((t) => t.values?.[0] as number),
  );
  const bestRecent = Math.min(
    ...finished
      .slice(-patience)
      .filter(isFeasibleTrial)
      .map((t) => t.values?.[0] as number),
  );
  if (!(bestRecent >= bestBefore)) return undefined;
  return {
    kind: 'no-expected-improvement',
    reason: `expected improvement left is ${(relative * 100).toPrecision(2)}% of the best value (below ${threshold * 100}%) and the last ${patience} trials did not improve it`,
  };
}
