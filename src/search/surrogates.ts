// Surrogate models built from a trial history: objective, SLO constraints and the crash/OOM feasibility.
import { normCdf } from './acquisition.js';
import { conditionGp, type GpModel, standardisation } from './gp.js';
import { fitGp } from './gp-fit.js';

/** Most points used to fit hyper-parameters; larger histories are conditioned on in full. */
const FIT_SUBSET = 40;

/** Signed log compression of constraint values, keeping the sign (and so the 0 threshold). */
export function compressConstraint(c: number): number {
  return Math.sign(c) * Math.log1p(Math.abs(c));
}

/** The constraint value of a compressed one (inverse of `compressConstraint`). */
export function expandConstraint(v: number): number {
  return Math.sign(v) * Math.expm1(Math.abs(v));
}

/**
 * Fits hyper-parameters on at most FIT_SUBSET points (the best half by target and the most recent
 * others, deterministic), then conditions on every point.
 */
export function fitSurrogate(x: number[][], y: number[], maxEvaluations = 40, maxNoiseVar = 2): GpModel {
  if (x.length <= FIT_SUBSET) return fitGp(x, y, { maxEvaluations, maxNoiseVar });
  const order = y.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const chosen = new Set(order.slice(0, FIT_SUBSET / 2).map(([, i]) => i));
  for (let i = x.length - 1; i >= 0 && chosen.size < FIT_SUBSET; i--) chosen.add(i);
  const idx = [...chosen].sort((a, b) => a - b);
  const fitted = fitGp(
    idx.map((i) => x[i] as number[]),
    idx.map((i) => y[i] as number),
    { maxEvaluations, maxNoiseVar },
  );
  return conditionGp(x, y, fitted.hyper);
}

/**
 * The same surrogate conditioned again on `x`, `y` with at least `minNoiseSd` of observation noise (in the units
 * of `y`): a model that explains no difference smaller than a measurement's noise by the parameters.
 */
export function withNoiseFloor(model: GpModel, x: number[][], y: number[], minNoiseSd: number): GpModel {
  const floor = (minNoiseSd / standardisation(y).std) ** 2;
  if (model.hyper.noiseVar >= floor) return model;
  return conditionGp(x, y, { ...model.hyper, noiseVar: floor });
}

/** Probability of a successful launch learned from finished trials (1 = ok, 0 = failed or invalid). */
export interface FeasibilityModel {
  probability(points: readonly (readonly number[])[]): Float64Array;
}

/**
 * GP regression on success labels, squashed through a normal CDF around 1/2 with the posterior
 * spread: ~0 next to failures, ~1 next to successes, the observed success rate far from data.
 * Without any failure it is the constant 1.
 */
export function fitFeasibilityModel(x: number[][], ok: boolean[]): FeasibilityModel {
  if (ok.every(Boolean) || x.length === 0)
    return { probability: (points) => new Float64Array(points.length).fill(1) };
  const gp = fitSurrogate(
    x,
    ok.map((v) => (v ? 1 : 0)),
    20,
    // Launch outcomes are nearly deterministic: do not let the fit explain them away as noise.
    0.05,
  );
  return {
    probability(points) {
      const { mean, variance } = gp.predict(points);
      return mean.map((m, i) => normCdf((m - 0.5) / Math.sqrt((variance[i] as number) + 0.04)));
    },
  };
}
