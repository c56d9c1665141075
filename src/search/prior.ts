// A cheaper model of the problem (the simulator's analytic model of an engine) as prior knowledge of the
// Bayesian strategy: the start tries the configurations it ranks best under the constraints, and the surrogates
// model only what the measurements add to it (its bias, fitted as a linear map, and what it misses).
import { compressConstraint } from './surrogates.js';
import type { Params } from './trial.js';

/** What a prior model predicts of one configuration, in the units of `Trial.values` and `Trial.constraints`. */
export interface PriorPrediction {
  /** Objective values, minimised (as `Trial.values`). */
  values: readonly number[];
  /** Constraint values, feasible when <= 0 (as `Trial.constraints`). */
  constraints?: readonly number[];
  /**
   * How far the configuration is predicted to be from failing to run (larger is safer, e.g. memory to spare):
   * between predictions of the same objective, the safer one is tried first.
   */
  safety?: number;
}

/**
 * Predictions of a cheaper model of the problem: undefined where it predicts the configuration cannot run (or it
 * cannot tell). Called with configurations of the space; should be fast (it is cached per configuration).
 */
export type PriorModel = (params: Params) => PriorPrediction | undefined;

/** A prior model that answers each configuration once. */
export function cachedPrior(prior: PriorModel): PriorModel {
  const cache = new Map<string, PriorPrediction | undefined>();
  // The same configuration object is often asked again (one candidate scored for several surrogates).
  const byObject = new WeakMap<Params, PriorPrediction | null>();
  return (params) => {
    const known = byObject.get(params);
    if (known !== undefined) return known ?? undefined;
    const key = JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (cache.has(key)) {
      const hit = cache.get(key);
      byObject.set(params, hit ?? null);
      return hit;
    }
    let prediction: PriorPrediction | undefined;
    try {
      prediction = prior(params);
    } catch {
      prediction = undefined;
    }
    if (prediction && !prediction.values.every(Number.isFinite)) prediction = undefined;
    cache.set(key, prediction);
    byObject.set(params, prediction ?? null);
    return prediction;
  };
}

/** How far a prediction is from meeting every constraint with `margin` to spare (0 when it does). */
function predictedViolation(p: PriorPrediction, margin: number): number {
  return (p.constraints ?? []).reduce((sum, c) => sum + Math.max(0, c + margin), 0);
}

/**
 * Orders candidate configurations by the prior: those predicted to run and meet every constraint with `margin`
 * to spare (constraint values <= -margin, e.g. 0.1 for 10% below each bound) first, best predicted objective
 * first; then those predicted to run, nearest to that first. Those it predicts cannot run are left out.
 */
export function rankByPrior(candidates: readonly Params[], prior: PriorModel, margin = 0): Params[] {
  const scored = candidates.flatMap((params) => {
    const p = prior(params);
    return p
      ? [
          {
            params,
            violation: predictedViolation(p, margin),
            value: p.values[0] ?? 0,
            safety: p.safety ?? 0,
          },
        ]
      : [];
  });
  // Objectives within 0.1 % of each other are ties, broken by safety.
  const tie = (a: number, b: number) => Math.abs(a - b) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b));
  scored.sort(
    (a, b) => a.violation - b.violation || (tie(a.value, b.value) ? b.safety - a.safety : a.value - b.value),
  );
  return scored.map((s) => s.params);
}

/** A linear map from the prior's prediction to the measurement, fitted on the measured pairs. */
export interface PriorCalibration {
  /** The calibrated prediction of a prior value (in the modelled units). */
  at(prior: number): number;
  slope: number;
  intercept: number;
}

/**
 * Least-squares `measured ~ intercept + slope x prior`, with the slope kept within [0.2, 5] (a prior must stay
 * informative; the GP models the rest). One pair fits the offset only; none is the identity.
 */
export function calibratePrior(prior: readonly number[], measured: readonly number[]): PriorCalibration {
  const n = Math.min(prior.length, measured.length);
  if (n === 0) return { at: (p) => p, slope: 1, intercept: 0 };
  const mp = prior.slice(0, n).reduce((s, v) => s + v, 0) / n;
  const my = measured.slice(0, n).reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (prior[i] as number) - mp;
    sxx += dx * dx;
    sxy += dx * ((measured[i] as number) - my);
  }
  const slope = n >= 3 && sxx > 1e-12 ? Math.min(5, Math.max(0.2, sxy / sxx)) : 1;
  const intercept = my - slope * mp;
  return { at: (p) => intercept + slope * p, slope, intercept };
}

/** The prior's objective in the strategy's warped units (log scale for same-signed values), or undefined. */
export function warpedPriorObjective(p: PriorPrediction | undefined, sign: -1 | 0 | 1): number | undefined {
  const v = p?.values[0];
  if (v === undefined || !Number.isFinite(v)) return undefined;
  if (sign > 0) return v > 0 ? Math.log(v) : undefined;
  if (sign < 0) return v < 0 ? -Math.log(-v) : undefined;
  return v;
}

/** The prior's `j`-th constraint in the constraint surrogates' compressed units, or undefined. */
export function compressedPriorConstraint(p: PriorPrediction | undefined, j: number): number | undefined {
  const c = p?.constraints?.[j];
  return c === undefined || !Number.isFinite(c) ? undefined : compressConstraint(c);
}

/**
 * The prior as the mean function of a surrogate over encoded points: the prior's value (`valueAt`, in modelled
 * units) calibrated on the measured pairs, or the measurements' mean where the prior has no value. Undefined
 * when the prior has no value at any measured point.
 */
export function priorMeanFunction(
  decode: (point: readonly number[]) => Params,
  prior: PriorModel,
  valueAt: (p: PriorPrediction | undefined) => number | undefined,
  points: readonly (readonly number[])[],
  measured: readonly number[],
): ((point: readonly number[]) => number) | undefined {
  const raw = (point: readonly number[]) => valueAt(prior(decode(point)));
  const pairs = points.flatMap((point, i) => {
    const p = raw(point);
    return p === undefined ? [] : [[p, measured[i] as number] as const];
  });
  if (pairs.length === 0) return undefined;
  const calibration = calibratePrior(
    pairs.map(([p]) => p),
    pairs.map(([, y]) => y),
  );
  const fallback = measured.reduce((s, v) => s + v, 0) / Math.max(1, measured.length);
  const cache = new Map<string, number>();
  return (point) => {
    const key = point.join(',');
    let value = cache.get(key);
    if (value === undefined) {
      const p = raw(point);
      value = p === undefined ? fallback : calibration.at(p);
      cache.set(key, value);
    }
    return value;
  };
}
