// The Bayesian strategy's model of a history: objective GP, constraint GPs and crash feasibility, scored
// by log expected improvement times the probability of feasibility, with constant-liar batches.

import type { Rng } from '../util/rng.js';
import { logExpectedImprovement, logProbabilityFeasible } from './acquisition.js';
import { type FailureRule, predictedToFail } from './launch-rules.js';

/** log warping of same-signed targets (order kept): latencies and throughputs span decades. */
function logWarp(values: readonly number[]): number[] {
  if (values.every((v) => v > 0)) return values.map(Math.log);
  if (values.every((v) => v < 0)) return values.map((v) => -Math.log(-v));
  return [...values];
}

import { conditionGp, type GpModel } from './gp.js';
import { chebyshevScalarise, simplexWeights } from './parego.js';
import {
  compressedPriorConstraint,
  type PriorModel,
  priorMeanFunction,
  warpedPriorObjective,
} from './prior.js';
import {
  compressConstraint,
  expandConstraint,
  type FeasibilityModel,
  fitFeasibilityModel,
  fitSurrogate,
  withNoiseFloor,
} from './surrogates.js';
import { isFeasibleTrial, type Params, type Trial } from './trial.js';
import type { UnitCubeEncoder } from './unit-cube.js';

/** Scores of candidate points under a BayesModel. */
export interface CandidateScores {
  /** log acquisition (higher is better). */
  score: Float64Array;
  /** Expected improvement in objective units (0 when nothing feasible is known yet). */
  expectedImprovement: Float64Array;
}

/** A fitted model of the history that scores candidates and absorbs pending points. */
export interface BayesModel {
  /** Best feasible posterior mean of the (scalarised) objective, undefined when nothing is feasible. */
  readonly incumbent: number | undefined;
  score(points: readonly number[][]): CandidateScores;
  /**
   * Constraint values the models predict at `points` when they assume at least a real measurement's noise, per
   * constraint (undefined for one without a model: never violated; none before anything was measured).
   */
  smoothedConstraints(points: readonly number[][]): (number[] | undefined)[];
  /** Treats `point` as being evaluated: objective lie at the incumbent, penalty around it. */
  addPending(point: readonly number[]): void;
}

/**
 * Least noise assumed of a measured SLO term (constraint units: a fraction of its bound) when judging whether
 * feasibility was found: latency percentiles of repeated benchmarks of one configuration differ by a few
 * percent, so a model with this noise smooths over differences this small rather than explain them by the
 * parameters.
 */
const CONSTRAINT_NOISE_SD = 0.03;
/** Room below every SLO bound (constraint units) that no measurement noise explains away. */
const CLEAR_MARGIN = 0.1;
/** A launch failure wastes a whole trial: its log probability counts this many times in the score. */
const CRASH_WEIGHT = 4;
/** Probability-of-running factor of a point an earlier monotone failure predicts to fail the same way. */
const RULE_NO_RUN = 0.02;
/** Probability-of-running factor of a point the prior predicts cannot run (evidence may still outweigh it). */
const PRIOR_NO_RUN = 0.05;

function sqDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return s;
}

/** Objective targets: the single value, or ParEGO's Chebyshev scalarisation with seeded weights. */
function targets(complete: readonly Trial[], rng: Rng): number[] {
  const vectors = complete.map((t) => t.values as number[]);
  const k = vectors[0]?.length ?? 1;
  if (k === 1) return vectors.map((v) => v[0] as number);
  return chebyshevScalarise(vectors, simplexWeights(k, rng));
}

