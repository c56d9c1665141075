// Public API of inference-autotuner: named exports only, `export type` for types, grouped by area. Everything
// else in src/ is internal and may move; a test holds this list and the one-line doc of every name in it.

// The study: run it, plan it, read its events and result.
export type { CheckedStudy, CheckStudySettings } from './tune/check-study.js';
export { checkStudy } from './tune/check-study.js';
export type { StudyGpus } from './tune/resolve-gpus.js';
export { describePlan } from './tune/describe-plan.js';
export type { Evaluation, TrialContext, TrialEvaluator, TrialPlan } from './tune/evaluator.js';
export type { StudyEvent } from './tune/events.js';
export type { StudyLogger } from './tune/log-study-events.js';
export type { OptionProblem } from './tune/options-error.js';
export { OptionsError } from './tune/options-error.js';
export type { TuneOptionsInput } from './tune/options-schema.js';
export { tuneOptionsSchema } from './tune/options-schema.js';
export type {
  BestConfig,
  ComparedRuns,
  DefaultsComparison,
  DefaultsVerdict,
  TuneResult,
} from './tune/result.js';
export type { Study, StudyRunOptions } from './tune/study.js';
export { study, tune } from './tune/study.js';
export type { HostPool } from './tune/host-pool.js';
export { SharedGpuPools } from './tune/shared-gpu-pools.js';
export type { FailureReason, TrialManifest, TrialRecord } from './tune/trial-record.js';
export { isNotLaunched } from './tune/trial-record.js';
export type { CalibratedMetric, MetricCalibration, StudyCalibration } from './tune/calibration.js';
export { rankCorrelation, studyCalibration } from './tune/calibration.js';
export type { ScreenedConfiguration, ScreeningPlan, ScreeningPlanSettings } from './tune/screening.js';
export { screeningPlan } from './tune/screening.js';
export type { OutcomeStore, OutcomeStoreKey, StoredOutcome } from './tune/outcome-store.js';
export { defaultOutcomeStoreDir, openOutcomeStore } from './tune/outcome-store.js';
export type {
  BenchmarkOption,
  BudgetOption,
  CapacityLoadOption,
  ConcurrencyLoadOption,
  ConfirmOption,
  ControllerOption,
  DockerControllerOption,
  GpuLeasesOption,
  JsonlWorkloadOption,
  KubernetesControllerOption,
  LoadOption,
  LocalControllerOption,
  RateLoadOption,
  OutcomeStoreOption,
  ScreeningOption,
  SharedPrefixWorkloadOption,
  ShareGptWorkloadOption,
  SimOption,
  StrategyName,
  StrategyOption,
  SyntheticWorkloadOption,
  TelemetryOption,
  TimeoutsOption,
  TokenLengthOption,
  TuneOptions,
  WorkloadOption,
} from './tune/tune-options.js';

// Errors: every error the library throws is an AutotunerError with a stable `code`.
export type { AutotunerErrorOptions } from './errors.js';
export {
  AutotunerError,
  ClusterCapacityError,
  BenchmarkError,
  ControlPlaneError,
  errorMessage,
  InternalError,
  InvalidArgumentError,
  InvalidOptionError,
  InvalidOptionsError,
  InvalidParameterError,
  JournalError,
  JournalExistsError,
  JournalFormatError,
  JournalMismatchError,
  JournalReadError,
  JournalWriteError,
  LaunchError,
  MissingSecretError,
  ModelConfigError,
  PoolCapacityError,
  ReadinessTimeoutError,
  ServerExitedError,
  SpaceTooLargeError,
  toAutotunerError,
  UnexpectedError,
} from './errors.js';

// Engines: runtime adapters, their flags and the launch spec of a configuration.
export { buildCliArgs } from './runtimes/cli-args.js';
export type { LaunchSpecOptions } from './runtimes/launch-spec.js';
export { launchSpec } from './runtimes/launch-spec.js';
export type { ParamProblem, ParamProblemCode, ValidationResult } from './runtimes/param-problem.js';
export type { FlagRegistry, FlagSpec } from './runtimes/registry.js';
export type {
  EngineMetricNames,
  RuntimeAdapter,
  RuntimeTraits,
  SpaceData,
  SpaceEntry,
} from './runtimes/runtime-adapter.js';
export type { EngineFlavor, RuntimeName } from './runtimes/runtime-name.js';
export { RUNTIME_NAMES } from './runtimes/runtime-name.js';
export type { RuntimeOptions } from './runtimes/runtimes.js';
export { getRuntime } from './runtimes/runtimes.js';
export { canonicalParams, validateParams } from './runtimes/validate-params.js';

