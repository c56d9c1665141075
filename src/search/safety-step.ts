// The safety step: the best configuration measured within the SLO by less than a measurement's noise moves one
// SLO repair step to the safe side of its thin bound, so a search does not end on a best that met its SLO by luck.
import { type FailureRule, predictedToFail } from './launch-rules.js';
import type { SearchSpace } from './param-spec.js';
import { percent, repairFrom } from './slo-repair.js';
import { paramsKey } from './space-checks.js';
import { bestFeasibleTrial, type Params, type Trial } from './trial.js';

/**
 * Headroom below every SLO bound under which a configuration measured within the SLO may meet it by noise alone
 * (a latency percentile of one benchmark run varies by a few percent between runs).
 */
const NOISE_HEADROOM = 0.05;

/**
 * The safety step of the best trial measured within the SLO when it meets some bound by less than
 * `NOISE_HEADROOM` (as measured, or as the constraint models smooth it among its neighbours): its first SLO
 * repair move with that headroom that no earlier failure predicts to fail, once (not when that move was taken).
 */
export function safetyStep(
  space: SearchSpace,
  history: readonly Trial[],
  constraintMetrics: readonly (string | undefined)[],
  taken: ReadonlySet<string>,
  rules: readonly FailureRule[],
  smoothed: (params: Params) => readonly (number | undefined)[],
): { params: Params; note: string } | undefined {
  const best = bestFeasibleTrial(history);
  if (best === undefined) return undefined;
  const near = smoothed(best.params);
  const constraints = (best.constraints ?? []).map((c, j) => Math.max(c, near[j] ?? c));
  if (constraints.every((c) => c <= -NOISE_HEADROOM)) return undefined;
  const step = repairFrom(space, { ...best, constraints }, constraintMetrics, new Set(), NOISE_HEADROOM).find(
    (proposal) => !predictedToFail(rules, proposal.params),
  );
  if (step === undefined || taken.has(paramsKey(space, step.params))) return undefined;
  const thin = constraints
    .map((c, j) => [constraintMetrics[j], c] as const)
    .filter(([metric, c]) => metric !== undefined && c > -NOISE_HEADROOM)
    .map(([metric, c]) => `${metric} ${percent(Math.abs(c))} ${c > 0 ? 'over' : 'under'}`);
  return {
    params: step.params,
    note: `safety step of trial ${best.number} (within the SLO by less than the measurement noise: ${thin.join(', ')}, judged with its neighbours): ${step.changes}`,
  };
}
