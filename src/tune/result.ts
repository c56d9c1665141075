// What a finished study returns: the winner with its exports, the Pareto front and every trial.

import type { ConfigExports } from '../deploy/exports.js';
import type { Params } from '../search/trial.js';
import type { Confirmation } from './confirm.js';
import type { TrialRecord } from './trial-record.js';

/** The recommended configuration: the tuned winner, or the engine defaults when nothing beat them beyond noise. */
export interface BestConfig {
  trial: number;
  params: Params;
  /** Objective value(s) in the user's direction, from the trial's first run. */
  objective: number[];
  /** Confirmed mean of the first objective (when confirmation ran). */
  confirmedMean?: number | undefined;
  /** Trials whose configuration is statistically tied with the winner. */
  tiedWith: number[];
  record: TrialRecord;
  /** Ready-to-run forms of the configuration. */
  exports: ConfigExports;
  /**
   * What to know before trusting the recommendation, one sentence each: runs of it (or of the defaults it was
   * compared with) whose pace the benchmark client set, a comparison that rests on single runs. Empty when none.
   */
  caveats: string[];
}

/**
 * How the best tuned configuration compares with the engine defaults:
 * - `better`: it beats the defaults beyond noise (the interval excludes no gain);
 * - `within-noise`: the interval includes no difference: keep the defaults;
 * - `worse`: the defaults are better beyond noise: keep the defaults;
 * - `unconfirmed`: fewer than two confirmation runs on a side (confirmation off, `repeats: 1`, multi-objective
 *   studies): the comparison rests on single runs and cannot tell a gain from noise;
 * - `defaults-infeasible`: the defaults broke the SLO in most of their runs, or in a confirmation run while
 *   the tuned configuration met it in each of its confirmation runs;
 * - `defaults-failed`: the defaults never completed a run (crash, out of memory, invalid, ...);
 * - `no-tuned-feasible`: no tuned configuration met the SLO, the defaults did: keep the defaults.
 */
export type DefaultsVerdict =
  | 'better'
  | 'within-noise'
  | 'worse'
  | 'unconfirmed'
  | 'defaults-infeasible'
  | 'defaults-failed'
  | 'no-tuned-feasible';

/** The runs of one side of the comparison with the defaults. */
export interface ComparedRuns {
  /** Trial numbers of the runs the numbers come from. */
  trials: number[];
  /** Mean of the first objective over those runs (user direction). */
  mean: number | undefined;
  /** Sample standard deviation (undefined for fewer than two runs). */
  sd: number | undefined;
}

/** How the recommendation compares with the engine's defaults (the baseline trial and its re-measurements). */
export interface DefaultsComparison {
  /** The baseline trial (the engine defaults' first run). */
  defaultsTrial: number;
  /** True when the defaults met the SLO in at least half of their runs. */
  defaultsFeasible: boolean;
  /**
   * Relative change of the first objective of the best tuned configuration over the defaults, in the user's
   * direction (0.35 = 35 % better), from the runs in `tunedRuns` and `defaultsRuns`; undefined when either
   * side has no feasible run.
   */
  improvement: number | undefined;
  /** Two-sided interval of `improvement` at `confidence` (undefined without two runs on each side). */
  interval: { low: number; high: number; confidence: number } | undefined;
  verdict: DefaultsVerdict;
  /** True when the recommendation (`TuneResult.best`) is the engine defaults. */
  keepDefaults: boolean;
  /** The best tuned configuration compared (its search trial), when one met the SLO. */
  tunedTrial: number | undefined;
  tunedRuns: ComparedRuns | undefined;
  defaultsRuns: ComparedRuns;
  /** The comparison in one sentence, with the numbers (e.g. `Keep the engine defaults: ...`). */
  summary: string;
}

/** Result of tune(). */
export interface TuneResult {
  studyId: string;
  journalPath: string;
  /** Why the search stopped (budget, exhaustion, no improvement left, ...). */
  stopReason: string;
  objectiveNames: string[];
  directions: Array<'minimize' | 'maximize'>;
  /** The recommended configuration (the engine defaults when `defaults.keepDefaults`); undefined if none met the SLO. */
  best: BestConfig | undefined;
  /** Non-dominated feasible trials (multi-objective studies; the best alone otherwise). */
  pareto: TrialRecord[];
  trials: TrialRecord[];
  confirmation: Confirmation | undefined;
  defaults: DefaultsComparison | undefined;
  /** Wall time of this run of the study in ms (a resumed study's last run only; see `totalElapsedMs`). */
  elapsedMs: number;
  /**
   * Wall time of the study across every run: this run's plus the time earlier runs spent on the trials they
   * journaled (overlapping trials counted once; the time between runs, and a trial cut short by an
   * interruption, not counted). Equals `elapsedMs` for a study that was not resumed.
   */
  totalElapsedMs: number;
}