// Controllers: where engines run (local processes, Docker containers, Kubernetes pods).
export type { ControllerKind } from './controllers/controller-spec.js';
export { CONTROLLER_KINDS } from './controllers/controller-spec.js';
export type { ControllerTraits } from './controllers/controller-traits.js';
export { controllerTraits } from './controllers/controller-traits.js';
export { DockerController } from './controllers/docker/docker-controller.js';
export type {
  DockerControllerOptions,
  PullPolicy,
  PullProgressEvent,
} from './controllers/docker/docker-options.js';
export type { ClusterCapacity, ClusterNodeCapacity } from './controllers/kubernetes/cluster-capacity.js';
export type { KubernetesControllerOptions } from './controllers/kubernetes/kubernetes-controller.js';
export type { KubernetesModelCache } from './controllers/kubernetes/pod-template.js';
export {
  createKubernetesController,
  KubernetesController,
} from './controllers/kubernetes/kubernetes-controller.js';
export type { LocalControllerOptions } from './controllers/local/local-controller.js';
export { createLocalController, LocalController } from './controllers/local/local-controller.js';
export type {
  Controller,
  EndpointVia,
  LaunchSpec,
  ReadinessSpec,
  ServerHandle,
  SignalOptions,
  VolumeMount,
} from './controllers/types.js';

// GPUs: the one GPU type, probing a host, and the pool that leases GPU sets to trials.
export type { GpuInfo, GpuProcess } from './gpu/gpu-info.js';
export type { GpuProbe, GpuProbeResult, GpuProbeSource } from './gpu/gpu-probe.js';
export type { AcquireOptions, GpuLease, GpuPoolOptions } from './gpu/gpu-pool.js';
export { GpuPool } from './gpu/gpu-pool.js';
export { defaultGpuLeaseDir, GPU_LEASES_DIR_ENV } from './gpu/gpu-lease-dir.js';
export type { HostGpuLeasesOptions, HostLeaseInfo } from './gpu/host-gpu-leases.js';
export { HostGpuLeases } from './gpu/host-gpu-leases.js';
export type { LeaseOwner } from './gpu/lease-owner.js';
export type { ProbeGpusOptions } from './gpu/probe-gpus.js';
export { probeGpus } from './gpu/probe-gpus.js';
export type { StaticGpuEntry } from './gpu/static-gpu-probe.js';

// Search: parameter spaces and ask/tell strategies over them.
export type { BayesStrategyOptions } from './search/bayes-strategy.js';
export { createBayesStrategy } from './search/bayes-strategy.js';
export type { GridStrategyOptions } from './search/grid-strategy.js';
export { createGridStrategy } from './search/grid-strategy.js';
export type { LhsStrategyOptions } from './search/lhs-strategy.js';
export { createLhsStrategy } from './search/lhs-strategy.js';
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
export type { RandomStrategyOptions } from './search/random-strategy.js';
export { createRandomStrategy } from './search/random-strategy.js';
export type {
  AskOptions,
  AskResult,
  SearchStrategy,
  StopAdvice,
  SuggestionOrigin,
} from './search/strategy.js';
export type { Params, ParamValue, Trial, TrialState } from './search/trial.js';
export { bestFeasibleTrial, isFeasibleTrial } from './search/trial.js';

// SLOs and objectives: penalty, constraint values, goodput, scores.
export { constraintValues } from './slo/constraint-values.js';
export type { GoodputResult } from './slo/goodput.js';
export { goodput } from './slo/goodput.js';
export type {
  CostObjective,
  GoodputObjective,
  LatencyObjective,
  Objective,
  ObjectiveName,
  ObjectiveSpec,
  ThroughputObjective,
  WeightedObjective,
} from './slo/objective.js';
export type { ObjectiveContext } from './slo/objective-score.js';
export { objectiveScore } from './slo/objective-score.js';
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

