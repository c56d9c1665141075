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

/** Scores measurements and decides when partial results already prove the SLO lost. */
export interface Scorer {
  /** Objective names, for reports. */
  readonly objectiveNames: string[];
  /** Direction of each objective as the user sees it. */
  readonly directions: Array<'minimize' | 'maximize'>;
  score(metrics: RunMetrics, worldSize: number): Score;
  /** True when the requests finished so far prove the SLO will be broken once all `planned` are in. */
  provenLost(done: readonly RequestLatency[], planned: number): boolean;
}
