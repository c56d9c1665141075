// Public API of inference-autotuner: named exports only; internals may move behind it.

export type { AutotunerErrorOptions } from './errors.js';
// errors
export {
  AutotunerError,
  BenchmarkError,
  ControlPlaneError,
  InvalidOptionError,
  InvalidParameterError,
  JournalError,
  LaunchError,
  PoolCapacityError,
  ReadinessTimeoutError,
  ServerExitedError,
  SpaceTooLargeError,
} from './errors.js';
export type { Clock } from './util/clock.js';
export { ManualClock, systemClock } from './util/clock.js';
export { createLogger } from './util/logger.js';
export { redactText, redactValue, registerSecret } from './util/redact.js';
export type { Rng } from './util/rng.js';
// util
export { createRng } from './util/rng.js';

// gpu

// parallelism
export type { ParallelConfig, ParallelKnob } from './parallelism/parallel-config.js';
export { normalizeParallelism } from './parallelism/parallel-config.js';
export type { WorldSizeOptions } from './parallelism/world-size.js';
export { gpusPerNode, worldSize } from './parallelism/world-size.js';

// search

// slo
export type { GoodputResult } from './slo/goodput.js';
export { goodput, requestMeetsSlo } from './slo/goodput.js';
export type { SloPenaltyResult, SloViolation, ViolationSeverity } from './slo/slo-penalty.js';
export { sloPenalty } from './slo/slo-penalty.js';
export type {
  LatencyMetric,
  LatencyMetrics,
  LatencyStat,
  LatencyStats,
  RequestLatency,
  RunMetrics,
  SloSpec,
  SloTerm,
} from './slo/types.js';

// sim

// benchmark

// runtimes

// controllers

// tune

// report