// Load generator: benchmark an OpenAI-compatible endpoint, or search the highest load meeting an SLO.
export type { BenchmarkOptions } from './benchmark/benchmark-options.js';
export type { BenchmarkResult } from './benchmark/benchmark-result.js';
export type {
  CapacityCriterion,
  CapacityDimension,
  CapacityProbe,
  CapacitySearchOptions,
  CapacitySearchResult,
} from './benchmark/capacity-search.js';
export { capacitySearch } from './benchmark/capacity-search.js';
export type { DatasetWorkloadOptions } from './benchmark/dataset-workload.js';
export { loadDatasetWorkload } from './benchmark/dataset-workload.js';
export type { ArrivalProcess, ConcurrencyLoad, LoadSpec, RateLoad, StopSpec } from './benchmark/load-spec.js';
export type { RequestRecord, RequestStatus } from './benchmark/request-record.js';
export { runBenchmark } from './benchmark/run-benchmark.js';
export type { SharedPrefixWorkloadOptions } from './benchmark/shared-prefix-workload.js';
export { sharedPrefixWorkload } from './benchmark/shared-prefix-workload.js';
export type { ApiKind } from './benchmark/stream-chunk.js';
export type { LengthSpec, SyntheticWorkloadOptions } from './benchmark/synthetic-workload.js';
export { syntheticWorkload } from './benchmark/synthetic-workload.js';
export type { Workload, WorkloadRequest } from './benchmark/workload.js';

// Simulated engine: an OpenAI-compatible server with a real engine's behaviour, and its analytic estimate.
export type { EstimateResult, SimEstimate } from './sim/estimate.js';
export { estimate } from './sim/estimate.js';
export type { GpuSpec } from './sim/gpu-catalogue.js';
export { findGpu, gpuCatalogue } from './sim/gpu-catalogue.js';
export type { GpuFromProbe, ProbedGpu } from './sim/gpu-from-probe.js';
export { gpuFromProbe } from './sim/gpu-from-probe.js';
export type { ModelSpec } from './sim/model-catalogue.js';
export { findModel, modelCatalogue } from './sim/model-catalogue.js';
export type { ModelFromConfigOptions } from './sim/model-config-file.js';
export { modelFromConfig } from './sim/model-config-file.js';
export type { ModelConfigOrigin } from './sim/model-from-config.js';
export { modelFromConfigJson } from './sim/model-from-config.js';
export type { SimCommandLine } from './sim/sim-args.js';
export { parseSimArgs } from './sim/sim-args.js';
export type { SimConfig, SimConfigInput, SimDeviation } from './sim/sim-config.js';
export type { ScreenInput, ScreenKind, ScreenPrediction, ScreenResult } from './sim/screen.js';
export { screenConfiguration } from './sim/screen.js';
export type { SimExit, SimServer, SimServerOptions, SimServerState } from './sim/sim-server.js';
export { startSimServer } from './sim/sim-server.js';
export type { SimWorkload } from './sim/virtual-run.js';

// Deployable exports of a configuration: command line, `docker run`, compose, Kubernetes manifest.
export type { ConfigExports, ExportOptions, KubernetesExportOptions } from './deploy/exports.js';
export {
  exportArgv,
  exportCompose,
  exportConfig,
  exportDockerRun,
  exportKubernetes,
} from './deploy/exports.js';

// Reports: render a study's journal as HTML or Markdown.
export type { HtmlReportOptions } from './report/html-report.js';
export { renderHtmlReport } from './report/html-report.js';
export type { MarkdownSummaryOptions } from './report/markdown-summary.js';
export { renderMarkdownSummary } from './report/markdown-summary.js';
export type { ReportData } from './report/report-data.js';
export { buildReportData } from './report/report-data.js';
export type { WriteReportOptions, WrittenReport } from './report/write-report.js';
export { writeReport } from './report/write-report.js';
export { journalResult, journalTrials } from './tune/journal/journal-trials.js';
export type {
  JournalContents,
  JournalEntry,
  JournalFormatVersion,
  JournalHeader,
  ResultEntry,
  TrialEntry,
} from './tune/journal/journal-types.js';
export { JOURNAL_FORMAT_VERSION } from './tune/journal/journal-types.js';
export { readJournal } from './tune/journal/read-journal.js';

// Time and randomness the study and the strategies take as arguments.
export type { Clock } from './util/clock.js';
export { ManualClock, systemClock } from './util/clock.js';
export type { Rng } from './util/rng.js';
export { createRng } from './util/rng.js';
