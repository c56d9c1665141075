// Public API of inference-autotuner: named exports only; internals may move behind it. It is long because it
// lists every public name by area (no `export *`), which is the point of this file.

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
export type { PlacementOptions } from './gpu/gpu-placement.js';
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
export type { ParallelismContext } from './parallelism/validate-parallelism.js';
export { assertValidParallelism, validateParallelism } from './parallelism/validate-parallelism.js';
export type { WorldSizeOptions } from './parallelism/world-size.js';
export { gpusPerNode, worldSize } from './parallelism/world-size.js';

// search
export type { BayesStrategyOptions } from './search/bayes-strategy.js';
export { createBayesStrategy } from './search/bayes-strategy.js';
export { satisfiesConstraints, violatedConstraints } from './search/constraints.js';
export { DEFAULT_GRID_LIMIT, expandGrid, gridSize } from './search/grid.js';
export type { GridStrategyOptions } from './search/grid-strategy.js';
export { createGridStrategy } from './search/grid-strategy.js';
export type { LhsStrategyOptions } from './search/lhs-strategy.js';
export { createLhsStrategy } from './search/lhs-strategy.js';
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
export type { RandomStrategyOptions } from './search/random-strategy.js';
export { createRandomStrategy } from './search/random-strategy.js';
export type { StoppingRule } from './search/stopping-rule.js';
export type { RepairProposal } from './search/slo-repair.js';
export { clearlyFeasible, REPAIR_MARGIN, repairCandidates } from './search/slo-repair.js';
export type {
  AskOptions,
  AskResult,
  SearchStrategy,
  StopAdvice,
  SuggestionOrigin,
} from './search/strategy.js';
export type { Params, ParamValue, Trial, TrialState } from './search/trial.js';
export { bestFeasibleTrial, isFeasibleTrial } from './search/trial.js';
export type { CubeDim, UnitCubeEncoder } from './search/unit-cube.js';
export { createUnitCubeEncoder } from './search/unit-cube.js';

// slo
export type { OutcomeClass, RankableTrial } from './slo/compare-trials.js';
export {
  compareTrials,
  dominates,
  isFeasibleOutcome,
  outcomeClass,
  paretoFront,
  rankTrials,
} from './slo/compare-trials.js';
export { constraintsHold, constraintValues, totalViolation } from './slo/constraint-values.js';
export type { GoodputResult } from './slo/goodput.js';
export { goodput, requestMeetsSlo } from './slo/goodput.js';
export type {
  CostObjective,
  GoodputObjective,
  LatencyObjective,
  LegacyObjectiveName,
  Objective,
  ObjectiveName,
  ObjectiveSpec,
  ThroughputObjective,
  WeightedObjective,
} from './slo/objective.js';
export { objectiveDirection, objectiveLabel, objectiveList } from './slo/objective.js';
export type { ObjectiveContext } from './slo/objective-score.js';
export { objectiveBase, objectiveScore, objectiveValue, penalizedScore } from './slo/objective-score.js';
export type { RunScore } from './slo/score-run.js';
export { scoreRun } from './slo/score-run.js';
export type { SloPenaltyResult, SloViolation, ViolationSeverity } from './slo/slo-penalty.js';
export {
  DEFAULT_FAIL_RATIO,
  DEFAULT_STEEPNESS,
  DEFAULT_WEIGHT,
  SEVERE_RATIO,
  sloPenalty,
} from './slo/slo-penalty.js';
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
export { OBJECTIVE_NAMES, objectiveSpecProblems, validateObjectiveSpec } from './slo/validate-objective.js';
export { LATENCY_METRICS, LATENCY_STATS, sloSpecProblems, validateSloSpec } from './slo/validate-slo.js';

