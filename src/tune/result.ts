// What a finished study returns: the winner with its exports, the Pareto front and every trial.

import type { ConfigExports } from '../deploy/exports.js';
import type { Params } from '../search/trial.js';
import type { Confirmation } from './confirm.js';
import type { TrialRecord } from './trial-record.js';

/** The winning configuration. */
export interface BestConfig {
  trial: number;
  params: Params;
  /** Objective value(s) in the user's direction, from the search trial. */
  objective: number[];
  /** Confirmed mean of the first objective (when confirmation ran). */
  confirmedMean?: number | undefined;
  /** Trials whose configuration is statistically tied with the winner. */
  tiedWith: number[];
  record: TrialRecord;
  /** Ready-to-run forms of the configuration. */
  exports: ConfigExports;
}

/** How the winner compares with the engine's defaults (the first trial when defaults were evaluated). */
export interface DefaultsComparison {
  defaultsTrial: number;
  defaultsFeasible: boolean;
  /** Relative change of the first objective in the user's direction, e.g. 0.35 = 35 % better. */
  improvement: number | undefined;
}

/** Result of tune(). */
export interface TuneResult {
  studyId: string;
  journalPath: string;
  /** Why the search stopped (budget, exhaustion, no improvement left, ...). */
  stopReason: string;
  objectiveNames: string[];
  directions: Array<'minimize' | 'maximize'>;
  best: BestConfig | undefined;
  /** Non-dominated feasible trials (multi-objective studies; the best alone otherwise). */
  pareto: TrialRecord[];
  trials: TrialRecord[];
  confirmation: Confirmation | undefined;
  defaults: DefaultsComparison | undefined;
  /** Wall time of the study in ms (this run only when resumed). */
  elapsedMs: number;
}
