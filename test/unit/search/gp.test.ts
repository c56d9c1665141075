import { describe, expect, it } from 'vitest';
import { conditionGp } from '../../../src/search/gp.js';
import { fitGp } from '../../../src/search/gp-fit.js';
import { cholesky, cholInverse, cholSolve } from '../../../src/search/linalg.js';
import { createRng } from '../../../src/util/rng.js';

const f = (x: readonly number[]): number => Math.sin(6 * (x[0] as number)) + 0.5 * (x[1] as number) ** 2;

function sample(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => [rng.next(), rng.next()]);
  return { x, y: x.map(f) };
}

describe('linear algebra', () => {
  it('solves an SPD system through its Cholesky factor and inverts it', () => {
    const a = Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]);
    const l = cholesky(a, 3);
    expect(l).toBeDefined();
    const x = cholSolve(l as Float64Array, 3, [1, 2, 3]);
    const back = [0, 1, 2].map((i) =>
      [0, 1, 2].reduce((s, j) => s + (a[i * 3 + j] as number) * (x[j] as number), 0),
    );
    back.forEach((v, i) => {
      expect(v).toBeCloseTo(i + 1, 10);
    });
    const inv = cholInverse(l as Float64Array, 3);
    expect(
      (a[0] as number) * (inv[0] as number) +
        (a[1] as number) * (inv[3] as number) +
        (a[2] as number) * (inv[6] as number),
    ).toBeCloseTo(1, 10);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeUndefined();
  });
});

describe('Gaussian process', () => {
  it('fits a known function well away from the training points', () => {
    const { x, y } = sample(30, 1);
    const gp = fitGp(x, y);
    const test = sample(50, 2);
    const { mean } = gp.predict(test.x);
    const rmse = Math.sqrt(test.y.reduce((s, v, i) => s + (v - (mean[i] as number)) ** 2, 0) / test.y.length);
    const spread = Math.sqrt(test.y.reduce((s, v) => s + v * v, 0) / test.y.length);
    expect(rmse).toBeLessThan(0.1 * spread);
  });

  it('shrinks the posterior variance at observed points', () => {
    const { x, y } = sample(10, 3);
    const gp = fitGp(x, y);
    const far = gp.predict([[0.5, 5]]).variance[0] as number;
    const { variance, mean } = gp.predict(x);
    variance.forEach((v, i) => {
      expect(v).toBeLessThan(0.05 * far);
      expect(mean[i]).toBeCloseTo(y[i] as number, 1);
    });
  });

  it.each([8, 20, 40])('raises the marginal likelihood over the starting hyper-parameters (n = %i)', (n) => {
    const { x, y } = sample(n, n);
    const start = conditionGp(x, y, { lengthScales: [0.5, 0.5], signalVar: 1, noiseVar: 1e-2 });
    expect(fitGp(x, y).logMarginalLikelihood).toBeGreaterThan(start.logMarginalLikelihood);
  });

  it('learns a longer length scale for a dimension the function ignores', () => {
    const rng = createRng(9);
    const x = Array.from({ length: 30 }, () => [rng.next(), rng.next()]);
    const gp = fitGp(
      x,
      x.map((p) => Math.sin(5 * (p[0] as number))),
    );
    expect(gp.hyper.lengthScales[1] as number).toBeGreaterThan(3 * (gp.hyper.lengthScales[0] as number));
  });
});
