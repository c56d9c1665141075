// The study's record of one trial: the strategy's view (Trial) plus what people and reports need.
import type { SuggestionOrigin } from '../search/strategy.js';
import type { Params, Trial } from '../search/trial.js';
import type { ScreenKind, ScreenPrediction } from '../sim/screen.js';
import type { RunMetrics } from '../slo/types.js';
import type { TrialTelemetry } from './trial-telemetry.js';

/** Why a trial failed, classified. */
export type FailureReason =
  | 'oom'
  | 'cuda-error'
  | 'bad-flag'
  | 'port-in-use'
  | 'model-not-found'
  | 'crash'
  | 'readiness-timeout'
  | 'launch-error'
  | 'control-plane'
  | 'trial-timeout'
  | 'benchmark-error'
  | 'no-capacity'
  | 'invalid-parameters'
  | 'screened'
  | 'known-failure'
  | 'aborted'
  | 'unknown';

/** Reproducibility manifest of one trial: enough to run the same thing again. */
export interface TrialManifest {
  runtime: string;
  /** The version the running engine reported (its version endpoint, else its image's version label). */
  engineVersion?: string | undefined;
  image?: string | undefined;
  imageDigest?: string | undefined;
  command: string;
  argv: string[];
  /** Environment with secrets redacted. */
  env: Record<string, string>;
  gpus: Array<{ index: number; uuid: string; name: string; driverVersion?: string | undefined }>;
  controller: string;
  workload: unknown;
  load: unknown;
  seed: number;
  library: { name: string; version: string };
  /** Version of the flag registry the parameters were validated against, when it names one. */
  registryVersion?: string | undefined;
}

/** A finished trial as journaled. */
export interface TrialRecord extends Trial {
  state: Exclude<Trial['state'], 'running'>;
  /** `baseline` runs the engine defaults; `search` trials come from the strategy; `confirm` re-measure a top one. */
  phase: 'baseline' | 'search' | 'confirm';
  /** For confirmation runs: the search trial whose configuration is re-measured. */
  confirmOf?: number;
  /** Why the strategy suggested this configuration (search trials of strategies that say). */
  origin?: SuggestionOrigin;
  /** True when complete and every constraint holds. */
  feasible: boolean;
  /** Objective value(s) in the user's direction (e.g. tok/s for a maximised throughput). */
  objective?: number[];
  metrics?: RunMetrics;
  /** Measurements per load level when several were run (concurrency or rate levels). */
  levels?: Array<{ level: number; metrics: RunMetrics }>;
  /** SLO penalty multiplier (1 = no violation). */
  penalty?: number;
  /**
   * Present when the load generator, not the server, set the pace of a measured run: why (e.g. `p99 send lag
   * 31.2 ms over 10 ms`). The numbers may understate the server; a recommendation resting on such runs says so.
   */
  clientLimited?: string[];
  /**
   * What the engine (its /metrics) and the trial's GPUs did while the representative level ran: gauges as
   * time-weighted mean and max, counters as rates, and what could not be sampled.
   */
  telemetry?: TrialTelemetry;
  /** Why the trial did as it did, in short sentences, from its telemetry and SLO result (e.g. a full KV cache). */
  diagnosis?: string[];
  failure?: {
    reason: FailureReason;
    message: string;
    logTail?: string | undefined;
    exitCode?: number | null | undefined;
    /** Class name of the error that failed the trial, e.g. `ReadinessTimeoutError`, when an error did. */
    errorName?: string | undefined;
    /** Stable `code` of that error, e.g. `ERR_READINESS_TIMEOUT`. */
    errorCode?: string | undefined;
  };
  /**
   * Not launched: the analytic model predicted that this configuration cannot start, even with `margin` more
   * device memory (state `invalid`, failure reason `screened`). Never measured, never a winner.
   */
  screened?: { kind: ScreenKind; reason: string; margin: number; predicted?: ScreenPrediction | undefined };
  /**
   * The analytic model's figures for this configuration (its memory plan, roofline and scheduler for the study's
   * model, GPU, workload and last load level), beside the measured `metrics`: how far off the model is.
   */
  predicted?: RunMetrics | undefined;
  worldSize: number;
  /** Indices of the leased GPUs (on a cluster: within the node). */
  gpuIndices: number[];
  /** Cluster node the study placed the trial on (Kubernetes with a per-node pool). */
  node?: string | undefined;
  /**
   * Times the cluster could not schedule the trial for now (its GPUs taken by something outside the study) and
   * the trial gave its GPUs back and tried again. Capacity, not the configuration: never a reason to score it.
   */
  capacityWaits?: number | undefined;
  /**
   * How the tuner reached the server when not on this host: `port-forward` tunnels every request through the
   * Kubernetes API server, adding latency to each TTFT and ITL sample and capping throughput.
   */
  via?: 'pod-ip' | 'service' | 'port-forward' | undefined;
  startedAt: string;
  /** When the trial first held its GPUs (later than startedAt when it waited for them); none without GPUs. */
  gpusHeldAt?: string | undefined;
  finishedAt: string;
  durationMs: number;
  startupMs?: number | undefined;
  /**
   * KV cache capacity in tokens of one replica that the started engine reported at readiness (vLLM's cache
   * config gauge, SGLang's server info): set against the model's prediction, it measures the model's memory error.
   */
  kvCapacityTokens?: number | undefined;
  benchmarkMs?: number | undefined;
  manifest?: TrialManifest;
}

/** A configuration together with its sequence number, as asked. */
export interface PlannedTrial {
  number: number;
  params: Params;
  phase: 'baseline' | 'search' | 'confirm';
  confirmOf?: number;
  /** Why the strategy suggested it (search trials of strategies that say). */
  origin?: SuggestionOrigin;
}

/**
 * True for a configuration recorded without launching it, on what was known before: screened by the analytic
 * model, a launch line that failed to start in an earlier study, or a layout wider than the study's GPUs (the
 * host's, or the largest node's of a cluster). Such trials cost nothing and use no budget.
 */
export function isNotLaunched(trial: Pick<TrialRecord, 'failureReason' | 'state'>): boolean {
  return (
    trial.failureReason === 'screened' ||
    trial.failureReason === 'known-failure' ||
    // Only as refused before launch: a trial that waited in vain for a cluster's room ran out its time.
    (trial.failureReason === 'no-capacity' && trial.state === 'invalid')
  );
}
