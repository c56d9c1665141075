// Gaussian-process regression with an ARD Matern 5/2 kernel on standardised targets.
import { choleskyWithJitter, cholSolve } from './linalg.js';

const SQRT5 = Math.sqrt(5);

/** Kernel and noise hyper-parameters of a GP (in standardised target units). */
export interface GpHyper {
  /** One length scale per input dimension (inputs live in [0, 1]). */
  lengthScales: number[];
  signalVar: number;
  noiseVar: number;
}

/** Posterior mean and variance (of the latent function, without observation noise) at query points. */
export interface GpPrediction {
  mean: Float64Array;
  variance: Float64Array;
}

/** A GP conditioned on data; predictions are in the original target units. */
export interface GpModel {
  readonly hyper: GpHyper;
  readonly n: number;
  /** Log marginal likelihood of the standardised targets under `hyper`. */
  readonly logMarginalLikelihood: number;
  predict(points: readonly (readonly number[])[]): GpPrediction;
}

/** Matern 5/2 correlation at scaled distance r. */
export function matern52(r: number): number {
  return (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

/** Scaled Euclidean distance between two points under per-dimension length scales. */
export function scaledDistance(
  a: readonly number[],
  b: readonly number[],
  lengthScales: readonly number[],
): number {
  let sum = 0;
  for (let d = 0; d < lengthScales.length; d++) {
    const diff = ((a[d] as number) - (b[d] as number)) / (lengthScales[d] as number);
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

/** Mean and standard deviation used to standardise targets (std 1 when all targets are equal). */
export function standardisation(y: readonly number[]): { mean: number; std: number } {
  const n = y.length;
  if (n === 0) return { mean: 0, std: 1 };
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const std = Math.sqrt(variance);
  return { mean, std: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
}

/** Conditions a GP with fixed hyper-parameters on points `x` (rows in [0, 1]^d) and targets `y`. */
export function conditionGp(
  x: readonly (readonly number[])[],
  y: readonly number[],
  hyper: GpHyper,
): GpModel {
  const n = x.length;
  const { mean: yMean, std: yStd } = standardisation(y);
  const ys = y.map((v) => (v - yMean) / yStd);
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v =
        hyper.signalVar * matern52(scaledDistance(x[i] as number[], x[j] as number[], hyper.lengthScales));
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  for (let i = 0; i < n; i++) k[i * n + i] = (k[i * n + i] as number) + hyper.noiseVar;
  const { l } = n > 0 ? choleskyWithJitter(k, n) : { l: new Float64Array(0) };
  const alpha = cholSolve(l, n, ys);
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += Math.log(l[i * n + i] as number);
  let fit = 0;
  for (let i = 0; i < n; i++) fit += (ys[i] as number) * (alpha[i] as number);
  const logMarginalLikelihood = -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);
  return {
    hyper,
    n,
    logMarginalLikelihood,
    predict(points) {
      const m = points.length;
      const mean = new Float64Array(m);
      const variance = new Float64Array(m);
      const kStar = new Float64Array(n);
      const v = new Float64Array(n);
      for (let q = 0; q < m; q++) {
        const p = points[q] as readonly number[];
        for (let i = 0; i < n; i++)
          kStar[i] = hyper.signalVar * matern52(scaledDistance(p, x[i] as number[], hyper.lengthScales));
        let mu = 0;
        for (let i = 0; i < n; i++) mu += (kStar[i] as number) * (alpha[i] as number);
        // Forward substitution L v = k* in place (no allocation per point); reduction = |v|^2.
        let reduction = 0;
        for (let i = 0; i < n; i++) {
          let sum = kStar[i] as number;
          const row = i * n;
          for (let k = 0; k < i; k++) sum -= (l[row + k] as number) * (v[k] as number);
          const vi = sum / (l[row + i] as number);
          v[i] = vi;
          reduction += vi * vi;
        }
        mean[q] = yMean + yStd * mu;
        variance[q] = Math.max(hyper.signalVar - reduction, 1e-12) * yStd * yStd;
      }
      return { mean, variance };
    },
  };
}