// sim
export type { EstimateResult, SimEstimate } from './sim/estimate.js';
export { estimate } from './sim/estimate.js';
export type { GpuSpec, InterconnectKind } from './sim/gpu-catalogue.js';
export { findGpu, gpuCatalogue } from './sim/gpu-catalogue.js';
export type { ModelSpec, MoeSpec } from './sim/model-catalogue.js';
export { findModel, modelCatalogue } from './sim/model-catalogue.js';
export type { SimConfig, SimConfigInput, WeightFormat } from './sim/sim-config.js';
export { resolveSimConfig } from './sim/sim-config.js';
export type { StartupFailure, StartupFailureKind } from './sim/startup.js';
export type {
  LatencySummary,
  SimPerformance,
  SimWorkload,
  VirtualRunOptions,
  VirtualRunResult,
} from './sim/virtual-run.js';
export { runVirtual } from './sim/virtual-run.js';
export type { SimCommandLine } from './sim/sim-args.js';
export { parseSimArgs } from './sim/sim-args.js';
export { simExecutable } from './sim/sim-executable.js';
export type { SimExit, SimServer, SimServerOptions, SimServerState } from './sim/sim-server.js';
export { startSimServer } from './sim/sim-server.js';
export { countTokens } from './sim/tokens.js';

// benchmark
export type { ArrivalSchedule } from './benchmark/arrival-schedule.js';
export { arrivalGapS, createArrivalSchedule } from './benchmark/arrival-schedule.js';
export type { BenchmarkOptions } from './benchmark/benchmark-options.js';
export type { BenchmarkResult, PromptTokenCheck } from './benchmark/benchmark-result.js';
export type {
  CalibratePromptOptions,
  PromptCalibrationResult,
} from './benchmark/calibrate-prompt.js';
export { calibratePrompt } from './benchmark/calibrate-prompt.js';
export type {
  CapacityCriterion,
  CapacityDimension,
  CapacityProbe,
  CapacitySearchOptions,
  CapacitySearchResult,
} from './benchmark/capacity-search.js';
export { capacitySearch, loadAtLevel, metricsMeetSlo } from './benchmark/capacity-search.js';
export type { ClientLoadReport } from './benchmark/client-guard.js';
export type { DatasetWorkloadOptions } from './benchmark/dataset-workload.js';
export { jsonlWorkload, loadDatasetWorkload, shareGptWorkload } from './benchmark/dataset-workload.js';
export { exportRecordsJsonl, parseRecordsJsonl, recordsToJsonl } from './benchmark/export-records.js';
export type { ArrivalProcess, ConcurrencyLoad, LoadSpec, RateLoad, StopSpec } from './benchmark/load-spec.js';
export type { PromptCalibration } from './benchmark/prompt-text.js';
export { DEFAULT_PROMPT_CALIBRATION, SINGLE_TOKEN_WORDS } from './benchmark/prompt-text.js';
export type { RequestRecord, RequestStatus } from './benchmark/request-record.js';
export { runBenchmark } from './benchmark/run-benchmark.js';
export { computeRunMetrics, requestLatency, summarize } from './benchmark/run-metrics.js';
export type { LevelProbe, LevelSearchOptions, LevelSearchResult } from './benchmark/search-levels.js';
export { searchLevels } from './benchmark/search-levels.js';
export type { SharedPrefixWorkloadOptions } from './benchmark/shared-prefix-workload.js';
export { sharedPrefixWorkload } from './benchmark/shared-prefix-workload.js';
export type { ApiKind } from './benchmark/stream-chunk.js';
export type { SweepOptions, SweepPoint } from './benchmark/sweep.js';
export { sweep } from './benchmark/sweep.js';
export type { LengthSpec, SyntheticWorkloadOptions } from './benchmark/synthetic-workload.js';
export { syntheticWorkload } from './benchmark/synthetic-workload.js';
export type { Workload, WorkloadRequest } from './benchmark/workload.js';

