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
export type { GpuInfo, GpuProcess } from './gpu/gpu-info.js';
export type { GpuProbe, GpuProbeOptions, GpuProbeResult, GpuProbeSource } from './gpu/gpu-probe.js';
export type { AcquireOptions, GpuLease, GpuPoolOptions } from './gpu/gpu-pool.js';
export { GpuPool } from './gpu/gpu-pool.js';
export type { MemoryBalance } from './gpu/memory-balance.js';
export { checkMemoryBalance } from './gpu/memory-balance.js';
export {
  NVIDIA_SMI_QUERY_COMPUTE_APPS_FIELDS,
  NVIDIA_SMI_QUERY_GPU_FIELDS,
  parseNvidiaSmiCsv,
} from './gpu/nvidia-smi-csv.js';
export type { NvidiaSmiXmlOptions } from './gpu/nvidia-smi-log.js';
export type { NvidiaSmiProbeOptions } from './gpu/nvidia-smi-probe.js';
export { NvidiaSmiProbe } from './gpu/nvidia-smi-probe.js';
export { parseNvidiaSmiXml } from './gpu/nvidia-smi-xml.js';
export type { ProbeGpusOptions } from './gpu/probe-gpus.js';
export { probeGpus } from './gpu/probe-gpus.js';
export type { GpuFilter, GpuSelection, RejectedGpu, SelectGpusOptions } from './gpu/select-gpus.js';
export { filterGpus, pickGpuSet, rankGpus, selectGpus } from './gpu/select-gpus.js';
export type { StaticGpuEntry } from './gpu/static-gpu-probe.js';
export { normalizeStaticGpus, StaticGpuProbe } from './gpu/static-gpu-probe.js';
export { gpusFromGraphicsControllers, SystemInformationProbe } from './gpu/systeminformation-probe.js';

// parallelism
export type { ParallelConfig, ParallelKnob } from './parallelism/parallel-config.js';
export { normalizeParallelism } from './parallelism/parallel-config.js';
export type { WorldSizeOptions } from './parallelism/world-size.js';
export { gpusPerNode, worldSize } from './parallelism/world-size.js';
export type { ParallelismContext } from './parallelism/validate-parallelism.js';
export { assertValidParallelism, validateParallelism } from './parallelism/validate-parallelism.js';

// search
export { satisfiesConstraints, violatedConstraints } from './search/constraints.js';
export { DEFAULT_GRID_LIMIT, expandGrid, gridSize } from './search/grid.js';
export { normalizeSpace } from './search/normalize-space.js';
export type {
  BooleanParam,
  BooleanSpec,
  CategoricalParam,
  CategoricalSpec,
  ConstraintInput,
  ConstraintOp,
  DeclarativeConstraint,
  ParamCondition,
  ParamDef,
  ParamInput,
  PredicateConstraint,
  RangeParam,
  RangeSpec,
  SearchSpace,
  SpaceConstraint,
  SpaceInput,
} from './search/param-spec.js';
export {
  defaultParams,
  isInSpace,
  isParamActive,
  paramsKey,
  spaceViolations,
} from './search/space-checks.js';
export type { Params, ParamValue, Trial, TrialState } from './search/trial.js';
export { bestFeasibleTrial, isFeasibleTrial } from './search/trial.js';
export type { CubeDim, UnitCubeEncoder } from './search/unit-cube.js';
export { createUnitCubeEncoder } from './search/unit-cube.js';

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
export type { EngineEnv, EngineEnvOptions } from './controllers/env.js';
export { cudaVisibleDevices, engineEnv } from './controllers/env.js';
export type { FailureClassification, FailureEvidence, FailureKind } from './controllers/failure.js';
export { classifyFailure, classifyLaunchError } from './controllers/failure.js';
export { cleanupSelector, currentRunId, LABEL_KEYS, serverLabels } from './controllers/labels.js';
export { LogRing } from './controllers/log-ring.js';
export type { NameTarget } from './controllers/names.js';
export { sanitizeLabelValue, sanitizeName } from './controllers/names.js';
export type { PortRetryOptions } from './controllers/ports.js';
export { freePortCandidate, isPortConflict, withPortRetry } from './controllers/ports.js';
export type { ExitInfo, ReadyInfo, WaitForReadyOptions } from './controllers/readiness.js';
export { waitForReady } from './controllers/readiness.js';
export type { ControlPlane, RetryOptions } from './controllers/retry.js';
export { isTransientControlPlaneError, retryControlPlane } from './controllers/retry.js';
export { containerCommand, serverArgs } from './controllers/server-argv.js';
export type { LocalControllerOptions } from './controllers/local/local-controller.js';
export { createLocalController, LocalController } from './controllers/local/local-controller.js';
export type {
  Controller,
  LaunchSpec,
  ReadinessSpec,
  ServerHandle,
  SignalOptions,
  VolumeMount,
} from './controllers/types.js';
export type {
  HttpWaitOptions,
  ProbeResult,
  ReadinessContext,
  WaitStrategy,
} from './controllers/wait-strategies.js';
export { compositeWait, httpWait, logLineWait, strategyFromSpec } from './controllers/wait-strategies.js';

// tune

// report
