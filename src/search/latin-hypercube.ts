// Latin hypercube designs in [0, 1]^d, picked for spread (maximin) among a few seeded candidates.
import type { Rng } from '../util/rng.js';

function shuffled(n: number, rng: Rng): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

function minDistance(points: readonly number[][]): number {
  let best = Infinity;
  for (let i = 0; i < points.length; i++)
    for (let j = 0; j < i; j++) {
      let sum = 0;
      const a = points[i] as number[];
      const b = points[j] as number[];
      for (let d = 0; d < a.length; d++) sum += ((a[d] as number) - (b[d] as number)) ** 2;
      best = Math.min(best, sum);
    }
  return best;
}

/**
 * An n-point Latin hypercube in d dimensions: each dimension's n strata hold exactly one point.
 * Among `tries` seeded designs, the one with the largest minimum pairwise distance is returned.
 */
export function latinHypercube(n: number, d: number, rng: Rng, tries = 16): number[][] {
  let best: number[][] = [];
  let bestScore = -Infinity;
  for (let t = 0; t < tries; t++) {
    const perms = Array.from({ length: d }, () => shuffled(n, rng));
    const points = Array.from({ length: n }, (_, i) =>
      perms.map((perm) => ((perm[i] as number) + rng.next()) / n),
    );
    const score = minDistance(points);
    if (score > bestScore) {
      bestScore = score;
      best = points;
    }
  }
  return best;
}
