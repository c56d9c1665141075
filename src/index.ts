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

// search

// slo

// sim

// benchmark

// runtimes

// controllers

// tune

// report
