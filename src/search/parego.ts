// ParEGO: multi-objective search through random scalarisations (every objective minimised).
// Pareto dominance and fronts live in slo/compare-trials.ts, the one ranking rule of trial outcomes.
import type { Rng } from '../util/rng.js';

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