/** Builds the model; `complete` trials must have finite values. Returns undefined with no complete trial. */
export function buildBayesModel(
  encoder: UnitCubeEncoder,
  history: readonly Trial[],
  rng: Rng,
  /** A cheaper model's predictions: the surrogates fit what the measurements add to it (single objective). */
  prior?: PriorModel,
  /** Failures monotone along hinted parameters: a point they predict to fail is unlikely to run. */
  rules: readonly FailureRule[] = [],
  /** Chance that a configuration starts, from what the caller knows beyond the history (1 when it cannot tell). */
  startChance?: (params: Params) => number,
): BayesModel | undefined {
  const complete = history.filter(
    (t) =>
      t.state === 'complete' &&
      t.values !== undefined &&
      t.values.length > 0 &&
      t.values.every(Number.isFinite),
  );
  const finished = history.filter(
    (t) => t.state === 'complete' || t.state === 'failed' || t.state === 'invalid',
  );
  const feasibility: FeasibilityModel = fitFeasibilityModel(
    finished.map((t) => encoder.encode(t.params)),
    finished.map((t) => complete.includes(t)),
  );
  const pending: number[][] = history
    .filter((t) => t.state === 'running')
    .map((t) => encoder.encode(t.params));
  const allPoints = history.map((t) => encoder.encode(t.params));
  // A candidate point is decoded once for the prior's means, the launch rules and the start chance.
  const decoded = new WeakMap<readonly number[], Params>();
  const decodeOnce = (point: readonly number[]): Params => {
    let params = decoded.get(point);
    if (params === undefined) {
      params = encoder.decode(point);
      decoded.set(point, params);
    }
    return params;
  };
  // The crash model's probability of running, lowered where the failure rules or the prior predict the point
  // cannot run, and by the caller's chance that the point starts.
  const runProbability = (points: readonly number[][]): ArrayLike<number> => {
    const pOk = feasibility.probability(points);
    if (!prior && !startChance && rules.length === 0) return pOk;
    return points.map((point, i) => {
      const params = decodeOnce(point);
      const ruled = predictedToFail(rules, params) ? RULE_NO_RUN : 1;
      const priorFactor = !prior || prior(params) ? 1 : PRIOR_NO_RUN;
      const chance = startChance ? Math.min(1, Math.max(0, startChance(params))) : 1;
      return (pOk[i] as number) * ruled * priorFactor * chance;
    });
  };
  const penaltyWidth2 = 0.01 * Math.max(1, encoder.dims.length);
  const localPenalty = (p: readonly number[]): number => {
    let log = 0;
    for (const q of pending)
      log += Math.log(Math.max(1e-12, 1 - Math.exp(-sqDistance(p, q) / penaltyWidth2)));
    return log;
  };
  if (complete.length === 0) {
    // Nothing measured yet: prefer launchable points far from everything tried.
    return {
      incumbent: undefined,
      smoothedConstraints: () => [],
      score(points) {
        const pOk = runProbability(points);
        const score = new Float64Array(points.length);
        points.forEach((p, i) => {
          const minD = Math.min(...allPoints.concat(pending).map((q) => sqDistance(p, q)), 1e9);
          score[i] =
            Math.log(Math.max(1e-300, pOk[i] as number)) + 0.5 * Math.log(minD + 1e-12) + localPenalty(p);
        });
        return { score, expectedImprovement: new Float64Array(points.length) };
      },
      addPending: (point) => pending.push([...point]),
    };
  }
  const x = complete.map((t) => encoder.encode(t.params));
  const raw = targets(complete, rng);
  const y = logWarp(raw);
  const sign: -1 | 0 | 1 = raw.every((v) => v > 0) ? 1 : raw.every((v) => v < 0) ? -1 : 0;
  // With a prior, each surrogate models the residual of the measurements from the calibrated prior.
  const objectiveMean =
    prior && (complete[0]?.values?.length ?? 1) === 1
      ? priorMeanFunction(decodeOnce, prior, (p) => warpedPriorObjective(p, sign), x, y)
      : undefined;
  const shifted = (model: GpModel, mean: ((p: readonly number[]) => number) | undefined): GpModel =>
    mean === undefined
      ? model
      : {
          hyper: model.hyper,
          n: model.n,
          logMarginalLikelihood: model.logMarginalLikelihood,
          predict(points) {
            const prediction = model.predict(points);
            return {
              ...prediction,
              mean: prediction.mean.map((m, i) => m + mean(points[i] as number[])),
            };
          },
        };
  const residual = (
    mean: ((p: readonly number[]) => number) | undefined,
    points: number[][],
    values: number[],
  ) => (mean === undefined ? values : values.map((v, i) => v - mean(points[i] as number[])));
  let objective: GpModel = shifted(fitSurrogate(x, residual(objectiveMean, x, y)), objectiveMean);
  const constraintCount = Math.max(0, ...complete.map((t) => t.constraints?.length ?? 0));
  // Each constraint's measured points, their residuals from the prior's calibrated prediction (the compressed
  // measurements without a prior) and that mean; none for a constraint never violated.
  const constraintData = Array.from({ length: constraintCount }, (_, j) => {
    const rows = complete
      .map((t, i) => [i, t.constraints?.[j]] as const)
      .filter(([, c]) => c !== undefined && Number.isFinite(c));
    const cx = rows.map(([i]) => x[i] as number[]);
    const cy = rows.map(([, c]) => compressConstraint(c as number));
    if (cy.every((c) => c <= 0) && cy.length >= 3) return undefined; // never violated: no model needed
    if (cy.length === 0) return undefined;
    const mean = prior
      ? priorMeanFunction(decodeOnce, prior, (p) => compressedPriorConstraint(p, j), cx, cy)
      : undefined;
    return { cx, residuals: residual(mean, cx, cy), mean };
  });
  const constraintFits = constraintData.map((d) => d && fitSurrogate(d.cx, d.residuals, 20));
  const constraintModels = constraintFits.map((fit, j) => fit && shifted(fit, constraintData[j]?.mean));
  // Feasibility is found once a trial meets the SLO beyond any measurement noise, or once constraint models that
  // assume the noise of a real measurement agree that a trial measured within the SLO meets it: lucky
  // measurements of configurations whose like all break the SLO do not end the search for feasibility.
  const observedFeasible = complete.map((t, i) => (isFeasibleTrial(t) ? i : -1)).filter((i) => i >= 0);
  const clearly = observedFeasible.some((i) =>
    (complete[i]?.constraints ?? []).every((c) => c <= -CLEAR_MARGIN),
  );
  // The constraint models refitted with at least a real measurement's noise (each built once, when asked).
  let floored: (GpModel | undefined)[] | undefined;
  const smoothed = (points: readonly number[][]): (Float64Array | number[] | undefined)[] => {
    floored ??= constraintData.map((d, j) => {
      const fit = constraintFits[j];
      if (d === undefined || fit === undefined) return undefined;
      return shifted(withNoiseFloor(fit, d.cx, d.residuals, CONSTRAINT_NOISE_SD), d.mean);
    });
    return floored.map((m) => m?.predict(points as number[][]).mean);
  };
  let confirmed = observedFeasible.length > 0 && clearly;
  if (observedFeasible.length > 0 && !clearly) {
    const at = observedFeasible.map((i) => x[i] as number[]);
    const means = smoothed(at);
    confirmed = at.some((_, k) => means.every((mean) => mean === undefined || (mean[k] as number) <= 0));
  }
  const feasibleIdx = confirmed ? observedFeasible : [];
  let incumbent: number | undefined;
  if (feasibleIdx.length > 0) {
    const { mean } = objective.predict(feasibleIdx.map((i) => x[i] as number[]));
    incumbent = Math.min(...mean);
  }
  const lieValue = incumbent ?? Math.min(...y);
  const xs = [...x];
  const ys = residual(objectiveMean, x, y);
  const addLie = (point: readonly number[]): void => {
    xs.push([...point]);
    ys.push(lieValue - (objectiveMean?.(point) ?? 0));
    objective = shifted(conditionGp(xs, ys, objective.hyper), objectiveMean);
  };
  for (const p of pending) addLie(p);
  return {
    incumbent,
    smoothedConstraints: (points) =>
      smoothed(points).map((m) => (m === undefined ? undefined : Array.from(m, expandConstraint))),
    score(points) {
      const obj = objective.predict(points);
      const pOk = runProbability(points);
      const cons = constraintModels.map((m) => m?.predict(points));
      const score = new Float64Array(points.length);
      const ei = new Float64Array(points.length);
      for (let i = 0; i < points.length; i++) {
        // A crash wastes a whole trial, unlike a point that merely fails to improve: weigh it more.
        let logFeasible = CRASH_WEIGHT * Math.log(Math.max(1e-300, pOk[i] as number));
        for (const c of cons)
          if (c !== undefined)
            logFeasible += logProbabilityFeasible(c.mean[i] as number, c.variance[i] as number);
        const penalty = localPenalty(points[i] as number[]);
        if (incumbent === undefined) {
          // Nothing feasible yet: look for feasibility first, preferring a low objective among equals.
          score[i] =
            logFeasible +
            penalty -
            (1e-3 * ((obj.mean[i] as number) - lieValue)) / (Math.sqrt(obj.variance[i] as number) + 1e-9);
          continue;
        }
        const logEi = logExpectedImprovement(obj.mean[i] as number, obj.variance[i] as number, incumbent);
        ei[i] = Math.exp(logEi + logFeasible);
        score[i] = logEi + logFeasible + penalty;
      }
      return { score, expectedImprovement: ei };
    },
    addPending(point) {
      pending.push([...point]);
      addLie(point);
    },
  };
}
