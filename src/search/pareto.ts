// Pareto fronts of multi-objective histories (every objective minimised) and ParEGO scalarisation.

import type { Rng } from '../util/rng.js';
import { isFeasibleTrial, type Trial } from './trial.js';

/** True when `a` is no worse than `b` in every objective and better in at least one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/** The feasible complete trials no other feasible trial dominates, in history order. */
export function paretoFront(history: readonly Trial[]): Trial[] {
  const feasible = history.filter(isFeasibleTrial);
  return feasible.filter((t) => !feasible.some((o) => o !== t && dominates(o.values ?? [], t.values ?? [])));
}

/** A weight vector drawn uniformly from the simplex. */
export function simplexWeights(k: number, rng: Rng): number[] {
  const draws = Array.from({ length: k }, () => -Math.log(1 - rng.next()));
  const total = draws.reduce((a, b) => a + b, 0);
  return draws.map((v) => v / total);
}

/**
 * ParEGO's augmented Chebyshev scalarisation of objective vectors normalised to [0, 1] by the ranges
 * in `vectors`: max_i w_i f_i + rho * sum_i w_i f_i (minimised).
 */
export function chebyshevScalarise(
  vectors: readonly (readonly number[])[],
  weights: readonly number[],
  rho = 0.05,
): number[] {
  const k = weights.length;
  const lows = Array.from({ length: k }, (_, i) => Math.min(...vectors.map((v) => v[i] as number)));
  const highs = Array.from({ length: k }, (_, i) => Math.max(...vectors.map((v) => v[i] as number)));
  return vectors.map((v) => {
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < k; i++) {
      const span = (highs[i] as number) - (lows[i] as number);
      const f = span > 0 ? ((v[i] as number) - (lows[i] as number)) / span : 0;
      const weighted = (weights[i] as number) * f;
      max = Math.max(max, weighted);
      sum += weighted;
    }
    return max + rho * sum;
  });
}
