// Optuna-style constraint values of an SLO: one number per bound, feasible when every one is <= 0.
import type { LatencyMetrics, RunMetrics, SloSpec } from './types.js';

/**
 * One constraint value per SLO term, `observed / threshold - 1` (so `<= 0` holds the bound and `0.25` is 25 %
 * over), in the order of `slo.terms`; then, when `slo.maxErrorRate` is set, one for the error rate:
 * `errorRate / maxErrorRate - 1`, or `errorRate` itself for a bound of 0 (any error breaks it). A statistic
 * the metrics could not compute gives `Infinity`: a bound that cannot be checked is never met.
 */
export function constraintValues(metrics: LatencyMetrics | RunMetrics, slo: SloSpec): number[] {
  const values = slo.terms.map((term) => {
    const actual = metrics[`${term.metric}Ms`]?.[term.stat];
    if (typeof actual !== 'number' || !Number.isFinite(actual)) return Number.POSITIVE_INFINITY;
    return actual / term.maxMs - 1;
  });
  if (slo.maxErrorRate !== undefined) {
    const errorRate = 'errorRate' in metrics ? metrics.errorRate : undefined;
    if (typeof errorRate !== 'number' || Number.isNaN(errorRate)) values.push(Number.POSITIVE_INFINITY);
    else values.push(slo.maxErrorRate > 0 ? errorRate / slo.maxErrorRate - 1 : errorRate);
  }
  return values;
}

/** True when every constraint value holds (`<= 0`); an empty list is feasible. NaN never holds. */
export function constraintsHold(values: readonly number[]): boolean {
  return values.every((value) => value <= 0);
}

/** Total violation of a constraint list: the sum of its positive parts (0 when feasible; NaN counts as Infinity). */
export function totalViolation(values: readonly number[]): number {
  let total = 0;
  for (const value of values) {
    if (Number.isNaN(value)) return Number.POSITIVE_INFINITY;
    if (value > 0) total += value;
  }
  return total;
}
