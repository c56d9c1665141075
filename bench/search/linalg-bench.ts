// Chooses the GP's numerics by measurement: hand-written Cholesky vs ml-matrix vs mathjs, for the
// solve a GP does on every fit step (factorise an SPD kernel matrix, solve for alpha).
// Usage: npx tsx bench/search/linalg-bench.ts
import { lusolve } from 'mathjs';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { matern52 } from '../../src/search/gp.js';
import { cholesky, cholSolve } from '../../src/search/linalg.js';
import { createRng } from '../../src/util/rng.js';
import { quantile } from './stats.js';

function kernel(n: number): number[][] {
  const rng = createRng(n);
  const x = Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next(), rng.next()]);
  return x.map((a, i) =>
    x.map(
      (b, j) => matern52(Math.hypot(...a.map((v, d) => (v - (b[d] as number)) / 0.4))) + (i === j ? 1e-4 : 0),
    ),
  );
}

function timeMs(fn: () => void, reps: number): number {
  fn();
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    ms.push((used.user + used.system) / 1000);
  }
  return quantile(ms, 0.5);
}

for (const n of [40, 100, 200]) {
  const k = kernel(n);
  const b = k.map((_, i) => Math.sin(i));
  const flat = Float64Array.from(k.flat());
  const hand = timeMs(() => {
    const l = cholesky(flat, n);
    if (l) cholSolve(l, n, b);
  }, 30);
  const ml = timeMs(() => {
    new CholeskyDecomposition(new Matrix(k)).solve(Matrix.columnVector(b));
  }, 30);
  const mj = timeMs(
    () => {
      lusolve(k, b);
    },
    n > 100 ? 3 : 10,
  );
  console.log(
    `n=${n}: hand-written Cholesky ${hand.toFixed(2)} ms, ml-matrix Cholesky ${ml.toFixed(2)} ms, mathjs lusolve ${mj.toFixed(2)} ms (CPU, median)`,
  );
}
