// Trial history records: what strategies read and what the study journals and replays.
import { isFeasibleOutcome } from '../slo/compare-trials.js';

/** A value a parameter can take. */
export type ParamValue = string | number | boolean;

/** One configuration: parameter name to value. Inactive conditional parameters are absent. */
export type Params = Record<string, ParamValue>;

/**
 * Lifecycle of a trial.
 * - `running`: asked, result not known yet (strategies avoid suggesting it again).
 * - `complete`: measured; `values` hold the objective values (feasible or not).
 * - `failed`: launch crash, OOM, readiness timeout, benchmark error; never carries winning values.
 * - `invalid`: rejected before launch (unknown flag, bad value, broken rule).
 * - `pruned`: stopped early by the study.
 */
export type TrialState = 'running' | 'complete' | 'failed' | 'invalid' | 'pruned';

/** What a trial's engine telemetry says, in the search's terms (the study fills it from its telemetry). */
export interface TrialSignals {
  /** The KV cache sat at or near full for a telling share of the run. */
  kvSaturated?: boolean;
  /** Requests the engine preempted (evicted from the KV cache) during the run. */
  preemptions?: number;
  /** The telemetry behind the signals in words, for notes (`KV cache >= 95% for 70% of the run, 412 preemptions`). */
  evidence?: string;
}

/** One entry of the trial history. */
export interface Trial {
  /** Sequence number, 0-based, in ask order. */
  number: number;
  params: Params;
  state: TrialState;
  /** Objective values, every one minimised; present for `complete` trials. */
  values?: number[];
  /** Constraint values (SLO terms etc.), feasible when every entry is <= 0. */
  constraints?: number[];
  /** Classified reason of a `failed` or `invalid` trial, e.g. `oom`, `crash`, `readiness-timeout`. */
  failureReason?: string;
  /** What the engine's telemetry said during the trial, when it was sampled. */
  signals?: TrialSignals;
}

/** True when a complete trial has finite values and satisfies every constraint (the slo ranking rule). */
export function isFeasibleTrial(trial: Trial): boolean {
  return isFeasibleOutcome(trial);
}

/** The feasible complete trial with the lowest first objective value, if any. */
export function bestFeasibleTrial(history: readonly Trial[]): Trial | undefined {
  let best: Trial | undefined;
  for (const trial of history) {
    if (!isFeasibleTrial(trial)) continue;
    if (best === undefined || (trial.values?.[0] ?? Infinity) < (best.values?.[0] ?? Infinity)) best = trial;
  }
  return best;
}
