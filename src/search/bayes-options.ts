// Options of the Bayesian strategy.
import type { PriorModel } from './prior.js';
import type { StoppingRule } from './stopping-rule.js';
import type { Params } from './trial.js';

/** Options of the Bayesian strategy. */
export interface BayesStrategyOptions {
  /** Seed of the initial design, candidate draws and ParEGO weights. @default 0 */
  seed?: number;
  /** Configurations evaluated first, after the space defaults (e.g. known-good settings). @default [] */
  initial?: readonly Params[];
  /** Evaluate the configuration made of every parameter's `default` first. @default true */
  useDefaults?: boolean;
  /**
   * Trials (of any state) before the model takes over; the rest of the start is a Latin hypercube, cut
   * short when three finished trials all failed to start or broke the SLO (the models then seek feasibility).
   * @default 6
   */
  initialDesignSize?: number;
  /** When to advise stopping; `false` never advises. @default { minRelativeImprovement: 0.001, patience: 8 } */
  stopping?: StoppingRule | false;
  /**
   * The latency metric each constraint value bounds (`ttft`, `tpot`, `itl`, `e2e`; undefined for others such
   * as the error rate), in the order of `Trial.constraints`. With the parameters' `lowers` hints it lets the
   * start repair a broken SLO: while no trial meets it with 5 % to spare, the least violating configuration
   * moves along the hinted parameters (see slo-repair). @default [] (no repair)
   */
  constraintMetrics?: readonly (string | undefined)[];
  /**
   * A cheaper model of the problem (e.g. the analytic model of an engine). The start tries the configurations
   * it ranks best under the constraints instead of a space-filling design, and the surrogates model the
   * measurements' departure from it (its bias, calibrated on the measured trials, and what it misses). Without it
   * the strategy behaves as it does without prior knowledge.
   */
  prior?: PriorModel;
  /**
   * The chance (0 to 1) that a configuration starts, from knowledge outside the history (e.g. the memory an
   * analytic model predicts it leaves, and what launches taught about that model's bias). It multiplies the
   * launch model's probability, so a configuration likely to fail at start-up is launched only when its expected
   * improvement outweighs that. Asked afresh at every `ask` (never cached). @default none (every chance 1)
   */
  startChance?: (params: Params) => number;
}