// runtimes
export type { SimRuntimeOptions } from './runtimes/adapters/sim.js';
export { simGpuName } from './runtimes/adapters/sim.js';
export { buildCliArgs } from './runtimes/cli-args.js';
export { defaultSpaceFor } from './runtimes/default-spaces.js';
export type { ConceptFlag } from './runtimes/engine-concepts.js';
export { ENGINE_CONCEPTS } from './runtimes/engine-concepts.js';
export type { LatencyLever } from './runtimes/latency-hints.js';
export { LATENCY_TENDENCIES, latencyHintsFor, withLatencyHints } from './runtimes/latency-hints.js';
export { ENGINE_METRICS } from './runtimes/engine-metrics.js';
export type { LaunchSpecOptions } from './runtimes/launch-spec.js';
export { launchSpec } from './runtimes/launch-spec.js';
export { normalizeParamName } from './runtimes/param-name.js';
export type { ParamProblem, ParamProblemCode, ValidationResult } from './runtimes/param-problem.js';
export type { ParallelDegrees, PresetExpansion } from './runtimes/presets.js';
export { parseParallelPreset, presetParams, QUANTIZATION_PRESETS } from './runtimes/presets.js';
export type { FlagRegistry, FlagRegistryDocument, FlagSpec } from './runtimes/registry.js';
export { loadRegistry, loadRegistryFile, parseRegistry } from './runtimes/registry.js';
export type { EngineMetricNames, RuntimeAdapter, SpaceData, SpaceEntry } from './runtimes/runtime-adapter.js';
export type { EngineFlavor, RuntimeName } from './runtimes/runtime-name.js';
export { RUNTIME_NAMES } from './runtimes/runtime-name.js';
export type { RuntimeOptions } from './runtimes/runtimes.js';
export { getRuntime } from './runtimes/runtimes.js';
export { canonicalParams, validateParams } from './runtimes/validate-params.js';
export type { SimExecutable } from './sim/sim-executable.js';

// controllers
export { DockerController } from './controllers/docker/docker-controller.js';
export type {
  DockerControllerOptions,
  PullPolicy,
  PullProgressEvent,
} from './controllers/docker/docker-options.js';
export type { DockerServerHandle } from './controllers/docker/docker-server-handle.js';
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
export type { EndpointMode } from './controllers/kubernetes/endpoint.js';
export type { KubernetesControllerOptions } from './controllers/kubernetes/kubernetes-controller.js';
export {
  createKubernetesController,
  KubernetesController,
} from './controllers/kubernetes/kubernetes-controller.js';
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
export { study, tune } from './tune/study.js';
export type { Study, StudyRunOptions } from './tune/study.js';
export type { TuneOptionsInput, ParsedTuneOptions } from './tune/options-schema.js';
export { tuneOptionsSchema } from './tune/options-schema.js';
export { OptionsError } from './tune/options-error.js';
export type { OptionProblem } from './tune/options-error.js';
export { resolveOptions } from './tune/resolve-options.js';
export { describePlan } from './tune/describe-plan.js';
export type { ResolvedOptions } from './tune/resolve-options.js';
export type { StudyEvent } from './tune/events.js';
export type { BestConfig, DefaultsComparison, TuneResult } from './tune/result.js';
export type { FailureReason, PlannedTrial, TrialManifest, TrialRecord } from './tune/trial-record.js';
export type { Evaluation, TrialContext, TrialEvaluator, TrialPlan } from './tune/evaluator.js';
export type { PruneBounds } from './tune/scorer.js';
export type { Confirmation, ConfirmedConfig } from './tune/confirm.js';
export { readJournal } from './tune/journal/read-journal.js';
export { journalResult, journalTrials } from './tune/journal/journal-trials.js';
export { JOURNAL_FORMAT_VERSION } from './tune/journal/journal-types.js';
export type {
  JournalContents,
  JournalEntry,
  JournalFormatVersion,
  JournalHeader,
  ResultEntry,
  TrialEntry,
} from './tune/journal/journal-types.js';
export {
  JournalExistsError,
  JournalFormatError,
  JournalMismatchError,
  JournalReadError,
  JournalWriteError,
  MissingSecretError,
} from './errors.js';

// report
export type { ConfigExports, ExportOptions } from './report/exports.js';
export {
  exportArgv,
  exportCompose,
  exportConfig,
  exportDockerRun,
  exportKubernetes,
} from './report/exports.js';
export type { HtmlReportOptions } from './report/html-report.js';
export { renderHtmlReport } from './report/html-report.js';
export type { MarkdownSummaryOptions } from './report/markdown-summary.js';
export { renderMarkdownSummary } from './report/markdown-summary.js';
export type { ParamImportance } from './report/param-importance.js';
export { IMPORTANCE_METHOD, paramImportance } from './report/param-importance.js';
export type { Direction, ReportBest, ReportData } from './report/report-data.js';
export { buildReportData } from './report/report-data.js';
export { shellJoin, shellQuote } from './report/shell-quote.js';
export type { WriteReportOptions, WrittenReport } from './report/write-report.js';
export { readTrialRecords, writeReport } from './report/write-report.js';
