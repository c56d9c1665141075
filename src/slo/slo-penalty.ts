// The exponential SLO penalty of the original autotuner, kept bit for bit, plus the error-rate bound.
import type { LatencyMetric, LatencyMetrics, LatencyStat, RunMetrics, SloSpec, SloTerm } from './types.js';

/** Penalty steepness used when an SLO spec gives none. */
export const DEFAULT_STEEPNESS = 0.1;
/** Term weight used when a term gives none. */
export const DEFAULT_WEIGHT = 1;
/** Relative violation above which a hard-fail term fails the trial, when the term gives none. */
export const DEFAULT_FAIL_RATIO = 0.5;
/** Relative violation above which a violation is reported as severe (strict `>`). */
export const SEVERE_RATIO = 0.2;

/** How bad one violation is: `severe` when the relative excess is above 0.2, or when it cannot be judged. */
export type ViolationSeverity = 'minor' | 'severe';

/** One SLO term that the metrics break (or that the metrics cannot judge). */
export interface SloViolation {
  /** The bounded metric; `error_rate` for the `maxErrorRate` bound. */
  metric: LatencyMetric | 'error_rate';
  /** The bounded statistic (`mean` for the error rate). */
  stat: LatencyStat;
  /** Observed value (ms; a share in [0, 1] for the error rate); `undefined` when the run could not compute it. */
  actual: number | undefined;
  /** The bound (ms; a share for the error rate). */
  threshold: number;
  /** `(actual - threshold) / threshold`; `Infinity` when it cannot be judged or the threshold is 0. */
  relativeExcess: number;
  severity: ViolationSeverity;
  /** False when the statistic was undefined in the metrics: such a term can never pass. */
  judged: boolean;
  /** True when this violation alone fails the trial. */
  hardFail: boolean;
  /** What this violation added to `multiplier - 1` (0 for hard fails and unjudged terms). */
  penalty: number;
}

/** Result of scoring metrics against an SLO spec. */
export interface SloPenaltyResult {
  /** `1 + sum(weight * exp(r / steepness))` over the soft violations; 1 when none. */
  multiplier: number;
  /** True when some term failed the trial outright (hard fail, unjudgeable term, error rate over its bound). */
  hardFail: boolean;
  violations: SloViolation[];
}

function readStat(metrics: LatencyMetrics, term: SloTerm): number | undefined {
  const value = metrics[`${term.metric}Ms`]?.[term.stat];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function severityOf(relativeExcess: number): ViolationSeverity {
  return relativeExcess > SEVERE_RATIO ? 'severe' : 'minor';
}

/**
 * Scores latency metrics against an SLO spec with the original autotuner's exponential penalty.
 *
 * For each term whose statistic is above its bound, `r = (actual - threshold) / threshold`; a `hardFail`
 * term with `r > failRatio` (strict) fails the trial, any other adds `weight * exp(r / steepness)`.
 * `multiplier = 1 + total`. A statistic that is undefined in the metrics (e.g. TPOT when every output had
 * one token) cannot show that the term holds, so it is reported as an unjudged severe violation and fails
 * the trial: missing data never makes a configuration look better. When `metrics` carries an `errorRate`
 * (a RunMetrics) and `slo.maxErrorRate` is set, an error rate above it also fails the trial.
 * Input is assumed valid (see validateSloSpec).
 */
export function sloPenalty(metrics: LatencyMetrics | RunMetrics, slo: SloSpec): SloPenaltyResult {
  const steepness = slo.steepness ?? DEFAULT_STEEPNESS;
  const violations: SloViolation[] = [];
  let total = 0;
  let hardFail = false;
  for (const term of slo.terms) {
    const actual = readStat(metrics, term);
    const base = { metric: term.metric, stat: term.stat, threshold: term.maxMs };
    if (actual === undefined) {
      violations.push({
        ...base,
        actual,
        relativeExcess: Number.POSITIVE_INFINITY,
        severity: 'severe',
        judged: false,
        hardFail: true,
        penalty: 0,
      });
      hardFail = true;
      continue;
    }
    if (!(actual > term.maxMs)) continue;
    const r = (actual - term.maxMs) / term.maxMs;
    const severity = severityOf(r);
    if ((term.hardFail ?? false) && r > (term.failRatio ?? DEFAULT_FAIL_RATIO)) {
      violations.push({
        ...base,
        actual,
        relativeExcess: r,
        severity,
        judged: true,
        hardFail: true,
        penalty: 0,
      });
      hardFail = true;
      continue;
    }
    const penalty = (term.weight ?? DEFAULT_WEIGHT) * Math.exp(r / steepness);
    total += penalty;
    violations.push({ ...base, actual, relativeExcess: r, severity, judged: true, hardFail: false, penalty });
  }
  const errorViolation = errorRateViolation(metrics, slo);
  if (errorViolation) {
    violations.push(errorViolation);
    hardFail = true;
  }
  return { multiplier: 1 + total, hardFail, violations };
}

function errorRateViolation(metrics: LatencyMetrics | RunMetrics, slo: SloSpec): SloViolation | undefined {
  if (slo.maxErrorRate === undefined || !('errorRate' in metrics)) return undefined;
  const actual = metrics.errorRate;
  const threshold = slo.maxErrorRate;
  const base = {
    metric: 'error_rate' as const,
    stat: 'mean' as const,
    threshold,
    hardFail: true,
    penalty: 0,
  };
  if (typeof actual !== 'number' || Number.isNaN(actual)) {
    return {
      ...base,
      actual: undefined,
      relativeExcess: Number.POSITIVE_INFINITY,
      severity: 'severe',
      judged: false,
    };
  }
  if (!(actual > threshold)) return undefined;
  const r = threshold > 0 ? (actual - threshold) / threshold : Number.POSITIVE_INFINITY;
  return { ...base, actual, relativeExcess: r, severity: severityOf(r), judged: true };
}
