// Fits GP hyper-parameters by maximising the marginal likelihood (plus weak log-normal priors).
import { conditionGp, type GpHyper, type GpModel, standardisation } from './gp.js';
import { minimizeLbfgs } from './lbfgs.js';
import { choleskyWithJitter, cholInverse, cholSolve } from './linalg.js';

const SQRT5 = Math.sqrt(5);
const LOG_2PI = Math.log(2 * Math.PI);

/** Options of fitGp. */
export interface FitGpOptions {
  /** Most objective evaluations of the optimiser. @default 40 */
  maxEvaluations?: number;
  /** Lower bound on the noise variance (standardised units). @default 1e-6 */
  minNoiseVar?: number;
  /** Upper bound on the noise variance (standardised units). @default 2 */
  maxNoiseVar?: number;
}

interface Prior {
  mean: number;
  sd: number;
}

function priors(d: number): { length: Prior; signal: Prior; noise: Prior } {
  // Length scales centred a little above half the cube, widening with dimension (long scales in
  // many dimensions keep the model from over-fitting a handful of points).
  return {
    length: { mean: Math.log(0.5) + 0.5 * Math.log(Math.max(1, d)), sd: 1 },
    signal: { mean: 0, sd: 1 },
    noise: { mean: Math.log(1e-2), sd: 2 },
  };
}

const BOUNDS = {
  logLength: [Math.log(0.08), Math.log(50)],
  logSignal: [Math.log(0.05), Math.log(20)],
} as const;

function unpack(theta: readonly number[], d: number, minNoise: number, maxNoise = 2): GpHyper {
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  return {
    lengthScales: theta.slice(0, d).map((v) => Math.exp(clamp(v, BOUNDS.logLength[0], BOUNDS.logLength[1]))),
    signalVar: Math.exp(clamp(theta[d] as number, BOUNDS.logSignal[0], BOUNDS.logSignal[1])),
    noiseVar: Math.exp(clamp(theta[d + 1] as number, Math.log(minNoise), Math.log(maxNoise))),
  };
}

/**
 * Negative log posterior of the hyper-parameters `theta` = [log lengthScales..., log signalVar,
 * log noiseVar] and its gradient, for standardised targets `ys`. `sq[d]` holds squared differences.
 */
export function negLogPosterior(
  sq: readonly Float64Array[],
  ys: readonly number[],
  theta: readonly number[],
  minNoiseVar = 1e-6,
  maxNoiseVar = 2,
): { value: number; gradient: number[] } {
  const n = ys.length;
  const d = sq.length;
  const hyper = unpack(theta, d, minNoiseVar, maxNoiseVar);
  const invL2 = hyper.lengthScales.map((l) => 1 / (l * l));
  const kf = new Float64Array(n * n);
  const dkdr = new Float64Array(n * n);
  const k = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    let r2 = 0;
    for (let dim = 0; dim < d; dim++) r2 += (sq[dim]?.[i] as number) * (invL2[dim] as number);
    const r = Math.sqrt(r2);
    const e = Math.exp(-SQRT5 * r);
    kf[i] = hyper.signalVar * (1 + SQRT5 * r + (5 / 3) * r2) * e;
    // d k / d log l_d = s2 e^{-sqrt5 r} (5/3)(1 + sqrt5 r) (diff_d / l_d)^2; this is the common factor.
    dkdr[i] = hyper.signalVar * e * (5 / 3) * (1 + SQRT5 * r);
    k[i] = kf[i] as number;
  }
  for (let i = 0; i < n; i++) k[i * n + i] = (k[i * n + i] as number) + hyper.noiseVar;
  const { l } = choleskyWithJitter(k, n);
  const alpha = cholSolve(l, n, ys);
  const kinv = cholInverse(l, n);
  let logDet = 0;
  let fit = 0;
  for (let i = 0; i < n; i++) {
    logDet += Math.log(l[i * n + i] as number);
    fit += (ys[i] as number) * (alpha[i] as number);
  }
  const p = priors(d);
  const logs = [...hyper.lengthScales.map(Math.log), Math.log(hyper.signalVar), Math.log(hyper.noiseVar)];
  let value = 0.5 * fit + logDet + 0.5 * n * LOG_2PI;
  const gradient = new Array<number>(d + 2).fill(0);
  logs.forEach((v, j) => {
    const prior = j < d ? p.length : j === d ? p.signal : p.noise;
    value += (0.5 * (v - prior.mean) ** 2) / prior.sd ** 2;
    gradient[j] = (v - prior.mean) / prior.sd ** 2;
  });
  // d(-log ML)/d theta_j = -0.5 tr((alpha alpha^T - K^-1) dK/dtheta_j).
  let gSignal = 0;
  let gNoise = 0;
  const gLength = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const idx = i * n + j;
      const w = (alpha[i] as number) * (alpha[j] as number) - (kinv[idx] as number);
      gSignal += w * (kf[idx] as number);
      if (i === j) gNoise += w * hyper.noiseVar;
      const base = w * (dkdr[idx] as number);
      if (base !== 0)
        for (let dim = 0; dim < d; dim++)
          gLength[dim] =
            (gLength[dim] as number) + base * (sq[dim]?.[idx] as number) * (invL2[dim] as number);
    }
  gLength.forEach((g, dim) => {
    gradient[dim] = (gradient[dim] as number) - 0.5 * g;
  });
  gradient[d] = (gradient[d] as number) - 0.5 * gSignal;
  gradient[d + 1] = (gradient[d + 1] as number) - 0.5 * gNoise;
  return { value, gradient };
}

/** Squared per-dimension differences of every pair of rows. */
export function pairwiseSquares(x: readonly (readonly number[])[], d: number): Float64Array[] {
  const n = x.length;
  return Array.from({ length: d }, (_, dim) => {
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        out[i * n + j] = (((x[i] as number[])[dim] as number) - ((x[j] as number[])[dim] as number)) ** 2;
    return out;
  });
}

/** Fits hyper-parameters by MAP (deterministic: a fixed start, L-BFGS) and conditions the GP. */
export function fitGp(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: FitGpOptions = {},
): GpModel {
  const d = x[0]?.length ?? 0;
  const minNoise = options.minNoiseVar ?? 1e-6;
  const maxNoise = options.maxNoiseVar ?? 2;
  const { mean, std } = standardisation(y);
  const ys = y.map((v) => (v - mean) / std);
  const sq = pairwiseSquares(x, d);
  const p = priors(d);
  const start = [...new Array<number>(d).fill(p.length.mean), 0, Math.log(Math.min(1e-2, maxNoise))];
  const objective = (theta: readonly number[]) => negLogPosterior(sq, ys, theta, minNoise, maxNoise);
  const theta =
    x.length < 2 ? start : minimizeLbfgs(objective, start, { maxEvaluations: options.maxEvaluations ?? 40 });
  return conditionGp(x, y, unpack(theta, d, minNoise, maxNoise));
}
