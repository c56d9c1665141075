// Turns a run's measurements into what strategies minimise and what people read.
import type { RequestLatency, RunMetrics } from '../slo/types.js';

/** The scores of one measured configuration. */
export interface Score {
  /** Objective values, every one minimised (strategies read these). */
  values: number[];
  /** Constraint values, feasible when every one is <= 0. */
  constraints: number[];
  /** Objective values in the user's direction (e.g. tok/s when maximising throughput). */
  objective: number[];
  /** SLO penalty multiplier (1 = no violation). */
  penalty: number;
  feasible: boolean;
}

/** What is known in advance about a run being judged early, beyond its request count. */
export interface PruneBounds {
  /**
   * Most inter-token gaps the whole run can produce (the sum over its planned requests of max_tokens - 1):
   * with it, ITL terms can be proven lost too. Called at most once, when an ITL term needs it.
   */
  maxItlGaps?: () => number;
}

/** Scores measurements and decides when partial results already prove the SLO lost. */
export interface Scorer {
  /** Objective names, for reports. */
  readonly objectiveNames: string[];
  /** Direction of each objective as the user sees it. */
  readonly directions: Array<'minimize' | 'maximize'>;
  score(metrics: RunMetrics, worldSize: number): Score;
  /** True when the requests finished so far prove the SLO will be broken once all `planned` are in. */
  provenLost(done: readonly RequestLatency[], planned: number, bounds?: PruneBounds): boolean;
}
