// What the study needs from whatever measures a configuration (a real engine, or the analytic estimate).
import type { GpuInfo } from '../gpu/gpu-info.js';
import type { Params } from '../search/trial.js';
import type { RequestLatency, RunMetrics } from '../slo/types.js';
import type { StudyEvent } from './events.js';
import type { PruneBounds } from './scorer.js';
import type { PlannedTrial, TrialRecord } from './trial-record.js';

/** Context of one trial evaluation. */
export interface TrialContext {
  trial: PlannedTrial;
  /** GPUs leased for this trial (empty for CPU engines). */
  gpus: GpuInfo[];
  /** Aborted when the study stops or the trial times out; the evaluator must tear down and return or throw. */
  signal: AbortSignal;
  emit(event: StudyEvent): void;
  /** Returns true when the measurements so far already prove the SLO lost (the evaluator may stop early). */
  shouldPrune?(done: readonly RequestLatency[], planned: number, bounds?: PruneBounds): boolean;
}

/** What an evaluation measured; the study scores it. */
export interface Evaluation {
  state: 'complete' | 'failed' | 'pruned';
  metrics?: RunMetrics;
  levels?: TrialRecord['levels'];
  /** Why the load generator, not the server, set the pace (absent when it did not). */
  clientLimited?: string[];
  failure?: TrialRecord['failure'];
  startupMs?: number;
  /** KV cache capacity (tokens of one replica) the started engine reported, when it did. */
  kvCapacityTokens?: number;
  benchmarkMs?: number;
  manifest?: TrialRecord['manifest'];
  /** What the engine and GPUs did during the representative level. */
  telemetry?: TrialRecord['telemetry'];
  /** Short explanation from telemetry and the SLO result. */
  diagnosis?: string[];
  /** How the server was reached (Kubernetes): see TrialRecord.via. */
  via?: TrialRecord['via'];
}

/** Validation result of a configuration before anything is launched. */
export interface TrialPlan {
  /** GPUs the configuration needs (0 for CPU engines). */
  worldSize: number;
  /** Human-readable problems; non-empty makes the trial `invalid`. */
  problems: string[];
  /**
   * True when every problem is a layout needing more GPUs than the study has: the trial is recorded as
   * `no-capacity` (a known-before-launch failure the search learns a GPU rule from), not `invalid-parameters`.
   */
  noCapacity?: boolean;
}

/** Measures configurations. */
export interface TrialEvaluator {
  plan(params: Params): TrialPlan;
  evaluate(context: TrialContext): Promise<Evaluation>;
}
